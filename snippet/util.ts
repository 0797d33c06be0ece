/**
 * Helpers every part of the snippet shares. Every byte of mql.js is downloaded by every visitor
 * of every page, so the code is written for gzip: few distinct names, shared helpers, short
 * literals, repeated spellings (see README.md, "The snippet" → "Size").
 */
export const W = window as any;
export const D = document;
export const N = navigator as any;
export const L = location;
export const now = Date.now;

/**
 * Wraps fn so nothing it throws reaches the host page: a broken analytics script must never break
 * the site it measures (nor show up in the site's own error monitoring).
 */
export const guard =
  (fn: (...a: any[]) => any) =>
  (...a: any[]): any => {
    try {
      return fn(...a);
    } catch {}
  };

/**
 * 128 bits from the CSPRNG as four decimal groups: more than the 122 bits of a v4 UUID, valid for
 * the worker's id pattern [A-Za-z0-9_-]{8,64}, and unlike crypto.randomUUID also available on
 * plain-http pages.
 */
export const rid = () => crypto.getRandomValues(new Uint32Array(4)).join("-");
