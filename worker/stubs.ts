import { emailShardName } from "./email-index";
import type { Env } from "./env";

/** Stubs by name: one place knows how a site and a visitor map to their Durable Objects. */
export function siteStub(env: Env, site: string) {
  return env.SITE.get(env.SITE.idFromName(site));
}

export function visitorStub(env: Env, site: string, vid: string) {
  return env.VISITOR.get(env.VISITOR.idFromName(`${site}:${vid}`));
}

/** The email index shard for one address of one site. */
export async function emailIndexStub(env: Env, site: string, email: string) {
  return env.EMAIL_INDEX.get(env.EMAIL_INDEX.idFromName(await emailShardName(site, email)));
}
