/**
 * Event building, batching and delivery (SPEC §4 "Delivery", §5 `POST /e`).
 *
 * Every batch goes through an outbox kept in localStorage (memory when storage is blocked) until
 * the worker acknowledges it, so a network error, 5xx or 429 loses nothing: the batch is retried
 * with backoff, on `online`, and on the next page load. The outbox is re-read before each change,
 * so tabs of the same site share it instead of overwriting each other's batches. Duplicates this
 * can cause (a batch answered after its page was gone) are harmless: ingest dedupes event ids.
 */
import type { TrackedEvent } from "../shared/events";
import { N, clean, get, guard, ok, rid, set, type Loose } from "./util";
import { sid, touch, vid } from "./visitor";

export let site: string;
export let E: string; // the ingest endpoint
export const setup = (s: string, e: string) => ((site = s), (E = e));

let B: TrackedEvent[] = []; // events not yet in the outbox
let timer: any; // the batch window
let retry: any;
let busy: any; // one request in flight at a time keeps retries ordered and cheap
let delay = 1e3;

const Q = "mql_q";
/** Batches are JSON bodies, which never contain a raw newline: one per line. */
const box = () => get(Q).split("\n").filter((b) => b);
/** Capped so we never take much of the host site's own storage quota: oldest batches go first. */
const save = (L: string[]) => {
  while (L.join("\n").length > 1e5) L.shift();
  set(Q, L.join("\n"));
};
const del = (b: string) => save(box().filter((x) => x != b));

export const track = (type: string, props: Loose, url = location.href) => {
  const v = touch();
  const ev = (type: string, props: Loose) =>
    B.push({ id: rid(), type, ts: Date.now(), url: url.slice(0, 2048), props: clean(props) });
  v && ev("session_start", { visit: v });
  ev(type, props);
  // A short batch window: a click and the page view before it travel in one request.
  timer ||= setTimeout(flush, 1e3);
};

/** Forget events captured but not sent (consent withdrawn). */
export const drop = () => (B = []);

/**
 * Moves pending events into the outbox as batches of ≤100 events and ≤60,000 bytes (the worker
 * takes 64 KiB; UTF-16 length × 3 bounds the UTF-8 size), then sends. On hide the page may be gone
 * in a moment, so each batch goes by sendBeacon — but not when offline: a beacon "queued" offline
 * is silently lost, so those batches stay in the outbox for later.
 */
export const flush = guard((hide?: any) => {
  clearTimeout(timer);
  timer = 0;
  if (!ok) return;
  const L = box();
  let c: any[] = [];
  let n = 0;
  // The trailing 0 is a sentinel "too big to fit" that closes the last batch.
  for (const e of [...B, 0]) {
    const z = e ? JSON.stringify(e).length * 3 : 1e9;
    if (c.length > 99 || n + z > 6e4) c[0] && L.push(JSON.stringify({ site, vid, sid, events: c })), (c = []), (n = 0);
    c.push(e);
    n += z;
  }
  B = [];
  save(L);
  // A plain string body goes out as text/plain: no CORS preflight, and none of the blank bodies
  // Safari has sent for beacons carrying an application/json Blob.
  if (hide == 1) for (const b of L) N.onLine && N.sendBeacon(E, b) && del(b);
  pump();
});

/**
 * Sends the oldest outbox batch with keepalive fetch (it outlives the page). 2xx: done. Other
 * 4xx (not 429): the worker will never take it, so drop it. Network error, 5xx, 429: keep it and
 * retry with jittered exponential backoff, up to 5 minutes apart.
 */
export const pump = guard(() => {
  const b = box()[0];
  if (busy || !ok || !b) return;
  busy = 1;
  fetch(E, { method: "POST", body: b, keepalive: true })
    .then(
      (r) => r.status > 499 || r.status == 429 || (del(b), (delay = 1e3), 0),
      () => 1,
    )
    .then((failed) => {
      busy = 0;
      failed
        ? (clearTimeout(retry), (retry = setTimeout(pump, (delay = Math.min(delay * 2, 3e5)) * (0.5 + Math.random()))))
        : pump();
    });
});
