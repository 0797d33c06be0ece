/**
 * The engaged-time clock (SPEC §4). A one-second tick counts a second only while the page is
 * visible, focused and had input within the idle window. Counting whole ticks, not wall-clock
 * differences, is the clamp: a sleeping laptop or a frozen back/forward-cache page fires no ticks,
 * a throttled background tab is not visible, so neither can inflate the total.
 */
import { track } from "./transport";
import { D, W, guard, on } from "./util";

let S = 0; // engaged seconds not yet reported
let total = 0; // engaged seconds reported for this page view
let A = Date.now(); // last input

/**
 * Reports the engaged seconds since the last report as `dwell`, attributed to the page view they
 * belong to (`url`: an SPA route change reports the old route before the new page view).
 */
export const dwell = (url: string) => {
  S && track("dwell", { seconds: S, total: (total += S) }, url);
  S = 0;
};

/** A new page view (SPA route or back/forward-cache restore) starts the total again. */
export const restart = () => (total = 0);

export const startEngaged = (url: () => string) => {
  const act = () => (A = Date.now());
  // Showing the tab, focusing the window and restoring from bfcache are activity too.
  on(D, "pointerdown pointermove keydown scroll visibilitychange", act);
  on(W, "focus pageshow", act);
  // Periodic reports every 15 engaged seconds, so a long single-page visit is not one late event.
  setInterval(
    guard(() => !D.hidden && D.hasFocus() && Date.now() - A < 3e4 && ++S > 14 && dwell(url())),
    1e3,
  );
};
