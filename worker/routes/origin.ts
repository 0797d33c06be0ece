import { ApiError } from "../errors";
import type { SiteConfig } from "../site-config";

/** CORS headers that let the page at `origin` read the answer; none for a request without Origin. */
export function corsFor(origin: string | undefined): Record<string, string> {
  return origin ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {};
}

export function unknownSite(site: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(404, "unknown_site", `No site '${site}' is configured.`, headers);
}

/**
 * The page-facing routes' shared check: a browser request must come from one of the site's origins
 * (matched exactly). A request without Origin — a server-side sender — passes.
 */
export function requireAllowedOrigin(config: SiteConfig, origin: string | undefined, headers: Record<string, string> = {}): void {
  if (origin !== undefined && !config.origins.includes(origin)) {
    throw new ApiError(403, "origin_not_allowed", `Origin ${origin} is not in the allow-list of site '${config.site}'.`, headers);
  }
}
