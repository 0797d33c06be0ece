import type { Env } from "./env";
import { siteStub } from "./stubs";
import type { SiteConfig } from "./site-config";
import type { VisitorContext } from "./visitor";

/**
 * Site configs cached in the isolate. Every ingest needs its site's config; asking the one
 * SiteObject each time would cap a whole site at one object's throughput, so each isolate keeps a
 * copy for a few seconds. A rules change reaches visitors through `rulesVersion`: a visitor object
 * that already holds newer rules ignores a stale copy, so a short TTL never rolls rules back.
 */
const TTL_MS = 5_000;
const cache = new Map<string, { config: SiteConfig | null; expires: number }>();

export async function loadSite(env: Env, site: string): Promise<SiteConfig | null> {
  const now = Date.now();
  const hit = cache.get(site);
  if (hit && hit.expires > now) return hit.config;
  const config = await siteStub(env, site).getConfig();
  remember(site, config);
  return config;
}

/** The admin route primes this isolate's cache with what it just stored. */
export function remember(site: string, config: SiteConfig | null): void {
  if (cache.size > 10_000) cache.clear();
  cache.set(site, { config, expires: Date.now() + TTL_MS });
}

export function visitorContext(config: SiteConfig, vid: string): VisitorContext {
  return {
    site: config.site,
    vid,
    rules: config.rules,
    rulesVersion: config.rulesVersion,
    allowAnonymousMql: config.allowAnonymousMql,
    webhooks: config.webhooks,
  };
}
