/**
 * Automatic captures (SPEC §4): page views incl. SPA routes, CTA clicks, downloads, form submits,
 * identify forms, cart/wishlist by attribute and by GA4 dataLayer, ad-click landings.
 * Listeners are passive and in the capture phase; none calls preventDefault or delays the page.
 */
import { dwell, restart } from "./engaged";
import { track } from "./transport";
import { D, W, guard, on, type Loose } from "./util";

/**
 * Sends `identify` with the known traits only, and only with an email the worker will accept: it
 * rejects a batch holding a malformed email whole, which would lose the events travelling with it.
 */
export const identify = (t: Loose) => {
  const p: Loose = {};
  for (const k of ["name", "company", "title", "industry", "employees", "country"]) p[k] = t[k];
  p.email = (t.email || "").trim().toLowerCase();
  p.email.length < 255 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(p.email) && track("identify", p);
};

/** URL of the current page view: engaged time is reported against it. */
export let U: string;

/** Identity of a route: in-page anchors (#pricing) are not page views, hash routes (#/pricing, #!/x) are. */
const route = () => location.href.replace(/#(?![!/]).*/, "");
let K = route();

const pageView = (landing?: any) => {
  const r = D.referrer;
  U = location.href;
  track("page_view", {
    funnel: D.querySelector<HTMLMetaElement>('meta[name="mql:funnel"]')?.content,
    title: D.title,
    // The referrer only when landing from elsewhere: an internal referrer says nothing new.
    ref: landing && r.split("/")[2] != location.host ? r : undefined,
  });
};

/**
 * pushState/replaceState/popstate/hashchange all land here. Comparing the route with the last
 * one counted keeps a replaceState of the same URL, or popstate + hashchange for one hash change,
 * from counting twice. Deferred a task, so routers that set the title and funnel meta right after
 * pushState are read correctly and a push followed at once by a redirecting replace counts once.
 */
const nav = () =>
  setTimeout(
    guard(() => {
      if (K != route()) K = route(), dwell(U), restart(), pageView();
    }),
  );

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
  for (const [k, v] of new URLSearchParams(location.search))
    /^utm_/.test(k) ? (ad[k] = v) : /^(gclid|fbclid|msclkid)$/.test(k) && (ad.click_id = k);
  Object.keys(ad)[0] && track("ad_click", ad);

  for (const m of ["pushState", "replaceState"] as const) {
    const o = history[m];
    history[m] = function (this: History) {
      nav();
      return o.apply(this, arguments as any);
    };
  }
  on(W, "popstate hashchange", nav);
  // Back/forward-cache restore: the page is shown again without loading, so it is a new view.
  on(W, "pageshow", (e: PageTransitionEvent) => e.persisted && (restart(), pageView()));

  on(D, "click", (e: Event) => {
    const t = e.target as Element;
    const c = t.closest<HTMLElement>("[data-mql-cta]");
    const l = t.closest<HTMLAnchorElement>("a[href]");
    c && track("cta_click", { name: c.getAttribute("data-mql-cta"), text: c.innerText.trim().slice(0, 99) });
    for (const k of ["cart", "wishlist"]) {
      const el = t.closest("[data-mql-" + k + "]");
      const a = (n: string) => el!.getAttribute("data-mql-" + n);
      el && add(k, a(k), "attr", parseFloat(a("value")!), a("currency"));
    }
    if (l) {
      const x = (/\.(\w+)$/.exec(l.pathname.toLowerCase()) || [])[1];
      (l.hasAttribute("download") ||
        /^(pdf|docx?|xlsx?|pptx?|csv|txt|rtf|od[tsp]|epub|zip|rar|7z|gz|tgz|dmg|pkg|exe|msi|deb|rpm|apk|iso|mp[34]|m4a|wav|mov|avi|webm)$/.test(
          x!,
        )) &&
        track("download", { file: l.href, ext: x });
    }
  });

  on(D, "submit", (e: Event) => {
    const f = e.target as HTMLFormElement;
    // getAttribute, not f.id / f.name / f.action: a field named "name" or "action" shadows those.
    const a = (n: string) => f.getAttribute(n);
    const names: string[] = [];
    const t: Loose = {};
    for (const el of f.elements as any as HTMLInputElement[]) {
      const n = el.name;
      const ty = el.type;
      // Values are kept only for identify (which takes trait names alone), and never from
      // password, hidden or card fields (autocomplete cc-*, names like card/cvv), whatever the
      // name claims; an unchecked radio or checkbox has no value to give.
      n &&
        names.push(n) &&
        !/password|hidden/.test(ty) &&
        !/^cc-/.test(el.autocomplete) &&
        !/card|cvv|cvc|^cc/i.test(n) &&
        (!/radio|checkbox/.test(ty) || el.checked) &&
        (t[ty == "email" ? "email" : n.toLowerCase()] = el.value);
    }
    track("form_submit", {
      kind: a("data-mql-form") || "other",
      form: a("id") || a("name"),
      action: a("action"),
      fields: [...new Set(names)] + "",
    });
    a("data-mql-identify") != null && identify(t);
  });

  // GA4 pushes made before we loaded are in the array already; later ones pass through our push.
  const L = (W.dataLayer = W.dataLayer || []);
  const p = L.push;
  L.forEach(layer);
  L.push = function () {
    [...arguments].map(layer);
    return p.apply(this, arguments);
  };
};
