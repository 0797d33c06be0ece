import { Hono } from "hono";
import { requireAdmin } from "../auth";
import { ApiError } from "../errors";
import type { AppEnv } from "../env";
import { remember } from "../site-cache";
import { maskSite, parseSiteInput } from "../site-config";
import { jsonBody, siteParam } from "./params";

/** Site administration with the deployment's ADMIN_TOKEN. */
export const admin = new Hono<AppEnv>();

admin.put("/v1/sites/:site", async (c) => {
  await requireAdmin(c);
  const site = siteParam(c.req.param("site"));
  const input = parseSiteInput(await jsonBody(c.req), c.env.ENVIRONMENT === "development");
  const { config, created } = await c.env.SITE.get(c.env.SITE.idFromName(site)).putConfig(site, input, Date.now());
  remember(site, config);
  return c.json(maskSite(config), created ? 201 : 200);
});

admin.get("/v1/sites/:site", async (c) => {
  await requireAdmin(c);
  const site = siteParam(c.req.param("site"));
  const config = await c.env.SITE.get(c.env.SITE.idFromName(site)).getConfig();
  if (!config) throw new ApiError(404, "unknown_site", `No site '${site}' is configured.`);
  return c.json(maskSite(config));
});
