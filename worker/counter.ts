import { DurableObject } from "cloudflare:workers";
import { migrate } from "./db";
import type { Env } from "./env";

/**
 * Daily active visitors per site, as a sharded counter (SPEC §8). A visitor object reports itself
 * at most once per UTC day it is active (its `visitor_day` job), to one of `COUNTER_SHARDS`
 * objects named `${site}:${shard}`, so no object sees a write per event, nor even one per visitor
 * for the whole site; `/stats` sums the shards in parallel.
 *
 * The rows are aggregates — `(day, count)`, no visitor ids — so erasing a visitor does not
 * decrement them: they hold nothing personal. Reports are at-least-once (the outbox retries a job
 * whose handler succeeded but whose row was not yet deleted when the object crashed), so a count
 * can in rare cases be one too high; it is a dashboard figure, not a ledger.
 */
export const COUNTER_SHARDS = 8;

const LADDER = [["CREATE TABLE days (day TEXT PRIMARY KEY, count INTEGER NOT NULL)"]];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of an epoch-ms time, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Which shard a visitor reports to: FNV-1a of the vid, mod the shard count (stable, synchronous). */
export function counterShard(vid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < vid.length; i++) {
    h ^= vid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % COUNTER_SHARDS;
}

export function counterStub(env: Env, site: string, shard: number) {
  return env.COUNTER.get(env.COUNTER.idFromName(`${site}:${shard}`));
}

export class CounterObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, LADDER);
    });
  }

  /** Adds `n` to one day's count. */
  add(day: string, n = 1): void {
    if (!DAY_RE.test(day) || !Number.isInteger(n)) throw new Error(`bad counter input ${day} ${n}`);
    this.ctx.storage.sql.exec(
      "INSERT INTO days (day, count) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET count = count + excluded.count",
      day,
      n,
    );
  }

  /** Counts for the days in `[from, to]` (inclusive, `YYYY-MM-DD`); days without a row are absent. */
  range(from: string, to: string): { day: string; count: number }[] {
    return this.ctx.storage.sql
      .exec<{ day: string; count: number }>("SELECT day, count FROM days WHERE day >= ? AND day <= ? ORDER BY day", from, to)
      .toArray();
  }
}
