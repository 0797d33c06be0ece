/**
 * mql.js entry: reads the script tag's data-* options, installs the `mql(...)` API (draining calls
 * queued before we loaded), starts the captures and wires delivery to page hide.
 *
 *   <script defer src="https://t.example.com/mql.js" data-site="demo"></script>
 *   options: data-site, data-endpoint, data-consent="required", data-dnt="respect"
 */
import { U, identify, startCapture } from "./capture";
import { dwell, startEngaged } from "./engaged";
import { E, drop, flush, pump, setup, site, track } from "./transport";
import { D, N, W, allow, forget, get, guard, mem, ok, on, set } from "./util";
import { initVisitor, vid } from "./visitor";

guard(() => {
  const stub = W.mql;
  if (stub?.l) return; // the tag is on the page twice: one copy is enough
  const s = (D.currentScript || D.querySelector("script[data-site]")) as HTMLScriptElement;
  const d = s.dataset;

  const api = (W.mql = guard((c: string, a: any, b: any) => {
    c == "track" && /^[a-z0-9_]{1,40}$/.test(a) && track(a, b || {});
    c == "identify" && identify(a);
    // Status reveals the visitor id to the worker, so it too waits for consent.
    c == "status" &&
      ok &&
      fetch(new URL("v/" + site + "/" + vid + "/status", E))
        .then((r) => r.ok && r.json())
        .then((j) => j && a(j))
        .catch(() => {}); // a failing callback is the page's business, not its console's
    c == "consent" &&
      (a
        ? (allow(1), set("mql_c", "1"), Object.keys(mem).map((k) => set(k, mem[k]!)), flush()) // persist what memory held
        : (forget(), allow(0), drop()));
  }) as any);
  api.l = 1;

  // DNT/GPC honoured when asked: the API stays callable, but nothing is captured, stored or sent.
  if (d.dnt == "respect" && (N.doNotTrack == "1" || N.globalPrivacyControl)) return (W.mql = () => {});

  allow(d.consent != "required" || get("mql_c"));
  // Relative endpoints resolve against the script's URL; the default is the script's origin + /e.
  setup(d.site!, new URL(d.endpoint || "/e", s.src) + "");
  initVisitor();
  startEngaged(() => U);
  startCapture();

  // Flush on hide, never on unload/beforeunload: those break the back/forward cache, and hidden
  // is the last moment that reliably fires on mobile.
  const hide = () => (dwell(U), flush(1));
  on(D, "visibilitychange", () => D.hidden && hide());
  on(W, "pagehide", hide);
  on(W, "online", pump);

  for (const a of stub?.q || []) api(...a);
  pump(); // batches left over by earlier pages
})();
