/**
 * String matching used by rules: URL-path globs and whole-word phrase search.
 *
 * Rules come from site owners, so nothing here builds a RegExp from their text: a user regex (or a
 * glob naively turned into `.*` soup) can backtrack catastrophically on a 2 KB URL. Globs match with
 * `indexOf` over literal segments, phrases with `indexOf` over space-delimited words — both linear
 * per segment and immune to ReDoS.
 */

/**
 * The lower-cased path of a URL with query and fragment dropped and trailing slashes trimmed, using
 * plain string scanning because `new URL()` per event dominates the engine's cost. A string that
 * is already a path ("/pricing?x=1") is accepted too.
 */
export function urlPath(url: string): string {
  const n = url.length;
  let i = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf("://");
    i = scheme < 0 ? 0 : scheme + 3;
    // Skip the authority: the path starts at the first '/', and '?' or '#' first means an empty path.
    while (i < n) {
      const c = url.charCodeAt(i);
      if (c === 47 || c === 63 /* ? */ || c === 35 /* # */) break;
      i++;
    }
    if (i === n || url.charCodeAt(i) !== 47) return "/";
  } else if (url.charCodeAt(1) === 47) {
    // Protocol-relative "//host/path": treat like a URL without a scheme.
    return urlPath(`x:${url}`);
  }
  let j = i;
  while (j < n) {
    const c = url.charCodeAt(j);
    if (c === 63 || c === 35) break;
    j++;
  }
  return trimSlashes(url.slice(i, j).toLowerCase());
}

/** "/pricing/" and "/pricing" are the same page to a site owner; "/" stays "/". */
function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** A glob on URL paths, pre-split into its literal segments. */
export interface Glob {
  readonly source: string;
  /** Literal, lower-cased segments between `*`s; one segment means no wildcard at all. */
  readonly parts: readonly string[];
}

/**
 * Compiles a path glob where `*` matches any run of characters (including "/" and nothing). Matching
 * is case-insensitive and ignores trailing slashes, like {@link urlPath}.
 */
export function compileGlob(pattern: string): Glob {
  const lowered = pattern.toLowerCase();
  const normalised = lowered.endsWith("*") ? lowered : trimSlashes(lowered);
  return { source: pattern, parts: normalised.split("*") };
}

/**
 * Whether `path` (already normalised by {@link urlPath}) matches `glob`. The first and last
 * segments are anchored; the middle ones are placed leftmost-first, which is optimal for `*`-only
 * globs, so no backtracking is ever needed.
 */
export function globMatch(glob: Glob, path: string): boolean {
  const parts = glob.parts;
  const count = parts.length;
  const first = parts[0] ?? "";
  if (count === 1) return path === first;
  const last = parts[count - 1] ?? "";
  const limit = path.length - last.length;
  if (limit < first.length || !path.startsWith(first) || !path.endsWith(last)) return false;
  let pos = first.length;
  for (let k = 1; k < count - 1; k++) {
    const part = parts[k] ?? "";
    if (part === "") continue;
    const at = path.indexOf(part, pos);
    if (at < 0 || at + part.length > limit) return false;
    pos = at + part.length;
  }
  return true;
}

/** True when any of the globs matches. */
export function anyGlob(globs: readonly Glob[], path: string): boolean {
  for (let k = 0; k < globs.length; k++) if (globMatch(globs[k]!, path)) return true;
  return false;
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Lower-cases text and reduces it to single-space separated words with a space at each end, so a
 * phrase occurs as a whole word exactly when " phrase " is a substring: "director" cannot match
 * "cto", and "vice president" is found in "Vice-President, Sales".
 */
export function wordText(text: string): string {
  const words = text.toLowerCase().replace(NON_WORD, " ").trim();
  return words === "" ? "" : ` ${words} `;
}

/** A phrase's occurrence in a {@link wordText}: [start, end) over the padded string. */
export interface PhraseHit {
  start: number;
  end: number;
}

/** Every occurrence of `phrase` (already passed through {@link wordText}) in `text`. */
export function findPhrase(text: string, phrase: string): PhraseHit[] {
  const hits: PhraseHit[] = [];
  if (phrase === "") return hits;
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return hits;
    hits.push({ start: at, end: at + phrase.length });
    // Words share their separating space, so the next search starts at this hit's last space.
    from = at + phrase.length - 1;
  }
}
