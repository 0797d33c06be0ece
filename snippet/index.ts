/**
 * mql.js: reads the script tag's data-* options, installs the `mql(...)` API (replaying calls
 * queued before it loaded), captures what SPEC §4 lists and delivers it in batches.
 *
 *   <script defer src="https://t.example.com/mql.js" data-site="demo"></script>
 *   options: data-site, data-endpoint, data-consent="required", data-dnt="respect"
 *
 * Size is a feature (1,800 B gzip budget, README.md "The snippet" → "Size"), so the snippet only
 * observes and delivers; whatever the worker can work out from what it receives is worked out
 * there, once, instead of on every page view of every visitor:
 * - sessions and visit counts (`session_start`) come from the gaps between the visitor's events,
 *   and ad-click landings (`ad_click`) from the query of the page view's URL (shared/derive.ts);
 * - checking props, custom names and emails: the worker refuses a bad event alone and says why
 *   in its answer, while the rest of the batch is stored (shared/events.ts).
 *
 * One file on purpose: state shared across parts (consent, ids, the outbox, the current page
 * view) stays plain variables instead of exported setters, which the bundle would pay for.
 */
import { D, L, N, W, guard, now, rid } from "./util";

/* ─── Storage and consent ─────────────────────────────────────────────────────────────────── */

/** Consent state: while falsy nothing is sent, and nothing is written to storage or cookies. */
let ok: any;
/** localStorage, or a plain object where touching it throws (Safari private mode, storage off). */
let store: any = {};
let site: any;
let vid: any;
let E: any; // the ingest endpoint, a URL
let Q: any[] = []; // the outbox, oldest first
let timer: any; // the batch window, or the next retry
let busy: any; // one fetch in flight at a time keeps retries ordered and cheap
let delay = 1e3;

/**
 * Persists the visitor id (localStorage and a first-party cookie, each surviving a wipe of the
 * other; 400 days is Chrome's cap, in plain digits because "34e6" would be ignored) and mirrors
 * the outbox, so what is not delivered yet is retried by the next page. The outbox is capped,
 * newest kept, so we never take much of the site's storage quota; a refused write is swallowed.
 */
const save = () => {
  if (ok) {
    D.cookie = "mql_vid=" + vid + ";path=/;max-age=34560000";
    try {
      store.mql_vid = vid;
      store.mql_q = JSON.stringify((Q = Q.slice(-200)));
    } catch {}
  }
};

/** Records one event; the batch window makes a click and the page view before it one request. */
const track = (type: string, props?: any, url = L.href) => {
  Q.push({ id: rid(), type, ts: now(), url: url.slice(0, 2048), props });
  save();
  timer ||= setTimeout(flush, 1e3);
};

/* ─── Delivery (SPEC §4 "Delivery", §5 `POST /e`) ─────────────────────────────────────────── */

/**
 * Sends the oldest events as one batch of ≤100 events and ≤20,000 characters, so ≤60,000 bytes
 * of UTF-8 however many are multi-byte (the worker takes 64 KiB, and beacons share a 64 KiB
 * in-flight quota; counting characters spares the bytes of measuring UTF-8). The body is a plain
 * string, so it goes out as text/plain: no CORS preflight, and none of the blank bodies Safari has
 * sent for beacons carrying an application/json Blob.
 *
 * Events leave the outbox only once answered for: 2xx done (an event the worker refused on its
 * own is named in the answer; resending it would not help); another 4xx dropped; a network error,
 * 5xx or 429 kept and retried with exponential backoff up to 5 minutes apart, on `online`, and by
 * the next page. Duplicates this can cause are harmless: ingest dedupes event ids.
 *
 * hide: the page may be gone in a moment, so batches go by sendBeacon — unless offline, where a
 * "queued" beacon is silently lost: then, and if the beacon is refused, keepalive fetch (it
 * outlives the page).
 */
