/**
 * Helpers every snippet module shares. Bytes matter (the snippet is downloaded by every visitor of
 * every page), so these are tiny and reused everywhere rather than repeated inline.
 */
import type { Props } from "../shared/events";

export type Loose = Record<string, any>;

export const W = window as any;
export const D = document;
export const N = navigator as any;
export const L = location;

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
 * Listens to space-separated event types in the capture phase (a page calling stopPropagation
 * cannot hide its clicks and submits from us) and passively (we never delay scrolling, and never
 * call preventDefault).
 */
export const on = (target: EventTarget, types: string, fn: (e: any) => unknown) =>
  types.split(" ").map((t) => target.addEventListener(t, guard(fn), { capture: true, passive: true }));

/**
 * 128 random bits from the CSPRNG as four hex groups: more than the 122 bits of a v4 UUID, valid
 * for the worker's id pattern [A-Za-z0-9_-]{8,64}, and unlike crypto.randomUUID also available on
 * plain-http pages.
 */
export const rid = () => Array.from(crypto.getRandomValues(new Uint32Array(4)), (x) => x.toString(16)).join("-");

/** Consent state: while falsy nothing is sent, and nothing is written to storage or cookies. */
export let ok: any;
export const allow = (v: any) => (ok = v);

/**
 * In-memory copy of everything we store: it keeps the snippet working when localStorage is
 * blocked (Safari private mode, storage disabled, quota full) and holds ids until consent allows
 * persisting them.
 */
export const mem: Loose = {};

/** localStorage first (shared by the site's tabs), memory else; always a string. */
export const get = (k: string): string => {
  let v;
  try {
    v = localStorage[k];
  } catch {}
  return v || mem[k] || "";
};

export const VID = "mql_vid";

export const set = (k: string, v: any) => {
  mem[k] = v;
  if (ok) {
    // The cookie mirrors the visitor id only: it survives a localStorage wipe and vice versa.
    // max-age must be plain digits ("34e6" would be ignored); 400 days is Chrome's cap.
    k == VID && (D.cookie = VID + "=" + v + ";path=/;max-age=34560000");
    try {
      // Removing first means a write refused for quota leaves no stale copy that `get` would
      // prefer over memory. Errors are swallowed: the site's own storage is not ours to fight for.
      localStorage.removeItem(k);
      localStorage[k] = v;
    } catch {}
  }
};

/**
 * Coerces props to what the worker accepts (≤20 keys `\w{1,40}`, strings ≤1024 chars, finite
 * numbers, booleans) and drops the rest, undefined and empty strings included. One bad prop must
 * not get the whole batch rejected with a 400, losing the events travelling with it.
 */
export const clean = (p: Loose): Props => {
  const o: Loose = {};
  let n = 0;
  let v;
  let t;
  for (const k in p)
    (v = p[k]),
      (t = typeof v),
      n < 20 &&
        /^\w{1,40}$/.test(k) &&
        (t == "string" ? (v = v.slice(0, 1024)) : t == "boolean" || (t == "number" && isFinite(v))) &&
        ((o[k] = v), n++);
  return o;
};
