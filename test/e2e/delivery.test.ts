/**
 * Delivery under the failure modes SPEC §4 names: an event fired right before navigating away,
 * an offline period, server errors (kept and retried, also by the next page) versus other 4xx
 * (dropped), and batches split to ≤100 events and < 64 KiB.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startHarness, worker, type Harness } from "./browser";

describe.skipIf(!worker)("delivery", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("delivery");
    h.route("/second", { body: "<p>second page</p>" });
  });
  afterAll(() => h?.close());

  const outbox = (page: import("playwright-core").Page) => page.evaluate(() => localStorage.getItem("mql_q") ?? "");

  it("does not lose an event fired right before navigating away", async () => {
    // The destination is another origin without the snippet: only what is sent while the page
    // goes (the beacon on pagehide) can deliver the click, not a retry by the next page.
    h.route("/", {
      body: `<a id="leave" data-mql-cta="leave" href="${h.elsewhere}/away">Leave</a>`,
    });
    const w = await h.newPage();
    await w.page.goto(`${h.origin}/`);
    const vid = await w.vid();
    await w.page.click("#leave"); // the navigation starts at once; no preventDefault anywhere
    await w.page.waitForURL(`${h.elsewhere}/away`);
    const events = await h.events(vid, (e) => ofType(e, "cta_click").length > 0);
    expect(ofType(events, "cta_click")[0]!.props).toMatchObject({ name: "leave" });

    // The same through the API: track, then leave in the same task.
    const w2 = await h.newPage();
    await w2.page.goto(`${h.origin}/`);
    const vid2 = await w2.vid();
    await w2.page.evaluate((to) => {
      (window as any).mql("track", "last_words", { n: 1 });
      location.href = to;
    }, `${h.elsewhere}/away`);
    await w2.page.waitForURL(`${h.elsewhere}/away`);
    await h.events(vid2, (e) => ofType(e, "last_words").length === 1);
  });

  it("loses nothing while offline and sends it all once the network returns", async () => {
    h.route("/", { body: `<button id="b" data-mql-cta="offline-click">B</button>` });
    const ctx = await h.browser.newContext();
    const w = await h.newPage(ctx);
    await w.page.goto(`${h.origin}/`);
    const vid = await w.vid();
    await h.events(vid, (e) => ofType(e, "page_view").length === 1);

    await ctx.setOffline(true);
    for (let i = 0; i < 3; i++) await w.page.click("#b");
    await w.page.evaluate(() => (window as any).mql("track", "offline_note", { at: "offline" }));
    await w.page.waitForTimeout(2_500); // batch window passed, the send failed
    expect(await outbox(w.page)).toContain("offline_note");
    expect(ofType((await h.visitor(vid)).recent, "cta_click")).toHaveLength(0);

    await ctx.setOffline(false); // `online` fires: the outbox goes out
    const events = await h.events(vid, (e) => ofType(e, "cta_click").length === 3 && ofType(e, "offline_note").length === 1);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    await expect.poll(() => outbox(w.page)).toBe("[]");
    await ctx.close();
  });

  it("keeps batches the worker answered with 5xx or 429 and retries them, also from the next page; drops other 4xx", async () => {
    h.route("/", { body: `<button id="b" data-mql-cta="retry-click">B</button>` });
    const ctx = await h.browser.newContext();
    const w = await h.newPage(ctx);
    const cors = { "access-control-allow-origin": h.origin };
    let status = 503;
    await ctx.route(`${worker!.url}/e`, (route) =>
      status ? route.fulfill({ status, headers: cors, body: "{}" }) : route.continue(),
    );
    await w.page.goto(`${h.origin}/`);
    const vid = await w.vid();
    await w.page.click("#b");
    await w.page.waitForTimeout(2_000);
    expect(await outbox(w.page)).toContain("retry-click");
    expect(await h.visitor(vid)).toBeNull();

    status = 429;
    await w.page.waitForTimeout(2_500); // a backoff retry meets 429: still kept
    expect(await outbox(w.page)).toContain("retry-click");

    status = 0; // the worker is reachable again; the next page sends what the last one kept
    await w.page.goto(`${h.origin}/second`);
    const events = await h.events(vid, (e) => ofType(e, "cta_click").length === 1 && ofType(e, "page_view").length === 2);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    status = 400; // a batch the worker will never take is dropped, not retried forever
    await w.page.evaluate(() => (window as any).mql("track", "rejected_one"));
    await w.page.waitForTimeout(2_000);
    await expect.poll(() => outbox(w.page)).toBe("[]");
    await ctx.close();
  });

  it("splits batches to at most 100 events and under 64 KiB", async () => {
    h.route("/", { body: "<p>bulk</p>" });
    const w = await h.newPage();
    await w.page.goto(`${h.origin}/`);
    const vid = await w.vid();
    await w.page.evaluate(() => {
      for (let i = 0; i < 130; i++) (window as any).mql("track", "bulk", { i, pad: "x".repeat(900) });
    });
    // Unique ids: the browser may report a keepalive request twice, and retries resend by design.
    const bulk = () =>
      new Set(w.posts.flatMap((body) => JSON.parse(body).events.filter((e: any) => e.type === "bulk").map((e: any) => e.id))).size;
    await expect.poll(bulk, { timeout: 30_000 }).toBe(130);
    expect(w.posts.length).toBeGreaterThanOrEqual(2);
    for (const body of w.posts) {
      expect(JSON.parse(body).events.length).toBeLessThanOrEqual(100);
      expect(Buffer.byteLength(body)).toBeLessThan(65_536);
    }
    const stored = async () => {
      const res = await fetch(`${worker!.url}/v1/sites/${h.site}/visitors/${vid}/events?format=jsonl`, {
        headers: { authorization: `Bearer ${h.apiKey}` },
      });
      const lines = (await res.text()).trim().split("\n").filter(Boolean);
      return lines.map((l) => JSON.parse(l)).filter((e) => e.type === "bulk").length;
    };
    await expect.poll(stored, { timeout: 10_000 }).toBe(130);
  });
});
