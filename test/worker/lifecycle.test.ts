import { SELF, env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ORIGIN, api, errorOf, event, eventually, id, putSite, send } from "./helpers";

const SITE = "lifecycle";

beforeAll(async () => {
  expect((await putSite(SITE)).status).toBe(201);
});

async function visitor(vid: string): Promise<any> {
  const res = await api(SITE, `/visitors/${vid}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Runs the visitor object's alarm now, so jobs (site feed, email index) are done before asserting. */
async function flushJobs(vid: string) {
  await runDurableObjectAlarm(env.VISITOR.get(env.VISITOR.idFromName(`${SITE}:${vid}`)));
}

/** An anonymous visitor who shows buying intent: 8 + 8 + 30 + 5 = 51 points, over the threshold of 50. */
function buyingIntent() {
  return [
    event("page_view", { funnel: "bofu" }, { url: `${ORIGIN}/pricing` }),
    event("page_view", {}, { url: `${ORIGIN}/pricing/enterprise` }),
    event("form_submit", { kind: "demo", form: "demo", action: "/demo", fields: "email,company" }),
    event("cta_click", { name: "talk-to-sales" }),
  ];
}

describe("visitor → lead → MQL through real HTTP", () => {
  it("qualifies the moment an engaged anonymous visitor identifies, and explains why", async () => {
    const vid = id("vid");
    expect((await send(SITE, vid, buyingIntent())).status).toBe(202);
    let v = await visitor(vid);
    expect(v).toMatchObject({ stage: "visitor", identified: false, score: 51 });
    expect(v.qualifiedAt).toBeNull();

    await send(SITE, vid, [event("identify", { email: "Ada@Example.com", title: "VP Engineering", company: "Analytical", employees: 500 })]);
    v = await visitor(vid);
    expect(v.stage).toBe("mql");
    expect(v.identified).toBe(true);
    expect(v.traits.email).toBe("ada@example.com");
    expect(v.fit.grade).toMatch(/^[A-D]$/);
    expect(v.transitions.map((t: any) => `${t.from}>${t.to}`)).toEqual(["visitor>lead", "lead>mql"]);
    expect(typeof v.qualifiedAt).toBe("string");
    const sum = v.breakdown.reduce((s: number, b: any) => s + b.points, 0);
    expect(Math.round(sum * 100)).toBe(Math.round(v.score * 100));
    expect(v.breakdown.map((b: any) => b.rule)).toContain("demo_request");
    expect(v.recent[0].type).toBe("identify");

    // The MQL feed and the email index are fed by the visitor's outbox.
    await flushJobs(vid);
    const feed = await eventually(async () => {
      const page = (await (await api(SITE, "/mqls")).json()) as any;
      return page.items.find((i: any) => i.vid === vid) ? page : null;
    });
    expect(feed.items[0]).toMatchObject({ vid, email: "ada@example.com" });
    const byEmail = (await (await api(SITE, "/visitors?email=ADA@example.com")).json()) as any;
    expect(byEmail.items.map((i: any) => i.vid)).toEqual([vid]);
  });

  it("stays a lead below the threshold and keeps mql when the score decays", async () => {
    const vid = id("vid");
    await send(SITE, vid, [event("identify", { email: "lead@example.com" }), event("cta_click", { name: "x" })]);
    expect(await visitor(vid)).toMatchObject({ stage: "lead", score: 5 });
  });

  it("lets sales accept, recycle and convert, refusing impossible moves", async () => {
    const vid = id("vid");
    await send(SITE, vid, [...buyingIntent(), event("identify", { email: "sales@example.com" })]);
    expect((await visitor(vid)).stage).toBe("mql");

    const accept = await api(SITE, `/visitors/${vid}/stage`, { method: "POST", body: JSON.stringify({ stage: "sql", reason: "call booked" }) });
    expect(accept.status).toBe(200);
    const accepted = (await accept.json()) as any;
    expect(accepted.changed).toBe(true);
    expect(accepted.visitor.stage).toBe("sql");
    expect(accepted.visitor.transitions.at(-1)).toMatchObject({ from: "mql", to: "sql" });
    expect(accepted.visitor.transitions.at(-1).reason).toContain("call booked");

    const again = (await (await api(SITE, `/visitors/${vid}/stage`, { method: "POST", body: JSON.stringify({ stage: "sql" }) })).json()) as any;
    expect(again.changed).toBe(false);

    const bad = await api(SITE, `/visitors/${vid}/stage`, { method: "POST", body: JSON.stringify({ stage: "mql" }) });
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: "invalid_stage" });

    const anon = id("vid");
    await send(SITE, anon, [event("page_view")]);
    const refused = await api(SITE, `/visitors/${anon}/stage`, { method: "POST", body: JSON.stringify({ stage: "sql" }) });
    expect(await errorOf(refused)).toMatchObject({ status: 409, code: "invalid_transition" });
    expect((await visitor(anon)).stage).toBe("visitor");

    const recycled = (await (await api(SITE, `/visitors/${vid}/stage`, { method: "POST", body: JSON.stringify({ stage: "recycled", reason: "no budget" }) })).json()) as any;
    expect(recycled.visitor.stage).toBe("recycled");
    // One more page view does not bounce a recycled lead straight back to mql.
    await send(SITE, vid, [event("page_view")]);
    expect((await visitor(vid)).stage).toBe("recycled");

    const missing = await api(SITE, `/visitors/${id("vid")}/stage`, { method: "POST", body: JSON.stringify({ stage: "sql" }) });
    expect(await errorOf(missing)).toMatchObject({ status: 404, code: "visitor_not_found" });
  });
});

describe("backend API", () => {
  it("returns the ledger of every score change with rule ids and rules version", async () => {
    const vid = id("vid");
    const cta = event("cta_click", { name: "go" });
    await send(SITE, vid, [cta, event("download", { file: "https://x/e-book.pdf", ext: "pdf" })]);
    const page = (await (await api(SITE, `/visitors/${vid}/ledger`)).json()) as any;
    expect(page.next).toBeNull();
    expect(page.items).toHaveLength(2);
    expect(page.items.find((i: any) => i.eventId === cta.id)).toMatchObject({ ruleId: "cta_click", points: 5, rulesVersion: 1, reason: "event" });
    const first = (await (await api(SITE, `/visitors/${vid}/ledger?limit=1`)).json()) as any;
    expect(first.items).toHaveLength(1);
    const second = (await (await api(SITE, `/visitors/${vid}/ledger?limit=1&cursor=${first.next}`)).json()) as any;
    expect(second.items[0].seq).toBeLessThan(first.items[0].seq);
  });

  it("exports a visitor's events as JSON lines", async () => {
    const vid = id("vid");
    const sent = [event("page_view", {}, { ts: Date.now() - 1000 }), event("cta_click", { name: "x" })];
    await send(SITE, vid, sent);
    const res = await api(SITE, `/visitors/${vid}/events?format=jsonl`);
    expect(res.headers.get("content-type")).toContain("ndjson");
    const lines = new TextDecoder().decode(await res.arrayBuffer()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(sent.map((e) => e.id));
    expect(await errorOf(await api(SITE, `/visitors/${vid}/events?format=csv`))).toMatchObject({ status: 400, code: "invalid_format" });
  });

  it("erases everything for a visitor, the email index and MQL feed included", async () => {
    const vid = id("vid");
    await send(SITE, vid, [...buyingIntent(), event("identify", { email: "erase-me@example.com" })]);
    await flushJobs(vid);
    await eventually(async () => ((await (await api(SITE, "/visitors?email=erase-me@example.com")).json()) as any).items.length === 1);
    const erased = await api(SITE, `/visitors/${vid}`, { method: "DELETE" });
    expect(await erased.json()).toEqual({ erased: true, vid });
    expect(await errorOf(await api(SITE, `/visitors/${vid}`))).toMatchObject({ status: 404, code: "visitor_not_found" });
    expect(((await (await api(SITE, "/visitors?email=erase-me@example.com")).json()) as any).items).toEqual([]);
    const shard = await (await import("../../worker/email-index")).emailShardName(SITE, "erase-me@example.com");
    expect(await env.EMAIL_INDEX.get(env.EMAIL_INDEX.idFromName(shard)).list()).toEqual([]);
    const feed = (await (await api(SITE, "/mqls")).json()) as any;
    expect(feed.items.some((i: any) => i.vid === vid)).toBe(false);
    expect(await errorOf(await api(SITE, `/visitors/${vid}`, { method: "DELETE" }))).toMatchObject({ status: 404 });
  });

  it("pages the MQL feed newest first with since and limit", async () => {
    const vids = [id("vid"), id("vid")];
    for (const vid of vids) {
      await send(SITE, vid, [...buyingIntent(), event("identify", { email: `${vid}@example.com` })]);
      await flushJobs(vid);
    }
    const first = (await (await api(SITE, "/mqls?limit=1")).json()) as any;
    expect(first.items).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const second = (await (await api(SITE, `/mqls?limit=1&cursor=${first.next}`)).json()) as any;
    expect(second.items[0].qualifiedAt <= first.items[0].qualifiedAt).toBe(true);
    const future = (await (await api(SITE, `/mqls?since=${new Date(Date.now() + 60_000).toISOString()}`)).json()) as any;
    expect(future.items).toEqual([]);
    expect(await errorOf(await api(SITE, "/mqls?since=yesterday"))).toMatchObject({ status: 400, code: "invalid_since" });
    expect(await errorOf(await api(SITE, "/mqls?limit=0"))).toMatchObject({ status: 400, code: "invalid_limit" });
  });

  it("refuses missing or wrong keys, keys of another site, and unknown visitors", async () => {
    await putSite("lifecycle-other");
    const vid = id("vid");
    await send(SITE, vid, [event("page_view")]);
    const none = await SELF.fetch(`https://edge.test/v1/sites/${SITE}/visitors/${vid}`);
    expect(await errorOf(none)).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await errorOf(await api(SITE, `/visitors/${vid}`, {}, "wrong-key-0123456789"))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await api(SITE, `/visitors/${vid}`, {}, "key-lifecycle-other-0123456789"))).toMatchObject({ status: 403 });
    expect(await errorOf(await api(SITE, `/visitors/${id("vid")}`))).toMatchObject({ status: 404, code: "visitor_not_found" });
    expect(await errorOf(await api(SITE, "/visitors/bad"))).toMatchObject({ status: 400, code: "invalid_vid" });
    expect(await errorOf(await api("nowhere", "/mqls"))).toMatchObject({ status: 404, code: "unknown_site" });
    expect(await errorOf(await api(SITE, "/visitors?email=nope"))).toMatchObject({ status: 400, code: "invalid_email" });
  });
});
