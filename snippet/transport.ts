/**
 * Event building, batching and delivery (SPEC §4 "Delivery", §5 `POST /e`).
 *
 * Each event is written to an outbox in localStorage (memory while storage is blocked or consent
 * pending) the moment it is captured, one JSON line per event, and leaves the outbox only when the
 * worker has answered for it. So a navigation, a network error, a 5xx or a 429 loses nothing: what
 * is left is retried with backoff, on `online`, and by the next page of the site. The outbox is
 * re-read before every change, so the site's tabs share it instead of overwriting each other.
 * Duplicates this can cause (a batch answered after its page was gone) are harmless: ingest
 * dedupes event ids.
 */
import { N, clean, get, guard, L, ok, rid, set, type Loose } from "./util";
import { sid, touch, vid } from "./visitor";

export let site: string;
export let E: string; // the ingest endpoint
export const setup = (s: string, e: string) => ((site = s), (E = e));

let timer: any; // the batch window, or the next retry
let busy: any; // one fetch in flight at a time keeps retries ordered and cheap
let delay = 1e3;

const Q = "mql_q";
const box = () => get(Q).split("\n").filter((b) => b);
/** Capped (newest kept) so we never take much of the host site's own storage quota. */
const save = (lines: string[]) => set(Q, lines.slice(-200).join("\n"));

export const track = (type: string, props?: Loose, url = L.href) => {
  const t = Date.now();
  const ev = (type: string, props?: Loose) =>
    save([...box(), JSON.stringify({ id: rid(), type, ts: t, url: url.slice(0, 2048), props: clean(props!) })]);
  const v = touch(t);
  v && ev("session_start", { visit: v });
  ev(type, props);
  // A short batch window: a click and the page view before it travel in one request.
  timer ||= setTimeout(flush, 1e3);
};

/**
 * Sends the oldest outbox events as one batch of ≤100 events and ≤60,000 bytes of UTF-8 (the
 * worker takes 64 KiB, and beacons share a 64 KiB in-flight quota), then the next. The body is a plain string, so
 * it goes out as text/plain: no CORS preflight, and none of the blank bodies Safari has sent for
 * beacons carrying an application/json Blob.
 *
 * hide: the page may be gone in a moment, so batches go by sendBeacon — unless offline, where a
 * "queued" beacon is silently lost: those stay in the outbox, and keepalive fetch is the fallback.
 * Otherwise keepalive fetch (it outlives the page): 2xx done; another 4xx but 429 will never be
 * accepted, so those events are dropped; network error, 5xx and 429 are retried with exponential
 * backoff up to 5 minutes apart.
 */
export const flush: (hide?: any) => void = guard((hide?: any) => {
  timer = clearTimeout(timer);
  if (ok && (hide || !busy)) {
    const c: string[] = [];
    let n = 0;
    let b: any;
    const done = () => save(box().filter((x) => !c.includes(x)));
    for (b of box()) c[99] || ((n += new Blob([b]).size + 1) > 6e4 && c[0]) || c.push(b);
    if (c[0]) {
      b = JSON.stringify({ site, vid, sid }).slice(0, -1) + ',"events":[' + c + "]}";
      hide && N.onLine && N.sendBeacon(E, b)
        ? (done(), flush(1))
        : fetch(E, { method: "POST", body: b, keepalive: (busy = 1) as any })
            .then(
              (r) => r.status < 500 && r.status != 429 && (done(), (delay = 1e3)),
              () => 0,
            )
            .then((sent) => {
              busy = 0;
              sent ? flush() : (timer = setTimeout(flush, (delay = Math.min(delay * 2, 3e5))));
            });
    }
  }
});
