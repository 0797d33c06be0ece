/**
 * Automatic captures (SPEC §4): page views incl. SPA routes, CTA clicks, downloads, form submits,
 * identify forms, cart/wishlist by attribute and by GA4 dataLayer, ad-click landings.
 * Listeners are passive and in the capture phase; none calls preventDefault or delays the page.
 */
import { dwell, restart } from "./engaged";
import { track } from "./transport";
import { D, L, W, guard, on, type Loose } from "./util";

/**
 * Sends `identify` only with an email the worker will accept: it rejects a batch holding a
 * malformed email whole, which would lose the events travelling with it.
 */
export const identify = (t: Loose) => {
  t = { ...t };
  /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test((t.email = (t.email + "").trim().toLowerCase())) && track("identify", t);
};

/** URL of the current page view: engaged time is reported against it. */
export let U: string;

/** The referrer goes with the first page view of a document load only (`landing`). */
export const pageView = (landing?: any) =>
  track(
    "page_view",
    {
      funnel: D.querySelector<HTMLMetaElement>('meta[name="mql:funnel"]')?.content,
      title: D.title,
      ref: landing && D.referrer,
    },
    (U = L.href),
  );

/** Identity of a route: in-page anchors (#pricing) are not page views, hash routes (#/pricing, #!/x) are. */
const route = () => L.href.replace(/#(?![!/]).*/, "");
let K = route();

/**
 * SPA navigation by comparing the route with the last one counted, on every one-second tick and
 * before the page is hidden. Polling sees pushState, replaceState, popstate and hash routes alike
 * — also from routers that kept their own reference to history.pushState — never counts one
 * route twice (a replaceState of the same URL, popstate + hashchange for one change), and reads the
 * title and funnel meta after the router has set them.
 */
export const checkRoute = () => K != route() && ((K = route()), dwell(U), restart(), pageView());

const add = (k: string, sku: any, source: string, value: any, currency: any) =>
  track(k + "_add", { sku, source, value, currency });

/** GA4 e-commerce: `dataLayer.push({event, ecommerce})` (GTM) or `gtag('event', name, params)`. */
const layer = guard((d: any) => {
  const [n, e] = d[0] == "event" ? [d[1], d[2]] : [d.event, d.ecommerce];
  const k = /^add_to_(cart|wishlist)$/.exec(n);
  k && e && add(k[1]!, (e.items || []).map((i: Loose) => i.item_id || i.item_name) + "", "datalayer", e.value, e.currency);
});

export const startCapture = () => {
  pageView(1);

  // Ad-click landing: campaign tags as given, and which click id was present (never its value).
  const ad: Loose = {};
  for (const [k, v] of new URLSearchParams(L.search))
    /^utm_/.test(k) ? (ad[k] = v) : /^(gclid|fbclid|msclkid)$/.test(k) && (ad.click_id = k);
  for (const _ in ad) {
    track("ad_click", ad);
    break;
  }

  on(D, "click", (e: Event) => {
    const t = e.target as Element;
    let c = t.closest<HTMLElement>("[data-mql-cta]");
    const l = t.closest<HTMLAnchorElement>("a[href]");
    let x: any;
    c && track("cta_click", { name: c.dataset.mqlCta, text: c.innerText.trim() });
    for (x of ["cart", "wishlist"])
      (c = t.closest("[data-mql-" + x + "]")) &&
        add(x, c.getAttribute("data-mql-" + x), "attr", +c.dataset.mqlValue!, c.dataset.mqlCurrency);
    l &&
      ((x = l.pathname.toLowerCase().match(/\.(pdf|docx?|xlsx?|pptx?|csv|zip|rar|7z|gz|dmg|exe|msi|pkg|epub|mp[34]|mov)$/)),
      (x || l.hasAttribute("download")) && track("download", { file: l.href, ext: x?.[1] }));
  });

  on(D, "submit", (e: Event) => {
    const f = e.target as HTMLFormElement;
    // getAttribute, not f.id / f.name / f.action: a field named "name" or "action" shadows those.
    const a = (n: string) => f.getAttribute(n);
    const names: string[] = [];
    const t: Loose = {};
    let n;
    // Values are kept only for identify traits (fields named email, name, company, …), and never
    // from password, hidden or card (autocomplete cc-*) fields, whatever their name claims; an
    // unchecked radio or checkbox has no value to give. A field named like card/cc/cvv can never
    // be a trait, so its value can never leave either.
    for (const el of f.elements as any)
      (n = el.name) &&
        names.push(n) &&
        /^(email|name|company|title|industry|employees|country)$/i.test(n) &&
        !/password|hidden|radio|checkbox|cc-/.test(el.type + el.autocomplete) &&
        (t[n.toLowerCase()] = el.value);
    track("form_submit", {
      kind: f.dataset.mqlForm || "other",
      form: a("id") || a("name"),
      action: a("action"),
      fields: [...new Set(names)] + "",
    });
    "mqlIdentify" in f.dataset && identify(t);
  });

  // GA4 pushes made before we loaded are in the array already; later ones pass through our push.
  // Guarded on its own: a page whose dataLayer is not an array must not cost the other captures.
  guard(() => {
    const dl = (W.dataLayer = W.dataLayer || []);
    const push = dl.push;
    dl.map(layer);
    dl.push = function () {
      [...arguments].map(layer);
      return push.apply(this, arguments);
    };
  })();
};
