/**
 * mql.js: reads the script tag's data-* options, installs the `mql(...)` API (replaying calls
 * queued before it loaded), captures what SPEC §4 lists and delivers it in batches.
 *
 *   <script defer src="https://t.example.com/mql.js" data-site="demo"></script>
 *   options: data-site, data-endpoint, data-consent="required", data-dnt="respect"
 *
 * One file on purpose: state shared across parts (consent, ids, the outbox, the current page
 * view) stays plain variables instead of exported setters, which the bundle would pay for.
 */
import { D, L, N, W, guard, now, rid } from "./util";

const VID = "mql_vid";

/* ─── Storage and consent ─────────────────────────────────────────────────────────────────── */

/** Consent state: while falsy nothing is sent, and nothing is written to storage or cookies. */
let ok: any;
/**
 * In-memory copy of everything we store: it keeps the snippet working when localStorage is
 * blocked (Safari private mode, storage disabled) and holds ids until consent allows persisting.
 */
const mem: any = {};
/** localStorage, or the memory copy where touching it throws. */
let store: any = mem;

/** localStorage first (shared by the site's tabs), memory else; always a string. */
const get = (k: string): string => store[k] || mem[k] || "";

const set = (k: string, v: any) => {
  mem[k] = v;
  if (ok) {
    // The cookie mirrors the visitor id only: it survives a localStorage wipe and vice versa.
    // max-age must be plain digits ("34e6" would be ignored); 400 days is Chrome's cap.
    k == VID && (D.cookie = k + "=" + v + ";path=/;max-age=34560000");
    // A refused write (quota) is swallowed: the site's own storage is not ours to fight for.
    try {
      store[k] = v;
    } catch {}
  }
};

/* ─── Events and sessions ─────────────────────────────────────────────────────────────────── */

let site: any;
let vid: any;
let sid: any;
let E: any; // the ingest endpoint, a URL
let Q: any[] = []; // the outbox, oldest first
let timer: any; // the batch window, or the next retry
let busy: any; // one fetch in flight at a time keeps retries ordered and cheap
let delay = 1e3;

/**
 * Mirrors the outbox to localStorage, so what is not delivered yet is retried by the next page.
 * Capped (newest kept) so we never take much of the host site's storage quota.
 */
const save = () => set("mql_q", JSON.stringify((Q = Q.slice(-200))).slice(1, -1));

/**
 * Records one event. Props are coerced to what the worker accepts (≤20 keys `\w{1,40}`, strings
 * cut at 1,024 characters, finite numbers, booleans) and the rest dropped — undefined, null, NaN,
 * objects and empty strings included — because one bad prop gets the whole batch refused.
 * 30 minutes without events opens a new session: `session_start` with the persisted visit count
 * goes ahead of the event that opened it. The session is stored as "sid,last,visit", re-read on
 * every event so the site's tabs share it.
 */
const track = (type: string, props?: any, url = L.href) => {
  const ts = now();
  const add = (type: string, p: any) => {
    const o: any = {};
    let n = 0;
    let k;
    let v;
    for (k in p)
      (v = p[k]),
        n < 20 &&
          /^\w{1,40}$/.test(k) &&
          (typeof v == "string" ? (v = v.slice(0, 1024)) : v === !!v || Number.isFinite(v)) &&
          ((o[k] = v), n++);
    Q.push({ id: rid(), type, ts, url: url.slice(0, 2048), props: o });
  };
  let [s, last, visit]: any = get("mql_s").split(",");
  ts - last < 18e5 ? (sid = s) : ((sid = rid()), add("session_start", { visit: (visit = -~visit) }));
  set("mql_s", [sid, ts, visit] + "");
  add(type, props);
  save();
  // A short batch window: a click and the page view before it travel in one request.
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
 * Events leave the outbox only once answered for: 2xx done; another 4xx dropped (it would never be
 * accepted); a network error, 5xx or 429 kept and retried with exponential backoff up to 5 minutes
 * apart, on `online`, and by the next page. Duplicates this can cause (a batch answered after its
 * page was gone) are harmless: ingest dedupes event ids.
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
    for (c = Q.slice(0, 100); (b = JSON.stringify({ site, vid, sid, events: c })).length > 2e4 && c[1]; ) c.pop();
    hide && N.onLine && N.sendBeacon(E, b)
      ? (done(), flush(1))
      : ((busy = 1),
        fetch(E, { method: "POST", body: b, keepalive: 1 as any })
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
      source: "datalayer",
      value: e.value,
      currency: e.currency,
    });
});

