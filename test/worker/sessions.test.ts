/**
 * Batches without `sid` (what mql.js sends): the visitor object derives sessions with their
 * visit count and ad-click landings, stores them as events, scores them, and derives nothing
 * twice when a batch is resent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, event, id, putSite, send } from "./helpers";

const SITE = "sessions";
const MIN = 60_000;

async function visitor(vid: string): Promise<any> {
  return (await api(SITE, `/visitors/${vid}`)).json();
}

async function stored(vid: string): Promise<any[]> {
  const res = await api(SITE, `/visitors/${vid}/events?format=jsonl`);
  return (await res.text()).trim().split("\n").map((line) => JSON.parse(line));
}

beforeAll(async () => {
  expect((await putSite(SITE)).status).toBe(201);
});

describe("a batch without sid", () => {
  it("gets its sessions and ad-click landing derived, stored and scored", async () => {
    const vid = id("vid");
    const start = Date.now() - 90 * MIN;
    const landing = event("page_view", undefined, { ts: start, url: "https://www.example.com/?utm_source=linkedin&utm_campaign=q3&gclid=abc" });
    const click = event("cta_click", { name: "demo" }, { ts: start + 5 * MIN });
    const first = [landing, click];
    expect(await (await send(SITE, vid, first, { sid: null })).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

    let events = await stored(vid);
    expect(events.map((e) => e.type)).toEqual(["page_view", "ad_click", "session_start", "cta_click"]);
    const session = events.find((e) => e.type === "session_start");
    expect(session).toMatchObject({ id: `${landing.id}.s`, ts: start, props: { visit: 1 } });
    expect(new Set(events.map((e) => e.sid))).toEqual(new Set([session.id]));
    expect(events.find((e) => e.type === "ad_click").props).toEqual({ utm_source: "linkedin", utm_campaign: "q3", click_id: "gclid" });

    // A resent batch is all duplicates and derives nothing new.
    expect(await (await send(SITE, vid, first, { sid: null })).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect(await stored(vid)).toHaveLength(4);

    // 30 minutes without events: the next one opens visit 2, which the default rules score.
    const back = event("page_view", undefined, { url: "https://www.example.com/pricing" });
    await send(SITE, vid, [back], { sid: null });
    events = await stored(vid);
    const visits = events.filter((e) => e.type === "session_start");
    expect(visits.map((e) => e.props.visit)).toEqual([1, 2]);
    expect(visits[1]).toMatchObject({ id: `${back.id}.s`, ts: back.ts });
    expect(events.find((e) => e.id === back.id).sid).toBe(visits[1].id);

    const v = await visitor(vid);
    const rules = Object.fromEntries(v.breakdown.map((b: any) => [b.rule, b.count]));
    expect(rules).toMatchObject({ ad_click: 1, return_visit: 1 });
  });

  it("refuses a session_start or ad_click of its own, storing the rest", async () => {
    const vid = id("vid");
    const res = await send(SITE, vid, [event("session_start", { visit: 7 }), event("cta_click", { name: "x" })], { sid: null });
    const body = (await res.json()) as any;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 0, path: "events[0].type", message: expect.stringMatching(/derived by the worker/) }]);
    expect((await stored(vid)).map((e) => [e.type, e.props])).toEqual([
      ["cta_click", { name: "x" }],
      ["session_start", { visit: 1 }],
    ]);
  });

  it("leaves a batch with sid as sent: no derived events", async () => {
    const vid = id("vid");
    await send(SITE, vid, [event("page_view", undefined, { url: "https://www.example.com/?utm_source=x" })]);
    expect((await stored(vid)).map((e) => [e.type, e.sid])).toEqual([["page_view", "session-0001"]]);
  });
});