const flush: (hide?: any) => void = guard((hide?: any) => {
  timer = clearTimeout(timer);
  let c: any;
  let b: any;
  const done = () => ((Q = Q.filter((x) => !c.includes(x))), save());
  if (ok && (hide || !busy) && Q[0]) {
    for (c = Q.slice(0, 100); (b = JSON.stringify({ site, vid, events: c })).length > 2e4 && c[1]; ) c.pop();
    hide && N.onLine && N.sendBeacon(E, b)
      ? (done(), flush(1))
      : (busy = fetch(E, { method: "POST", body: b, keepalive: 1 as any })
          .then(
            (r: any) => (r = r.status) < 500 && r != 429,
            () => 0,
          )
          .then((sent) => {
            busy = 0;
            sent && done();
            timer = setTimeout(flush, (delay = sent ? 1e3 : Math.min(delay * 2, 3e5)));
          }));
  }
});

/* ─── Page views and engaged time ─────────────────────────────────────────────────────────── */

let S = 0; // engaged seconds not yet reported
let total = 0; // engaged seconds reported for the current page view
let A = now(); // last input
let U: any; // URL of the current page view: engaged time is reported against it
let K: any; // the route last counted as a page view
let dl = 0; // dataLayer entries already read

/** Reports the engaged seconds since the last report as `dwell`, against the current page view. */
const dwell = () => {
  S && track("dwell", { seconds: S, total: (total += S) }, U);
  S = 0;
};

/** GA4 e-commerce: `dataLayer.push({event, ecommerce})` (GTM) or `gtag('event', name, params)`. */
const layer = guard((d: any) => {
  const k = /^add_to_(cart|wishlist)$/.exec(d[1] || d.event);
  const e = d[2] || d.ecommerce;
  k &&
    track(k[1] + "_add", {
      sku: e.items.map((i: any) => i.item_id || i.item_name) + "",
      value: e.value,
      currency: e.currency,
    });
});

/**
 * Runs on load, on every one-second tick and before the page is hidden. It reads what was pushed
 * onto dataLayer since the last time (pushes made before we loaded included, without wrapping
 * push), and counts a page view when the route changed: polling sees pushState, replaceState,
 * popstate and hash routes alike — also from routers that kept their own reference to
 * history.pushState — never counts one route twice, and reads the funnel meta after the router
 * has set it. In-page anchors (#pricing) are not page views, hash routes (#/pricing, #!/x) are.
 * Engaged time is flushed before the new view.
 */
