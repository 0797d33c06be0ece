/**
 * Helpers every snippet module shares. Bytes matter here (the whole script has a 1,800 B gzip
 * budget, downloaded by every visitor of every page), so these are tiny and reused everywhere
 * rather than repeated inline.
 */
import type { Props } from "../shared/events";

export type { Props };
export type Loose = Record<string, any>;

export const W = window as any;
export const D = document;
export const N = navigator as any;

/**
 * Wraps fn so nothing it throws reaches the host page: a broken analytics script must never break
 * the site it measures (nor show up in the site's own error monitoring).
 */
export const guard =
  <A extends any[]>(fn: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch {}
  };

/**
 * Listens to space-separated event types in the capture phase (so a page calling stopPropagation
 * cannot hide its clicks and submits from us) and passively (we never delay scrolling, and never
 * call preventDefault).
 */
export const on = (target: EventTarget, types: string, fn: (e: any) => unknown) =>
  types.split(" ").map((t) => target.addEventListener(t, guard(fn), { capture: true, passive: true }));

/**
 * 128 random bits as 32 hex characters: more than the 122 bits of a v4 UUID, valid for the
 * worker's id pattern, and unlike crypto.randomUUID also available on plain-http pages.
 */
export const rid = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b | 256).toString(16).slice(1)).join("");

/** Consent state: while false nothing is sent and nothing is written to storage or cookies. */
export let ok: any = 0;
export const allow = (v: any) => (ok = v);

/**
 * In-memory copy of everything we store: it keeps the snippet working when localStorage is
 * blocked (Safari private mode, storage disabled) and holds ids until consent allows persisting.
 */
export const mem: Record<string, string> = {};

/** Always a string ('' when absent) so callers can test and split without null checks. */
export const get = (k: string): string => {
  let v;
  try {
    v = localStorage[k];
  } catch {}
  return v || mem[k] || "";
};

export const VID = "mql_vid";

export const set = (k: string, v: string) => {
  mem[k] = v;
  if (ok) {
    // The cookie mirrors the visitor id only: it survives a localStorage wipe and vice versa.
    // max-age must be plain digits ("34e6" would be ignored); 400 days is Chrome's cap.
    if (k == VID) D.cookie = VID + "=" + v + ";path=/;max-age=34560000;samesite=lax";
    try {
      localStorage[k] = v;
    } catch {} // quota or disabled storage: the in-memory copy still serves this page
  }
};

/** Consent withdrawn: remove what we stored (the in-memory copy lives until the page goes). */
export const forget = () => {
  D.cookie = VID + "=;path=/;max-age=0";
  try {
    for (const k in mem) localStorage.removeItem(k);
  } catch {}
};

/**
 * Coerces props to what the worker accepts (≤20 keys `\w{1,40}`, strings ≤1024, finite numbers,
 * booleans) and drops the rest, undefined included. One bad prop must not get the whole batch
 * rejected with a 400, losing the events travelling with it.
 */
export const clean = (p: Loose): Props => {
  const o: Props = {};
  let n = 0;
  for (const k in p) {
    const v = p[k];
    const t = typeof v;
    if (n < 20 && /^\w{1,40}$/.test(k) && (t == "string" || t == "boolean" || Number.isFinite(v)))
      (o[k] = t == "string" ? v.slice(0, 1024) : v), n++;
  }
  return o;
};
