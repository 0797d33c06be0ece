/** First-party visitor and session ids. */
import { D, VID, get, rid, set } from "./util";

export let vid: string;
export let sid: string;

/**
 * The visitor id comes from localStorage, else the cookie, else is new. Only a value that fits the
 * worker's id pattern is taken: a corrupted one would otherwise get every batch rejected.
 */
export const initVisitor = () =>
  set(VID, (vid = ((VID + "=" + get(VID) + ";" + D.cookie).match(/mql_vid=([\w-]{8,64})(;|$)/) || [])[1] || rid()));

/**
 * Touches the session on every event. 30 minutes without events starts a new session and bumps
 * the persisted visit count, which is returned (0 while the session continues) so the caller can
 * emit `session_start` ahead of the event that opened it. Stored as "sid,last,visit".
 */
export const touch = (t: number): number => {
  let [s, last, visit]: any = get("mql_s").split(",");
  let n = 0;
  t - last < 18e5 ? (sid = s) : ((sid = rid()), (n = visit = -~visit));
  set("mql_s", [sid, t, visit] + "");
  return n;
};
