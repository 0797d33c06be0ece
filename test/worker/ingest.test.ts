import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ORIGIN, api, errorOf, event, id, putSite, send } from "./helpers";

const SITE = "ingest";

async function recent(vid: string): Promise<any[]> {
  const res = await api(SITE, `/visitors/${vid}`);
  if (res.status === 404) return [];
  return ((await res.json()) as any).recent;
}

beforeAll(async () => {
  expect((await putSite(SITE)).status).toBe(201);
});

describe("POST /e", () => {
  it("accepts a text/plain batch with CORS for the site's origin", async () => {
    const vid = id("vid");
    const res = await send(SITE, vid, [event("page_view"), event("cta_click", { name: "start-trial" })]);
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect((await recent(vid)).map((e) => e.type).sort()).toEqual(["cta_click", "page_view"]);
  });

  it("accepts application/json and requests without an Origin (server-side senders)", async () => {
    const res = await send(SITE, id("vid"), [event("page_view")], { contentType: "application/json", origin: null });
    expect(res.status).toBe(202);
  });

  it("is idempotent by event id: a resent batch counts once", async () => {
    const vid = id("vid");
    const batch = [event("cta_click", { name: "a" }), event("download", { file: "https://x/y.pdf", ext: "pdf" })];
    expect(await (await send(SITE, vid, batch)).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await (await send(SITE, vid, batch)).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const twice = [event("cta_click", { name: "b" })];
    expect(await (await send(SITE, vid, [...twice, ...twice])).json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await recent(vid)).toHaveLength(3);
    const visitor = (await (await api(SITE, `/visitors/${vid}`)).json()) as any;
    expect(visitor.score).toBe(5 + 10 + 5);
  });

  it("answers the CORS preflight for application/json senders", async () => {
    const res = await SELF.fetch("https://edge.test/e", {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-headers")).toMatch(/content-type/i);
  });

  it("rejects malformed JSON with 400", async () => {
    expect(await errorOf(await send(SITE, id("vid"), [], { raw: "{nope" }))).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("refuses a bad event alone, naming it, and stores the rest of the batch", async () => {
    const vid = id("vid");
    const good = [event("page_view"), event("cta_click", { name: "a" })];
    const res = await send(SITE, vid, [good[0]!, { ...event("cta_click"), id: "x" }, good[1]!, event("x", { a: { b: 1 } } as any)]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(body.rejected.map((r: any) => [r.index, r.path])).toEqual([[1, "events[1].id"], [3, "events[3].props.a"]]);
    expect(body.rejected[0].message).toContain("events[1].id");
    expect((await recent(vid)).map((e) => e.id).sort()).toEqual(good.map((e) => e.id).sort());
  });

  it("rejects a batch with no valid event with 400 naming the first bad field, storing nothing", async () => {
    const vid = id("vid");
    const error = await errorOf(await send(SITE, vid, [{ ...event("cta_click"), id: "x" }, event("Bad Name")]));
    expect(error).toMatchObject({ status: 400, code: "invalid_body" });
    expect(error.message).toContain("events[0].id");
    expect(await recent(vid)).toEqual([]);
  });

  it.each([
    ["a bad site id", { site: "Bad Site" }, "site"],
    ["a short vid", { vid: "abc" }, "vid"],
    ["an unknown-shaped type", { events: [{ id: "evt-00000001", type: "Not-A-Type", ts: 1733240000000 }] }, "events[0].type"],
    ["too many props", { events: [{ id: "evt-00000001", type: "x", ts: 1733240000000, props: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }] }, "events[0].props"],
    ["a nested prop", { events: [{ id: "evt-00000001", type: "x", ts: 1733240000000, props: { a: { b: 1 } } }] }, "events[0].props.a"],
    ["a bad email in identify", { events: [{ id: "evt-00000001", type: "identify", ts: 1733240000000, props: { email: "not-an-email" } }] }, "events[0].props.email"],
  ])("rejects %s", async (_label, override, field) => {
    const body = { site: SITE, vid: id("vid"), sid: "session-0001", events: [event("page_view")], ...override };
    const error = await errorOf(await send(SITE, "unused-vid", [], { raw: JSON.stringify(body) }));
    expect(error.status).toBe(400);
    expect(error.message).toContain(field);
  });

  it("rejects more than 100 events and bodies over 64 KiB with 413", async () => {
    const many = Array.from({ length: 101 }, () => event("page_view"));
    expect(await errorOf(await send(SITE, id("vid"), many))).toMatchObject({ status: 413, code: "too_many_events" });
    const big = JSON.stringify({ site: SITE, vid: id("vid"), sid: "session-0001", events: [event("page_view")], pad: "x".repeat(70_000) });
    expect(await errorOf(await send(SITE, "unused-vid", [], { raw: big }))).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("rejects an unknown site with 404 and a foreign Origin with 403", async () => {
    expect(await errorOf(await send("no-such-site", id("vid"), [event("page_view")]))).toMatchObject({ status: 404, code: "unknown_site" });
    const foreign = await send(SITE, id("vid"), [event("page_view")], { origin: "https://evil.example" });
    expect(await errorOf(foreign)).toMatchObject({ status: 403, code: "origin_not_allowed" });
    // The refusal is readable by the page, so the snippet drops the batch instead of retrying it.
    expect(foreign.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect((await send(SITE, id("vid"), [event("page_view")])).headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("rate-limits one visitor with 429 and Retry-After, keeping what it accepted", async () => {
    const vid = id("vid");
    let limited: Response | undefined;
    let accepted = 0;
    for (let i = 0; i < 5 && !limited; i++) {
      const res = await send(SITE, vid, Array.from({ length: 100 }, () => event("page_view")));
      if (res.status === 429) limited = res;
      else accepted += ((await res.json()) as any).accepted;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(limited!)).toMatchObject({ code: "rate_limited" });
    expect(accepted).toBeGreaterThanOrEqual(200);
    // Another visitor of the same site is unaffected.
    expect((await send(SITE, id("vid"), [event("page_view")])).status).toBe(202);
  });

  it("ignores bots when the site filters them", async () => {
    const vid = id("vid");
    const res = await SELF.fetch("https://edge.test/e", {
      method: "POST",
      headers: { origin: ORIGIN, "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" },
      body: JSON.stringify({ site: SITE, vid, sid: "session-0001", events: [event("page_view")] }),
    });
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 1, rejected: [] });
    expect(await recent(vid)).toEqual([]);
  });

  it("serves the visitor's own status with CORS", async () => {
    const vid = id("vid");
    await send(SITE, vid, [event("cta_click", { name: "x" })]);
    const res = await SELF.fetch(`https://edge.test/v/${SITE}/${vid}/status`, { headers: { origin: ORIGIN } });
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await res.json()).toEqual({ stage: "visitor", score: 5 });
    const unknown = await SELF.fetch(`https://edge.test/v/${SITE}/${id("vid")}/status`);
    expect(await unknown.json()).toEqual({ stage: "visitor", score: 0 });
  });
});
