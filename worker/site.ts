import { DurableObject } from "cloudflare:workers";
import { migrate, readMeta, writeMeta } from "./db";
import type { Env } from "./env";
import type { DeliveryStatus, DeliverySummary } from "./delivery";
import type { SiteConfig, SiteConfigInput } from "./site-config";

/** A stage change as the visitor object reports it to its site (rare: a few per visitor, ever). */
export interface SiteTransition {
  vid: string;
  from: string;
  to: string;
  at: number;
  reason: string;
  score: number;
  fit: { grade: string | null; score: number };
  email: string | null;
}

export interface QualificationItem {
  vid: string;
  qualifiedAt: string;
  score: number;
  fit: { grade: string | null; score: number };
  email: string | null;
  reason: string;
}

const LADDER = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE transitions (
       vid TEXT NOT NULL, from_stage TEXT NOT NULL, to_stage TEXT NOT NULL, at INTEGER NOT NULL,
       reason TEXT NOT NULL, score REAL NOT NULL, fit TEXT NOT NULL, email TEXT,
       PRIMARY KEY (vid, at, to_stage)
     )`,
    "CREATE INDEX transitions_to_at ON transitions (to_stage, at DESC, vid)",
  ],
  [
    `CREATE TABLE deliveries (
       id TEXT PRIMARY KEY, vid TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
       updated_at TEXT NOT NULL, summary TEXT NOT NULL
     )`,
    "CREATE INDEX deliveries_status ON deliveries (status, created_at DESC, id)",
    "CREATE INDEX deliveries_created ON deliveries (created_at DESC, id)",
    "CREATE INDEX deliveries_vid ON deliveries (vid)",
  ],
];

/**
 * One per site: its configuration and the site-wide record of stage transitions (the MQL feed).
 * It sees only rare writes — config changes and transitions — never per-event traffic, which lands
 * in visitor objects (SPEC §8); the ingest path reads config from an isolate cache, not from here.
 */
export class SiteObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, LADDER);
    });
  }

  getConfig(): SiteConfig | null {
    return readMeta<SiteConfig>(this.ctx.storage.sql, "config") ?? null;
  }

  /** Creates or replaces the config; the rules version moves only when the rules really change. */
  putConfig(site: string, input: SiteConfigInput, now: number): { config: SiteConfig; created: boolean } {
    const previous = this.getConfig();
    const rulesChanged = !previous || JSON.stringify(previous.rules) !== JSON.stringify(input.rules);
    const at = new Date(now).toISOString();
    const config: SiteConfig = {
      site,
      ...input,
      rulesVersion: previous ? previous.rulesVersion + (rulesChanged ? 1 : 0) : 1,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
    };
    writeMeta(this.ctx.storage.sql, "config", config);
    return { config, created: !previous };
  }

  /** Idempotent: a visitor object may report the same transition twice after a crash. */
  recordTransition(t: SiteTransition): void {
    this.ctx.storage.sql.exec(
      `INSERT OR IGNORE INTO transitions (vid, from_stage, to_stage, at, reason, score, fit, email)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      t.vid, t.from, t.to, t.at, t.reason, t.score, JSON.stringify(t.fit), t.email,
    );
  }

  /** Qualifications newest first; `before` is the cursor (`at:vid`) of the last item already seen. */
  qualifications(since: number, limit: number, before: { at: number; vid: string } | null) {
    const rows = this.ctx.storage.sql
      .exec<{ vid: string; at: number; reason: string; score: number; fit: string; email: string | null }>(
        `SELECT vid, at, reason, score, fit, email FROM transitions
         WHERE to_stage = 'mql' AND at >= ? AND (? IS NULL OR at < ? OR (at = ? AND vid < ?))
         ORDER BY at DESC, vid DESC LIMIT ?`,
        since, before?.at ?? null, before?.at ?? null, before?.at ?? null, before?.vid ?? null, limit + 1,
      )
      .toArray();
    const items: QualificationItem[] = rows.slice(0, limit).map((r) => ({
      vid: r.vid,
      qualifiedAt: new Date(r.at).toISOString(),
      score: r.score,
      fit: JSON.parse(r.fit),
      email: r.email,
      reason: r.reason,
    }));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, next: last ? `${last.at}:${last.vid}` : null };
  }

  /**
   * The site-wide delivery log, fed by visitor objects after each attempt (rare: a few per
   * qualification). A report older than the one stored is ignored, so replays are harmless.
   */
  recordDelivery(d: DeliverySummary): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO deliveries (id, vid, status, created_at, updated_at, summary) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, summary = excluded.summary
       WHERE excluded.updated_at >= deliveries.updated_at`,
      d.id, d.vid, d.status, d.createdAt, d.updatedAt, JSON.stringify(d),
    );
  }

  deliveries(status: DeliveryStatus | null, limit: number, before: { createdAt: string; id: string } | null) {
    const rows = this.ctx.storage.sql
      .exec<{ summary: string; created_at: string; id: string }>(
        `SELECT summary, created_at, id FROM deliveries
         WHERE (? IS NULL OR status = ?) AND (? IS NULL OR created_at < ? OR (created_at = ? AND id > ?))
         ORDER BY created_at DESC, id LIMIT ?`,
        status, status, before?.createdAt ?? null, before?.createdAt ?? null, before?.createdAt ?? null, before?.id ?? null, limit + 1,
      )
      .toArray();
    const items = rows.slice(0, limit).map((r) => JSON.parse(r.summary) as DeliverySummary);
    const last = rows.length > limit ? rows[limit - 1]! : undefined;
    return { items, next: last ? `${last.created_at}|${last.id}` : null };
  }

  /** Counts by status, for the dashboard's delivery health. */
  deliveryHealth(): Record<DeliveryStatus, number> {
    const health: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
    for (const row of this.ctx.storage.sql.exec<{ status: DeliveryStatus; n: number }>("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")) {
      health[row.status] = row.n;
    }
    return health;
  }

  /**
   * Funnel counts per UTC day for `/stats`, from the transitions in `[start, end)`: for each day and
   * stage, the distinct visitors who entered it that day. A visitor who re-enters a stage on another
   * day (recycled, then qualified again) counts again on that day; totals are sums of the days. An
   * anonymous MQL (visitor → mql, when the site allows it) passed through "lead" without stopping
   * there, so it counts as a lead too and the funnel stays a funnel. Plus the delivery health, so the
   * route needs one call here.
   */
  stats(start: number, end: number) {
    const rows = this.ctx.storage.sql
      .exec<{ day: string; stage: string; n: number }>(
        `SELECT day, stage, COUNT(DISTINCT vid) AS n FROM (
           SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, to_stage AS stage, vid FROM transitions
           WHERE to_stage IN ('lead', 'mql', 'sql', 'customer') AND at >= ? AND at < ?
           UNION ALL
           SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, 'lead' AS stage, vid FROM transitions
           WHERE to_stage = 'mql' AND from_stage = 'visitor' AND at >= ? AND at < ?
         ) GROUP BY day, stage ORDER BY day`,
        start, end, start, end,
      )
      .toArray();
    return { rows, health: this.deliveryHealth() };
  }

  deliveryOwner(id: string): string | null {
    return this.ctx.storage.sql.exec<{ vid: string }>("SELECT vid FROM deliveries WHERE id = ?", id).toArray()[0]?.vid ?? null;
  }

  /** Erasure: drop everything the site holds about one visitor. */
  forget(vid: string): void {
    this.ctx.storage.sql.exec("DELETE FROM transitions WHERE vid = ?", vid);
    this.ctx.storage.sql.exec("DELETE FROM deliveries WHERE vid = ?", vid);
  }
}
