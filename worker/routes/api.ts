import { Hono, type Context, type Next } from "hono";
import { bearerToken, isAdmin, secretsEqual } from "../auth";
import { ApiError } from "../errors";
import type { AppEnv } from "../env";
import { loadSite, visitorContext } from "../site-cache";
import { emailIndexStub, siteStub, visitorStub } from "../stubs";
import type { SiteConfig } from "../site-config";
import { unknownSite } from "./origin";
import { countParam, jsonBody, siteParam, timeParam, vidParam } from "./params";
import { webhooks } from "./webhooks";

/** The backend API: per-site Bearer key (or the admin token); every call lands on one object. */
export const api = new Hono<AppEnv & { Variables: { site: SiteConfig } }>();

/** The key check of `/v1/sites/:site/*` (site API key or admin token); sets `c.get("site")`. Also used by routes/stats.ts. */
export async function siteAuth(c: Context<AppEnv & { Variables: { site: SiteConfig } }>, next: Next) {
  const siteId = siteParam(c.req.param("site"));
  const token = bearerToken(c as unknown as Context<AppEnv>);
  if (!token) throw new ApiError(401, "unauthorized", "Send the site's API key as 'Authorization: Bearer <key>'.");
  const site = await loadSite(c.env, siteId);
  if (!site) throw unknownSite(siteId);
  const allowed = (await secretsEqual(token, site.apiKey)) || (await isAdmin(c as unknown as Context<AppEnv>, token));
  if (!allowed) throw new ApiError(403, "forbidden", `That key is not valid for site '${siteId}'.`);
  c.set("site", site);
  await next();
}

api.use("/v1/sites/:site/*", siteAuth);

api.route("/", webhooks);

const notFound = (vid: string) => new ApiError(404, "visitor_not_found", `No visitor '${vid}' has been seen on this site.`);

api.get("/v1/sites/:site/visitors/:vid", async (c) => {
  const site = c.get("site");
  const vid = vidParam(c.req.param("vid"));
  const visitor = await visitorStub(c.env, site.site, vid).details(visitorContext(site, vid));
  if (!visitor) throw notFound(vid);
  return c.json(visitor);
});

api.get("/v1/sites/:site/visitors", async (c) => {
  const site = c.get("site");
  const email = c.req.query("email")?.trim().toLowerCase();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new ApiError(400, "invalid_email", "Pass ?email=<address> to look visitors up.");
  const index = await emailIndexStub(c.env, site.site, email);
  const vids = await index.list();
  const found = await Promise.all(vids.map((vid) => visitorStub(c.env, site.site, vid).details(visitorContext(site, vid))));
  // The index is updated just after ingest; a visitor whose email changed since is left out.
  const items = found.filter((v) => v !== null && v.traits.email === email);
  return c.json({ items, next: null });
});

api.get("/v1/sites/:site/mqls", async (c) => {
  const site = c.get("site");
  const since = timeParam("since", c.req.query("since")) ?? 0;
  const limit = countParam("limit", c.req.query("limit"), 50, 500);
  const cursor = c.req.query("cursor");
  let before: { at: number; vid: string } | null = null;
  if (cursor !== undefined) {
    const m = /^(\d+):([A-Za-z0-9_-]{8,64})$/.exec(cursor);
    if (!m) throw new ApiError(400, "invalid_cursor", "cursor must be the `next` value of a previous page.");
    before = { at: Number(m[1]), vid: m[2]! };
  }
  return c.json(await siteStub(c.env, site.site).qualifications(since, limit, before));
});

api.post("/v1/sites/:site/visitors/:vid/stage", async (c) => {
  const site = c.get("site");
  const vid = vidParam(c.req.param("vid"));
  const body = (await jsonBody(c.req)) as { stage?: unknown; reason?: unknown } | null;
  const stage = body?.stage;
  if (stage !== "sql" && stage !== "recycled" && stage !== "customer") {
    throw new ApiError(400, "invalid_stage", "stage must be one of 'sql', 'recycled' or 'customer'.");
  }
  const reason = body?.reason ?? "";
  if (typeof reason !== "string" || reason.length > 500) throw new ApiError(400, "invalid_reason", "reason must be a string of at most 500 characters.");
  const result = await visitorStub(c.env, site.site, vid).changeStage(visitorContext(site, vid), stage, reason);
  if (result.kind === "not_found") throw notFound(vid);
  if (result.kind === "refused") throw new ApiError(409, result.code, result.message);
  return c.json({ changed: result.changed, visitor: result.visitor });
});

api.delete("/v1/sites/:site/visitors/:vid", async (c) => {
  const site = c.get("site");
  const vid = vidParam(c.req.param("vid"));
  if (!(await visitorStub(c.env, site.site, vid).erase())) throw notFound(vid);
  return c.json({ erased: true, vid });
});

api.get("/v1/sites/:site/visitors/:vid/events", async (c) => {
  const site = c.get("site");
  const vid = vidParam(c.req.param("vid"));
  const format = c.req.query("format") ?? "jsonl";
  if (format !== "jsonl") throw new ApiError(400, "invalid_format", "format must be 'jsonl'.");
  const events = await visitorStub(c.env, site.site, vid).exportEvents();
  if (!events) throw notFound(vid);
  const body = events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : "");
  return c.body(body, 200, {
    "Content-Type": "application/x-ndjson; charset=utf-8",
    "Content-Disposition": `attachment; filename="${site.site}-${vid}.jsonl"`,
  });
});

api.get("/v1/sites/:site/visitors/:vid/ledger", async (c) => {
  const site = c.get("site");
  const vid = vidParam(c.req.param("vid"));
  const limit = countParam("limit", c.req.query("limit"), 100, 1000);
  const cursor = c.req.query("cursor");
  if (cursor !== undefined && !/^\d+$/.test(cursor)) throw new ApiError(400, "invalid_cursor", "cursor must be the `next` value of a previous page.");
  const page = await visitorStub(c.env, site.site, vid).ledger(limit, cursor === undefined ? null : Number(cursor));
  if (!page) throw notFound(vid);
  return c.json(page);
});
