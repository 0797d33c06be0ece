/**
 * Events the worker derives from what the snippet sends: sessions with their visit count
 * (`session_start`) and ad-click landings (`ad_click`).
 *
 * Both used to be worked out in mql.js on every page view of every visitor. The worker sees the
 * same facts — the visitor's event times, the page view's URL — so working them out here costs
 * the snippet nothing (issue #3's 1,800 B budget), is the same for every tab and device clock
 * skew aside, and leaves the derivation in one tested place. A batch asks for it by leaving out
 * `sid`; a sender that keeps its own sessions sends `sid` and its own `session_start`/`ad_click`.
 *
 * Pure: the caller passes where the visitor's sessions stand and stores what comes back.
 */
import { LIMITS, PROP_KEY, type Props, type TrackedEvent } from "./events";
import { byKey } from "./scoring";

/** 30 minutes without an event ends a session (SPEC §4, the usual web-analytics convention). */
export const SESSION_GAP_MS = 30 * 60_000;
/** Click ids of the ad networks SPEC §4 names; only which one was present is kept, never its value. */
export const CLICK_IDS: readonly string[] = ["gclid", "fbclid", "msclkid"];

/** Where a visitor's sessions stand before a batch: its latest event time, visits so far, current session. */
export interface SessionCursor {
  lastTs: number | null;
  visits: number;
  sid: string | null;
}

/** An event to store, with the session it belongs to. */
export interface SessionEvent {
  event: TrackedEvent;
  sid: string;
}

/**
 * The id of an event derived from `id`: deterministic, so a replayed batch derives nothing new,
 * and never equal to a sent id, because "." is outside the wire format's id alphabet.
 */
function derivedId(id: string, tag: string): string {
  return `${id}.${tag}`;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return part; // a lone "%" is not worth losing the rest of the campaign for
  }
}

/**
 * The ad-click props of a landing URL: every non-empty `utm_*` parameter as given (first one
 * wins), plus `click_id` naming the click-id parameter present. Null when the URL carries none.
 */
export function adClickProps(url: string): Props | null {
  const start = url.indexOf("?");
  if (start < 0) return null;
  const hash = url.indexOf("#", start);
  const props: Props = {};
  let found = false;
  let count = 0;
  for (const pair of url.slice(start + 1, hash < 0 ? undefined : hash).split("&")) {
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    if (count >= LIMITS.maxProps) break;
    if (key.startsWith("utm_") && PROP_KEY.test(key) && value !== "" && !(key in props)) {
      props[key] = value.slice(0, LIMITS.maxStringLength);
      found = true;
      count++;
    } else if (CLICK_IDS.includes(key) && props.click_id === undefined) {
      props.click_id = key;
      found = true;
      count++;
    }
  }
  return found ? props : null;
}

/**
 * Adds the derived events to a batch of new events (sorted by ts, then id) and assigns every
 * event its session. An event at least SESSION_GAP_MS after the visitor's latest one (or the
 * visitor's first event) opens a session: a `session_start` at the same time with the next visit
 * number, whose id is the new session's id. A late event (older than the latest) joins the
 * current session. A page view whose URL carries campaign tags or a click id is followed by an
 * `ad_click` with them. Returns the events in key order and the cursor after them.
 */
export function deriveSessions(
  batch: readonly TrackedEvent[],
  cursor: SessionCursor,
): { events: SessionEvent[]; cursor: SessionCursor } {
  let { lastTs, visits, sid } = cursor;
  const events: SessionEvent[] = [];
  for (const event of batch) {
    if (lastTs === null || sid === null || event.ts - lastTs >= SESSION_GAP_MS) {
      visits++;
      sid = derivedId(event.id, "s");
      events.push({ event: { id: sid, type: "session_start", ts: event.ts, url: event.url, props: { visit: visits } }, sid });
    }
    if (lastTs === null || event.ts > lastTs) lastTs = event.ts;
    events.push({ event, sid });
    const campaign = event.type === "page_view" && event.url !== undefined ? adClickProps(event.url) : null;
    if (campaign) {
      events.push({ event: { id: derivedId(event.id, "a"), type: "ad_click", ts: event.ts, url: event.url, props: campaign }, sid });
    }
  }
  events.sort((a, b) => byKey(a.event, b.event));
  return { events, cursor: { lastTs, visits, sid } };
}
