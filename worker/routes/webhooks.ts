import { Hono } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../env";
import { siteStub, visitorStub } from "../stubs";
import type { SiteConfig } from "../site-config";
import { countParam } from "./params";

/** The site-wide webhook delivery log and replay (mounted behind the backend API's key check). */
export const webhooks = new Hono<AppEnv & { Variables: { site: SiteConfig } }>();

const STATUSES = ["pending", "delivered", "failed"] as const;

webhooks.get("/v1/sites/:site/webhooks/deliveries", async (c) => {
  const site = c.get("site");
  const status = c.req.query("status") ?? null;
  if (status !== null && !STATUSES.includes(status as (typeof STATUSES)[number])) {
    throw new ApiError(400, "invalid_status", "status must be one of 'pending', 'delivered' or 'failed'.");
  }
  const limit = countParam("limit", c.req.query("limit"), 50, 500);
  const cursor = c.req.query("cursor");
  let before: { createdAt: string; id: string } | null = null;
  if (cursor !== undefined) {
    const [createdAt, id] = cursor.split("|");
    if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
      throw new ApiError(400, "invalid_cursor", "cursor must be the `next` value of a previous page.");
    }
    before = { createdAt, id };
  }
  const page = await siteStub(c.env, site.site).deliveries(
    status as (typeof STATUSES)[number] | null,
    limit,
    before,
  );
  return c.json(page);
});

webhooks.post("/v1/sites/:site/webhooks/deliveries/:id/retry", async (c) => {
  const site = c.get("site");
  const id = c.req.param("id");
  const missing = new ApiError(404, "delivery_not_found", `No delivery '${id}' exists for site '${site.site}'.`);
  const vid = await siteStub(c.env, site.site).deliveryOwner(id);
  if (!vid) throw missing;
  const summary = await visitorStub(c.env, site.site, vid).retryDelivery(id);
  if (!summary) throw missing;
  return c.json(summary, 202);
});
