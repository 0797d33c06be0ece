import type { VisitorObject } from "./visitor";
import type { SiteObject } from "./site";
import type { EmailIndexObject } from "./email-index";

/** Bindings from wrangler.toml plus secrets from `.dev.vars` / `wrangler secret`. */
export interface Env {
  VISITOR: DurableObjectNamespace<VisitorObject>;
  SITE: DurableObjectNamespace<SiteObject>;
  EMAIL_INDEX: DurableObjectNamespace<EmailIndexObject>;
  ADMIN_TOKEN?: string;
  /** "development" allows loopback http:// webhook receivers; anything else is production. */
  ENVIRONMENT?: string;
}

export type AppEnv = { Bindings: Env };
