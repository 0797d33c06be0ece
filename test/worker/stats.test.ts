import { env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { COUNTER_SHARDS, counterShard, utcDay } from "../../worker/counter";
import { ADMIN, ORIGIN, api, apiKey, errorOf, event, eventually, id, putSite, send } from "./helpers";

const SITE = "stats";
const DAY_MS = 86_400_000;

interface Stats {
  site: string;
  from: string;
  to: string;
  totals: { visitors: number; leads: number; mqls: number; sqls: number; customers: number };
  rates: { leadRate: number | null; mqlRate: number | null; sqlRate: number | null };
  days: { day: string; visitors: number; leads: number; mqls: number; sqls: number }[];
  health: { pending: number; delivered: number; failed: number };
}

async function stats(site: string, query = "", key = apiKey(site)): Promise<Stats> {
  const res = await api(site, `/stats${query}`, {}, key);
  expect(res.status).toBe(200);
  return res.json();
}

/** Runs the visitor's alarm now so its outbox (counter report, site transitions) is done. */
async function flush(site: string, vid: string) {
  await runDurableObjectAlarm(env.VISITOR.get(env.VISITOR.idFromName(`${site}:${vid}`)));
}

/** 8 + 30 + 5 + 10 = 53 points, over the threshold of 50; qualifies once identified. */
function qualifying(email?: string) {
  return [
    event("page_view", { funnel: "bofu" }, { url: `${ORIGIN}/pricing` }),
    event("form_submit", { kind: "demo" }),
    event("cta_click", { name: "talk-to-sales" }),
    event("download", { file: `${ORIGIN}/whitepaper.pdf`, ext: "pdf" }),
    ...(email ? [event("identify", { email })] : []),
  ];
}

/** Fresh vids that land on pairwise different counter shards. */
function vidsOnDistinctShards(n: number): string[] {
  const seen = new Map<number, string>();
  while (seen.size < n) {
    const vid = id("vid");
    if (!seen.has(counterShard(vid))) seen.set(counterShard(vid), vid);
  }
  return [...seen.values()];
}

beforeAll(async () => {
  expect((await putSite(SITE, { botFilter: false })).status).toBe(201);
});

describe("GET /v1/sites/:site/stats", () => {
  it("counts visitors across counter shards and the funnel from transitions, per day", async () => {
    const [a, b, c, d] = vidsOnDistinctShards(4) as [string, string, string, string];
    expect((await send(SITE, a, qualifying("a@example.com"))).status).toBe(202); // → lead → mql
    expect((await send(SITE, b, [event("identify", { email: "b@example.com" })])).status).toBe(202); // → lead
    expect((await send(SITE, c, [event("page_view")])).status).toBe(202); // stays a visitor
    expect((await send(SITE, d, qualifying("d@example.com"))).status).toBe(202); // → lead → mql → sql
    const accept = await api(SITE, `/visitors/${d}/stage`, { method: "POST", body: JSON.stringify({ stage: "sql", reason: "call booked" }) });
    expect(accept.status).toBe(200);
    // A second batch the same day does not count the visitor again.
    expect((await send(SITE, a, [event("page_view")])).status).toBe(202);
    for (const vid of [a, b, c, d]) await flush(SITE, vid);

    const today = utcDay(Date.now());
    const s = await eventually(async () => {
      const s = await stats(SITE);
      return s.totals.visitors === 4 && s.totals.sqls === 1 ? s : null;
    });
    expect(s.site).toBe(SITE);
    expect(s.totals).toEqual({ visitors: 4, leads: 3, mqls: 2, sqls: 1, customers: 0 });
    expect(s.rates).toEqual({ leadRate: 0.75, mqlRate: 0.6667, sqlRate: 0.5 });
    expect(s.days).toHaveLength(30);
    expect(s.to).toBe(today);
    expect(s.from).toBe(utcDay(Date.now() - 29 * DAY_MS));
    expect(s.days.at(-1)).toEqual({ day: today, visitors: 4, leads: 3, mqls: 2, sqls: 1 });
    expect(s.days.slice(0, -1).every((x) => x.visitors + x.leads + x.mqls + x.sqls === 0)).toBe(true);
    expect(s.health).toEqual({ pending: 0, delivered: 0, failed: 0 });

    // Each visitor was counted once, in its own shard.
    for (const vid of [a, b, c, d]) {
      const shard = env.COUNTER.get(env.COUNTER.idFromName(`${SITE}:${counterShard(vid)}`));
      expect(await shard.range(today, today)).toEqual([{ day: today, count: 1 }]);
    }

    const one = await stats(SITE, "?days=1");
    expect(one.days).toEqual([{ day: today, visitors: 4, leads: 3, mqls: 2, sqls: 1 }]);
    expect(one.from).toBe(today);
  });

  it("sums every shard per day and keeps days outside the window out", async () => {
    const site = "stats-days";
    expect((await putSite(site)).status).toBe(201);
    const now = Date.now();
    const yesterday = utcDay(now - DAY_MS);
    const longAgo = utcDay(now - 40 * DAY_MS);
    const shard = (n: number) => env.COUNTER.get(env.COUNTER.idFromName(`${site}:${n}`));
    await shard(0).add(yesterday, 2);
    await shard(COUNTER_SHARDS - 1).add(yesterday, 3);
    await shard(3).add(longAgo, 7);

    const month = await stats(site);
    expect(month.days.find((d) => d.day === yesterday)?.visitors).toBe(5);
    expect(month.totals.visitors).toBe(5);
    expect(month.rates).toEqual({ leadRate: 0, mqlRate: null, sqlRate: null });

    const quarter = await stats(site, "?days=90", ADMIN); // the admin token works too
    expect(quarter.days).toHaveLength(90);
    expect(quarter.days.find((d) => d.day === longAgo)?.visitors).toBe(7);
    expect(quarter.totals.visitors).toBe(12);
  });

  it("counts an anonymous MQL (visitor → mql) as a lead too", async () => {
    const site = "stats-anon";
    expect((await putSite(site, { allowAnonymousMql: true, botFilter: false })).status).toBe(201);
    const vid = id("vid");
    expect((await send(site, vid, qualifying())).status).toBe(202);
    await flush(site, vid);
    const s = await eventually(async () => {
      const s = await stats(site);
      return s.totals.mqls === 1 && s.totals.visitors === 1 ? s : null;
    });
    expect(s.totals).toMatchObject({ visitors: 1, leads: 1, mqls: 1, sqls: 0 });
    expect(s.rates).toEqual({ leadRate: 1, mqlRate: 1, sqlRate: 0 });
  });

  it("rejects a bad days parameter with 400", async () => {
    for (const days of ["0", "366", "abc", "1.5", "", "-3", "1e2"]) {
      const res = await api(SITE, `/stats?days=${encodeURIComponent(days)}`);
      const err = await errorOf(res);
      expect(err, `days=${days}`).toMatchObject({ status: 400, code: "invalid_days" });
      expect(err.message).toMatch(/days/);
    }
  });

  it("requires the site's key or the admin token", async () => {
    expect(await errorOf(await api(SITE, "/stats", { headers: { authorization: "" } }))).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await errorOf(await api(SITE, "/stats", {}, "not-the-key-0123456789"))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await api(SITE, "/stats", {}, apiKey("stats-days")))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await api("no-such-site", "/stats", {}, ADMIN))).toMatchObject({ status: 404, code: "unknown_site" });
    expect((await api(SITE, "/stats", {}, ADMIN)).status).toBe(200);
  });
});
