/**
 * The engaged-time clock (SPEC §4). A one-second tick counts a second only while the page is
 * visible, focused and had input within the last 30 s. Counting ticks, not wall-clock differences,
 * is the clamp: a sleeping laptop or a page frozen in the back/forward cache fires no ticks, and a
 * throttled background tab is not visible, so neither can inflate the total.
 */
import { track } from "./transport";
import { D } from "./util";

let S = 0; // engaged seconds not yet reported
let total = 0; // engaged seconds reported for the current page view
let A = Date.now(); // last input

/** Input, focus, showing the tab and a back/forward-cache restore all count as activity. */
export const act = () => (A = Date.now());

/** Reports the engaged seconds since the last report as `dwell`, against the page view `url`. */
export const dwell = (url: string) => {
  S && track("dwell", { seconds: S, total: (total += S) }, url);
  S = 0;
};

/** A new page view (SPA route or back/forward-cache restore) starts the total again. */
export const restart = () => (total = 0);

/** One tick; every 15 engaged seconds it reports, so a long single-page visit is not one late event. */
export const tick = (url: string) => !D.hidden && D.hasFocus() && Date.now() - A < 3e4 && ++S > 14 && dwell(url);
