import { Hono } from "hono";
import { COUNTER_SHARDS, counterStub, utcDay } from "../counter";
import type { AppEnv } from "../env";
import { siteStub } from "../stubs";
import { countParam } from "./params";
import type { SiteConfig } from "../site-config";
import { siteAuth } from "./api";

/**
 * `GET /v1/sites/:site/stats?days=30` — the funnel per UTC day (SPEC §5, §9). Mounted before the
 * backend API with the same key check. Two sources, neither written per event (SPEC §8):
 * - visitors: daily active visitors from the sharded counters (each visitor counted once per UTC day
 *   it sent events, so a visitor active on three days adds three to the total — "visitor-days");
 * - leads, MQLs, SQLs, customers: stage entries from the site's transitions (see SiteObject.stats).
 * `health` is the webhook delivery log's counts by status, for the dashboard.
 */
export const stats = new Hono<AppEnv & { Variables: { site: SiteConfig } }>();

const DAY_MS = 86_400_000;
export const MAX_DAYS = 365;

interface DayRow {
  day: string;
  visitors: number;
  leads: number;
  mqls: number;
  sqls: number;
  customers: number;
}


/** next / previous, to 4 decimals; null when there is nothing to divide by. */
function rate(next: number, previous: number): number | null {
  return previous === 0 ? null : Math.round((next / previous) * 10_000) / 10_000;
}

stats.use("/v1/sites/:site/stats", siteAuth);

stats.get("/v1/sites/:site/stats", async (c) => {
  const site = c.get("site");
  const n = countParam("days", c.req.query("days"), 30, MAX_DAYS);
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS; // end of today (UTC), exclusive
  const start = end - n * DAY_MS;
  const from = utcDay(start);
  const to = utcDay(end - 1);

  const [funnel, shards] = await Promise.all([
    siteStub(c.env, site.site).stats(start, end),
    Promise.all(Array.from({ length: COUNTER_SHARDS }, (_, shard) => counterStub(c.env, site.site, shard).range(from, to))),
  ]);

  const byDay = new Map<string, DayRow>();
  for (let t = start; t < end; t += DAY_MS) {
    const day = utcDay(t);
    byDay.set(day, { day, visitors: 0, leads: 0, mqls: 0, sqls: 0, customers: 0 });
  }
  for (const rows of shards) {
    for (const r of rows) {
      const row = byDay.get(r.day);
      if (row) row.visitors += r.count;
    }
  }
  const column = { lead: "leads", mql: "mqls", sql: "sqls", customer: "customers" } as const;
  for (const r of funnel.rows) {
    const row = byDay.get(r.day);
    const key = column[r.stage as keyof typeof column];
    if (row && key) row[key] += r.n;
  }

  const days = [...byDay.values()];
  const totals = { visitors: 0, leads: 0, mqls: 0, sqls: 0, customers: 0 };
  for (const d of days) {
    totals.visitors += d.visitors;
    totals.leads += d.leads;
    totals.mqls += d.mqls;
    totals.sqls += d.sqls;
    totals.customers += d.customers;
  }
  return c.json(
    {
      site: site.site,
      from,
      to,
      totals,
      rates: {
        leadRate: rate(totals.leads, totals.visitors),
        mqlRate: rate(totals.mqls, totals.leads),
        sqlRate: rate(totals.sqls, totals.mqls),
      },
      days: days.map(({ day, visitors, leads, mqls, sqls }) => ({ day, visitors, leads, mqls, sqls })),
      health: funnel.health,
    },
    200,
    { "Cache-Control": "no-store" },
  );
});
