import { Hono } from "hono";
import { requireAdmin } from "../auth";
import type { AppEnv } from "../env";
import { remember } from "../site-cache";
import { siteStub } from "../stubs";
import { maskSite, parseSiteInput } from "../site-config";
import { unknownSite } from "./origin";
import { jsonBody, siteParam } from "./params";

/** Site administration with the deployment's ADMIN_TOKEN. */
export const admin = new Hono<AppEnv>();

admin.put("/v1/sites/:site", async (c) => {
  await requireAdmin(c);
  const site = siteParam(c.req.param("site"));
  const input = parseSiteInput(await jsonBody(c.req), c.env.ENVIRONMENT === "development");
  const { config, created } = await siteStub(c.env, site).putConfig(site, input, Date.now());
  remember(site, config);
  return c.json(maskSite(config), created ? 201 : 200);
});

admin.get("/v1/sites/:site", async (c) => {
  await requireAdmin(c);
  const site = siteParam(c.req.param("site"));
  const config = await siteStub(c.env, site).getConfig();
  if (!config) throw unknownSite(site);
  return c.json(maskSite(config));
});
