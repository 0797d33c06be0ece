import { env, runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ORIGIN, api, errorOf, event, eventually, id, putSite, send } from "./helpers";

const SITE = "hooks";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const receiver = inject("receiverUrl");

interface Received {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function received(name: string): Promise<Received[]> {
  return (await (await fetch(`${receiver}/log/${name}`)).json()) as Received[];
}

async function receivedAtLeast(name: string, n: number): Promise<Received[]> {
  return eventually(async () => {
    const log = await received(name);
    return log.length >= n ? log : null;
  }, 10_000);
}

/** Makes every pending webhook attempt due now and wakes the object: the retry schedule, fast-forwarded. */
async function fastForward(vid: string) {
  await runInDurableObject(env.VISITOR.get(env.VISITOR.idFromName(`${SITE}:${vid}`)), async (_o, state) => {
    state.storage.sql.exec("UPDATE jobs SET due_at = 0 WHERE kind = 'webhook'");
    await state.storage.setAlarm(Date.now());
  });
}

function qualify(email: string) {
  return [
    event("page_view", { funnel: "bofu" }, { url: `${ORIGIN}/pricing` }),
    event("form_submit", { kind: "demo" }),
    event("cta_click", { name: "buy" }),
    event("download", { file: `${ORIGIN}/whitepaper.pdf`, ext: "pdf" }),
    event("identify", { email, title: "Director of Marketing" }),
  ];
}

beforeAll(async () => {
  const res = await putSite(SITE, {
    webhooks: [
      { url: `${receiver}/hook/flaky/main`, secret: SECRET },
      { url: `${receiver}/hook/gone/stages`, secret: OTHER_SECRET, events: ["visitor.stage_changed"] },
    ],
  });
  expect(res.status).toBe(201);
});

describe("webhooks on qualification", () => {
  it("delivers a signed visitor.qualified after two 503s, with one webhook-id, once", async () => {
    const vid = id("vid");
    await send(SITE, vid, qualify("hook@example.com"));
    const first = await receivedAtLeast("main", 1);
    expect(first[0]!.status).toBe(503);
    await fastForward(vid);
    await receivedAtLeast("main", 2);
    await fastForward(vid);
    const log = await receivedAtLeast("main", 3);

    const mine = log.filter((r) => JSON.parse(r.body).data.vid === vid);
    expect(mine.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(mine.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of mine) {
      const payload = new Webhook(SECRET).verify(r.body, r.headers) as any;
      expect(payload.type).toBe("visitor.qualified");
      expect(payload.data).toMatchObject({ site: SITE, vid, stage: "mql", traits: { email: "hook@example.com" } });
      const sum = payload.data.breakdown.reduce((s: number, b: any) => s + b.points, 0);
      expect(Math.round(sum * 100)).toBe(Math.round(payload.data.score * 100));
      expect(payload.data.breakdown.map((b: any) => b.rule)).toContain("demo_request");
    }

    const visitor = (await (await api(SITE, `/visitors/${vid}`)).json()) as any;
    const delivered = visitor.deliveries.find((d: any) => d.type === "visitor.qualified");
    expect(delivered.status).toBe("delivered");
    expect(delivered.attempts.map((a: any) => a.status)).toEqual([503, 503, 200]);
    expect(delivered.attempts.every((a: any) => typeof a.latencyMs === "number")).toBe(true);
    expect(JSON.stringify(visitor)).not.toContain(SECRET.slice(6));

    const log2 = await eventually(async () => {
      const page = (await (await api(SITE, "/webhooks/deliveries?status=delivered")).json()) as any;
      return page.items.find((d: any) => d.vid === vid) ? page : null;
    });
    expect(log2.items.find((d: any) => d.vid === vid).attempts).toHaveLength(3);
    expect(JSON.stringify(log2)).not.toContain(SECRET.slice(6));
  });

  it("fails a 410 at once, logs it, and replays it with the same webhook-id", async () => {
    const vid = id("vid");
    await send(SITE, vid, qualify("gone@example.com"));
    // Subscribed to stage changes: visitor→lead and lead→mql, each refused with 410.
    await eventually(async () => (await received("stages")).filter((r) => JSON.parse(r.body).data.vid === vid).length >= 2 || null);
    const failed = await eventually(async () => {
      const page = (await (await api(SITE, "/webhooks/deliveries?status=failed")).json()) as any;
      const mine = page.items.filter((d: any) => d.vid === vid);
      return mine.length === 2 ? mine : null;
    });
    expect(failed.every((d: any) => d.type === "visitor.stage_changed" && d.attempts.length === 1 && d.attempts[0].status === 410)).toBe(true);

    const target = failed[0];
    const replay = await api(SITE, `/webhooks/deliveries/${target.id}/retry`, { method: "POST" });
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as any).status).toBe("pending");
    const again = await eventually(async () => {
      const hits = (await received("stages")).filter((r) => r.headers["webhook-id"] === target.id);
      return hits.length >= 2 ? hits : null;
    });
    expect(new Webhook(OTHER_SECRET).verify(again[1]!.body, again[1]!.headers)).toBeTruthy();

    expect(await errorOf(await api(SITE, "/webhooks/deliveries/msg_nope/retry", { method: "POST" }))).toMatchObject({ status: 404, code: "delivery_not_found" });
    expect(await errorOf(await api(SITE, "/webhooks/deliveries?status=lost"))).toMatchObject({ status: 400, code: "invalid_status" });
  });

  it("sends nothing for a visitor who does not qualify", async () => {
    const vid = id("vid");
    await send(SITE, vid, [event("page_view")]);
    await new Promise((r) => setTimeout(r, 300));
    const all = [...(await received("main")), ...(await received("stages"))];
    expect(all.some((r) => JSON.parse(r.body).data.vid === vid)).toBe(false);
  });
});