/**
 * Runs on load, on every one-second tick and before the page is hidden. It reads what was pushed
 * onto dataLayer since the last time (pushes made before we loaded included, without wrapping
 * push), and counts a page view when the route changed: polling sees pushState, replaceState,
 * popstate and hash routes alike — also from routers that kept their own reference to
 * history.pushState — never counts one route twice, and reads the title and funnel meta after the
 * router has set them. In-page anchors (#pricing) are not page views, hash routes (#/pricing, #!/x)
 * are. Engaged time is flushed before the new view; the referrer goes with the first view of a load.
 */
const check = (r = L.href.replace(/#(?![!/]).*/, "")) => {
  for (const d = W.dataLayer || []; dl < d.length; ) layer(d[dl++]);
  K != r &&
    (dwell(),
    (total = 0),
    track(
      "page_view",
      {
        funnel: D.querySelector<HTMLMetaElement>('meta[name="mql:funnel"]')?.content,
        title: D.title,
        ref: !K && D.referrer,
      },
      (U = L.href),
    ),
    (K = r));
};

/* ─── Captures ────────────────────────────────────────────────────────────────────────────── */

/**
 * Sends `identify` only with an email the worker will accept: it refuses a batch holding a
 * malformed email whole, which would lose the events travelling with it.
 */
const identify = (t: any, e = (t.email + "").trim().toLowerCase()) =>
  /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(e) && track("identify", { ...t, email: e });

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
        x[2] == "a"
          ? track("cta_click", { name: v, text: c.innerText.trim() })
          : track(x + "_add", { sku: v, source: "attr", value: +c.dataset.mqlValue, currency: c.dataset.mqlCurrency }));
    l &&
      ((x = l.pathname.toLowerCase().match(/\.(pdf|(doc|xls|ppt)x?|csv|zip|rar|7z|gz|dmg|exe|msi|pkg|epub|mp[34]|mov)$/)),
      (x || l.hasAttribute("download")) && track("download", { file: l.href, ext: x?.[1] }));
  },
  submit: (e: any) => {
    const f = e.target;
    // getAttribute, not f.id / f.name / f.action: a field named "name" or "action" shadows those.
    const a = (n: string) => f.getAttribute(n);
    const names: string[] = [];
    const t: any = {};
    let n;
    let el;
    // Values are kept only for identify traits (fields named email, name, company, …), and never
    // from password, hidden or card (autocomplete cc-*) fields, whatever their name claims; an
    // unchecked radio or checkbox has no value to give.
    for (el of f.elements)
      (n = el.name) &&
        names.push(n) &&
        /^(email|name|company|title|industry|employees|country)$/i.test(n) &&
        !/password|hidden|radio|checkbox|cc-/.test(el.type + el.autocomplete) &&
        (t[n.toLowerCase()] = el.value);
    track("form_submit", {
      kind: a("data-mql-form") || "other",
      form: a("id") || a("name"),
      action: a("action"),
      fields: [...new Set(names)] + "",
    });
    a("data-mql-identify") != null && identify(t);
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
  let v: any;
  W.mql = () => 0;
  // DNT/GPC honoured when asked: the API stays callable, but nothing is captured, stored or sent.
  if (d.dnt && (N.doNotTrack == 1 || N.globalPrivacyControl)) return;
  // What earlier pages left undelivered; a corrupted copy is dropped.
  try {
    store = localStorage;
    Q = JSON.parse("[" + get("mql_q") + "]");
  } catch {}
  ok = !d.consent || get("mql_c");
  site = d.site;
  // Relative endpoints resolve against the script's URL; the default is the script's origin + /e.
  E = new URL(d.endpoint || "/e", s.src);
  // The visitor id comes from localStorage, else the cookie, else is new; only a value matching
  // the worker's id pattern is taken (a corrupted one would get every batch refused).
  set(VID, (vid = ((VID + "=" + get(VID) + ";" + D.cookie).match(/mql_vid=([\w-]{8,64})/) || [0, rid()])[1]));
  check();

  // Ad-click landing: campaign tags as given, and which click id was present (never its value).
  const ad: any = {};
  let hit: any;
  for ([k, v] of new URLSearchParams(L.search))
    /^utm_/.test(k) ? (ad[k] = hit = v) : /^(gclid|fbclid|msclkid)$/.test(k) && (ad.click_id = hit = k);
  hit && track("ad_click", ad);

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
      track: () => /^[a-z0-9_]{1,40}$/.test(a) && track(a, b),
      identify: () => identify(a),
      // Status reveals the visitor id to the worker, so it too waits for consent. A failing
      // callback is the page's business, not its console's.
      status: () => ok && fetch(new URL("v/" + site + "/" + vid + "/status", E)).then((r) => r.json()).then(guard(a), guard),
      // Granting persists what memory held until now; withdrawing blanks every key we stored.
      consent: () => {
        ok = 1;
        set("mql_c", (a = a ? 1 : ""));
        for (k in mem) set(k, a && mem[k]);
        ok = a;
        flush();
      },
    })[c](),
  );
  for (k of q) W.mql(...k);
})();