const check = (r = L.href.replace(/#(?![!/]).*/, "")) => {
  for (const d = W.dataLayer || []; dl < d.length; ) layer(d[dl++]);
  K != r &&
    (dwell(),
    (total = 0),
    track("page_view", { funnel: D.querySelector<HTMLMetaElement>('meta[name="mql:funnel"]')?.content }, (U = L.href)),
    (K = r));
};

/* ─── Captures ────────────────────────────────────────────────────────────────────────────── */

/** Flush on hide, never on unload/beforeunload: those break the back/forward cache. */
const hide = () => (check(), dwell(), flush(1));

/** What each listened event does beyond counting as activity. */
const on: any = {
  click: (e: any) => {
    const t = e.target;
    const l = t.closest("a[href]");
    let c: any;
    let x: any;
    let v: any;
    for (x of ["cta", "cart", "wishlist"])
      (c = t.closest(`[${(v = "data-mql-" + x)}]`)) &&
        ((v = c.getAttribute(v)),
        x == "cta"
          ? track("cta_click", { name: v })
          : track(x + "_add", { sku: v, value: c.dataset.mqlValue, currency: c.dataset.mqlCurrency }));
    l &&
      (/\.(pdf|(doc|xls|ppt)x?|csv|zip|rar|7z|gz|dmg|exe|msi|pkg|epub|mp[34]|mov)$/i.test(l.pathname) ||
        l.hasAttribute("download")) &&
      track("download", { file: l.href });
  },
  submit: (e: any) => {
    const f = e.target;
    // getAttribute, not f.id / f.name / f.action: a field named "name" or "action" shadows those.
    const a = (n: string) => f.getAttribute(n);
    const names: string[] = [];
    let el;
    for (el of f.elements) el.name && names.push(el.name);
    track("form_submit", {
      kind: a("data-mql-form") || "other",
      form: a("id") || a("name"),
      action: a("action"),
      fields: [...new Set(names)] + "",
    });
    // Only the value of the form's <input type=email> is ever read: no other value (password,
    // card, hidden, message) can leave the page, whatever the form's field names claim.
    a("data-mql-identify") != null &&
      (el = f.querySelector("[type=email]")) &&
      track("identify", { email: el.value });
  },
  visibilitychange: () => D.hidden && hide(),
  pagehide: hide,
  // A back/forward-cache restore shows the page again without loading it: a new page view.
  pageshow: (e: any) => e.persisted && ((K = 1), check()),
  online: () => flush(),
};

/* ─── Start ───────────────────────────────────────────────────────────────────────────────── */

guard(() => {
  const s = D.currentScript as HTMLScriptElement;
  const d = s.dataset;
  const q = W.mql?.q || [];
  let k: any;
  // DNT/GPC honoured when asked: nothing is captured, stored or sent, and the queue stub stays, so
  // the page's calls are held in memory and go nowhere.
  if (d.dnt && (N.doNotTrack == 1 || N.globalPrivacyControl)) return;
  // What earlier pages left undelivered; a corrupted copy (not an array) is dropped.
  try {
    store = localStorage;
    Q = [...JSON.parse(store.mql_q || "[]")];
  } catch {}
  ok = !d.consent || store.mql_c;
  site = d.site;
  // Relative endpoints resolve against the script's URL; the default is the script's origin + /e.
  E = new URL(d.endpoint || "/e", s.src);
  // The visitor id comes from localStorage, else the cookie, else is new; only a value matching
  // the worker's id pattern is taken (a corrupted one would get every batch refused). [x] is ""
  // when x is undefined, where x itself would read "undefined" — a valid-looking id.
  vid = (("mql_vid=" + [store.mql_vid] + ";" + D.cookie).match(/mql_vid=([\w-]{8,64})/) || [0, rid()])[1];
  check();

  // One passive capture-phase listener on window for everything (a page calling stopPropagation
  // cannot hide its clicks and submits from us); none calls preventDefault. Input, focus, showing
  // the tab and a back/forward-cache restore all count as activity.
  for (k of "pointermove keydown scroll focus click submit visibilitychange pagehide pageshow online".split(" "))
    addEventListener(k, guard((e: any) => ((A = now()), on[e.type]?.(e))), { capture: 1, passive: 1 } as any);

  // The engaged-time clock: a one-second tick counts a second only while the page is visible,
  // focused and had input within the last 30 s, and reports every 15 engaged seconds. Counting
  // ticks, not wall-clock differences, is the clamp: a sleeping laptop or a page frozen in the
  // back/forward cache fires no ticks, and a throttled background tab is not visible.
  setInterval(guard(() => (check(), !D.hidden && D.hasFocus() && now() - A < 3e4 && ++S > 14 && dwell())), 1e3);

  W.mql = guard((c: string, a: any, b: any) =>
    (<any>{
      track: () => track(a, b),
      identify: () => track(c, a),
      // Status reveals the visitor id to the worker, so it too waits for consent. A failing
      // callback is the page's business, not its console's.
      status: () => ok && fetch(new URL("v/" + site + "/" + vid + "/status", E)).then((r) => r.json()).then(guard(a), guard),
      // Granting persists what memory held until now; withdrawing deletes the cookie and blanks
      // what we stored. The consent flag is written last: a full quota cannot undo the rest.
      consent: () => {
        (ok = a = a ? 1 : "") ? save() : ((D.cookie = "mql_vid=;path=/;max-age=0"), (store.mql_vid = store.mql_q = ""));
        flush();
        store.mql_c = a;
      },
    })[c](),
  );
  for (k of q) W.mql(...k);
})();