describe("a receiver that does not answer in time", () => {
  it("gives up on the attempt after 10 s and schedules a retry", async () => {
    expect((await putSite("hooks-slow", { webhooks: [{ url: `${receiver}/hook/slow/slow`, secret: SECRET }] })).status).toBe(201);
    const vid = id("vid");
    await send("hooks-slow", vid, qualify("slow@example.com"));
    const delivery = await eventually(async () => {
      const visitor = (await (await api("hooks-slow", `/visitors/${vid}`)).json()) as any;
      const d = visitor.deliveries?.[0];
      return d?.attempts.length ? d : null;
    }, 15_000);
    expect(delivery.status).toBe("pending");
    expect(delivery.attempts[0]).toMatchObject({ status: null, error: "timed out after 10 s" });
    expect(delivery.attempts[0].latencyMs).toBeGreaterThanOrEqual(9_900);
    expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.attempts[0].at)).toBeGreaterThan(10_000);
  }, 25_000);
});

describe("a receiver that stays down", () => {
  it("marks the delivery failed once the next attempt would fall past 3 days, and keeps it", async () => {
    const site = "hooks-down";
    expect((await putSite(site, { webhooks: [{ url: `${receiver}/hook/down/down`, secret: SECRET }] })).status).toBe(201);
    const vid = id("vid");
    await send(site, vid, qualify("down@example.com"));
    await receivedAtLeast("down", 1);
    const stub = env.VISITOR.get(env.VISITOR.idFromName(`${site}:${vid}`));
    // Pretend the first attempt was almost 3 days ago: the next retry (≥ 4 s away) would fall outside the window.
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec("UPDATE deliveries SET first_attempt_at = first_attempt_at - ?", 72 * 3_600_000 - 1000);
      state.storage.sql.exec("UPDATE jobs SET due_at = 0 WHERE kind = 'webhook'");
      await state.storage.setAlarm(Date.now());
    });
    await receivedAtLeast("down", 2);
    const delivery = await eventually(async () => {
      const visitor = (await (await api(site, `/visitors/${vid}`)).json()) as any;
      const d = visitor.deliveries[0];
      return d?.status === "failed" ? d : null;
    });
    expect(delivery.attempts.map((a: any) => a.status)).toEqual([503, 503]);
    expect(delivery.nextAttemptAt).toBeNull();
    await runInDurableObject(stub, (_o, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'webhook'").one().n).toBe(0);
    });
    const failed = await eventually(async () => {
      const page = (await (await api(site, "/webhooks/deliveries?status=failed")).json()) as any;
      return page.items.length ? page.items : null;
    });
    expect(failed[0].id).toBe(delivery.id);
  });
});
