import { Hono } from "hono";
import type { AppEnv } from "../env";
import { DEMO_HTML, SNIPPET_ETAG, SNIPPET_JS } from "../generated/snippet";
import { loadSite, visitorContext } from "../site-cache";
import { visitorStub } from "../stubs";
import { corsFor, requireAllowedOrigin, unknownSite } from "./origin";
import { siteParam, vidParam } from "./params";

/** What pages load: the snippet, the visitor's own status, and the demo landing page. */
export const publicRoutes = new Hono<AppEnv>();

publicRoutes.get("/mql.js", (c) => {
  const headers = {
    "Content-Type": "text/javascript; charset=utf-8",
    // Short enough that a new release reaches pages within minutes; ETag makes revalidation cheap.
    "Cache-Control": "public, max-age=300, stale-while-revalidate=86400",
    ETag: SNIPPET_ETAG,
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
  };
  const match = c.req.header("if-none-match");
  if (match && match.split(/\s*,\s*/).some((tag) => tag === SNIPPET_ETAG || tag === `W/${SNIPPET_ETAG}` || tag === "*")) {
    return c.body(null, 304, headers);
  }
  return c.body(SNIPPET_JS, 200, headers);
});

publicRoutes.get("/v/:site/:vid/status", async (c) => {
  const origin = c.req.header("origin");
  const site = siteParam(c.req.param("site"));
  const vid = vidParam(c.req.param("vid"));
  const config = await loadSite(c.env, site);
  if (!config) throw unknownSite(site);
  requireAllowedOrigin(config, origin);
  const status = await visitorStub(c.env, site, vid).status(visitorContext(config, vid));
  return c.json(status, 200, { "Cache-Control": "no-store", ...corsFor(origin) });
});

publicRoutes.get("/demo", (c) => c.html(DEMO_HTML));
publicRoutes.get("/", (c) => c.redirect("/demo"));
