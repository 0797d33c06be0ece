/**
 * mql.js entry: reads the script tag's data-* options, installs the `mql(...)` API (draining calls
 * queued before we loaded), starts the captures and wires delivery to page hide.
 *
 *   <script defer src="https://t.example.com/mql.js" data-site="demo"></script>
 *   options: data-site, data-endpoint, data-consent="required", data-dnt="respect"
 */
import { U, checkRoute, identify, pageView, startCapture } from "./capture";
import { act, dwell, restart, tick } from "./engaged";
import { E, flush, setup, site, track } from "./transport";
import { D, N, W, allow, get, guard, mem, ok, on, set } from "./util";
import { initVisitor, vid } from "./visitor";

guard(() => {
  const stub = W.mql;
  const s = D.currentScript as HTMLScriptElement;
  const d = s.dataset;
  const api: any = {
    track: (name: string, props: any) => /^[a-z0-9_]{1,40}$/.test(name) && track(name, props),
    identify,
    // Status reveals the visitor id to the worker, so it too waits for consent.
    status: (cb: any) =>
      ok &&
      fetch(new URL("v/" + site + "/" + vid + "/status", E))
        .then((r) => r.json())
        .then(cb)
        .catch(() => 0), // a failing callback is the page's business, not its console's
    // Granting persists what memory held until now; withdrawing blanks every key we stored.
    consent: (a: any) => {
      allow(1);
      set("mql_c", (a = a ? 1 : ""));
      for (const k in mem) set(k, a && mem[k]);
      allow(a);
      flush();
    },
  };
  W.mql = guard((c: string, ...a: any[]) => api[c](...a));

  // DNT/GPC honoured when asked: the API stays callable, but nothing is captured, stored or sent.
  if (d.dnt && (N.doNotTrack == 1 || N.globalPrivacyControl)) return (W.mql = () => 0);

  allow(!d.consent || get("mql_c"));
  // Relative endpoints resolve against the script's URL; the default is the script's origin + /e.
  setup(d.site!, new URL(d.endpoint || "/e", s.src) + "");
  initVisitor();
  startCapture();

  // Flush on hide, never on unload/beforeunload: those break the back/forward cache, and hidden
  // is the last moment that reliably fires on mobile.
  const hide = () => (checkRoute(), dwell(U), flush(1));
  on(D, "pointerdown pointermove keydown scroll visibilitychange", () => (act(), D.hidden && hide()));
  // A back/forward-cache restore shows the page again without loading it: a new page view.
  on(W, "focus pageshow", (e: PageTransitionEvent) => (act(), e.persisted && (restart(), pageView())));
  on(W, "pagehide", hide);
  on(W, "online", () => flush()); // not flush(event): that would mean "hide"
  setInterval(guard(() => (checkRoute(), tick(U))), 1e3);

  for (const a of stub?.q || []) W.mql(...a);
  flush(); // events left over by earlier pages
})();
