import { DurableObject } from "cloudflare:workers";
import { migrate } from "./db";
import type { Env } from "./env";

const LADDER = [["CREATE TABLE visitors (vid TEXT PRIMARY KEY, at INTEGER NOT NULL)"]];

/**
 * Which visitors identified with one email. Sharded one object per site + email hash, so no
 * object holds a whole site's emails or sees a whole site's identify traffic.
 */
export class EmailIndexObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, LADDER);
    });
  }

  add(vid: string, at: number): void {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO visitors (vid, at) VALUES (?, ?)", vid, at);
  }

  remove(vid: string): void {
    this.ctx.storage.sql.exec("DELETE FROM visitors WHERE vid = ?", vid);
  }

  list(): string[] {
    return this.ctx.storage.sql
      .exec<{ vid: string }>("SELECT vid FROM visitors ORDER BY at DESC LIMIT 100")
      .toArray()
      .map((r) => r.vid);
  }
}

/** The shard name for an email: the site plus a SHA-256 of the normalised address (no plain email in ids). */
export async function emailShardName(site: string, email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.trim().toLowerCase()));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${site}:${hex}`;
}
