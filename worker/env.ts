import type { VisitorObject } from "./visitor";
import type { SiteObject } from "./site";
import type { EmailIndexObject } from "./email-index";
import type { CounterObject } from "./counter";

/** Bindings from wrangler.toml plus secrets from `.dev.vars` / `wrangler secret`. */
export interface Env {
  VISITOR: DurableObjectNamespace<VisitorObject>;
  SITE: DurableObjectNamespace<SiteObject>;
  EMAIL_INDEX: DurableObjectNamespace<EmailIndexObject>;
  /** Sharded daily-active-visitor counters, named `${site}:${shard}` (see counter.ts). */
  COUNTER: DurableObjectNamespace<CounterObject>;
  ADMIN_TOKEN?: string;
  /** "development" allows loopback http:// webhook receivers; anything else is production. */
  ENVIRONMENT?: string;
}

export type AppEnv = { Bindings: Env };
