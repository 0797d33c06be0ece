import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, resolveRules } from "../../shared/rules";
import type { VisitorContext, VisitorObject } from "../../worker/visitor";
import { RETENTION } from "../../worker/visitor-schema";
import { event, id } from "./helpers";

function stubFor(vid: string) {
  return env.VISITOR.get(env.VISITOR.idFromName(`objects:${vid}`));
}

function context(vid: string, overrides: Partial<VisitorContext> = {}): VisitorContext {
  return { site: "objects", vid, rules: DEFAULT_RULES, rulesVersion: 1, allowAnonymousMql: false, webhooks: [], ...overrides };
}

const rowCount = (state: DurableObjectState, table: string) =>
  state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;

describe("VisitorObject", () => {
  it("applies a batch atomically: a failure part-way stores nothing and leaves the state as it was", async () => {
    const vid = id("vid");
    const stub = stubFor(vid);
    await stub.ingest(context(vid), "session-0001", [event("cta_click", { name: "a" }) as any]);
    const before = await stub.details(context(vid));

    await runInDurableObject(stub, async (instance: VisitorObject, state) => {
      const store = (instance as any).store;
      const original = store.insertEvent.bind(store);
      let calls = 0;
      store.insertEvent = (...args: unknown[]) => {
        if (++calls === 2) throw new Error("disk on fire");
        return original(...args);
      };
      await expect(
        instance.ingest(context(vid), "session-0001", [event("download", { file: "f.pdf", ext: "pdf" }) as any, event("cta_click", { name: "b" }) as any]),
      ).rejects.toThrow("disk on fire");
      store.insertEvent = original;
      expect(rowCount(state, "events")).toBe(1);
      expect(rowCount(state, "ledger")).toBe(1);
    });
    const after = await stub.details(context(vid));
    expect(after!.score).toBe(before!.score);
    expect(after!.recent).toHaveLength(1);
  });

  it("scores events arriving out of order exactly as in order", async () => {
    const t0 = Date.now() - 10 * 60_000;
    const events = [
      event("page_view", { funnel: "bofu" }, { ts: t0 }),
      event("identify", { email: "order@example.com", title: "CTO" }, { ts: t0 + 1000 }),
      event("cta_click", { name: "x" }, { ts: t0 + 2000 }),
      event("form_submit", { kind: "newsletter" }, { ts: t0 + 3000 }),
    ] as any[];
    const inOrder = id("vid");
    const shuffled = id("vid");
    await stubFor(inOrder).ingest(context(inOrder), "session-0001", events);
    for (const e of [events[3], events[1], events[0], events[2]]) {
      await stubFor(shuffled).ingest(context(shuffled), "session-0001", [e]);
    }
    const a = await stubFor(inOrder).details(context(inOrder));
    const b = await stubFor(shuffled).details(context(shuffled));
    expect(b!.score).toBe(a!.score);
    expect(b!.breakdown).toEqual(a!.breakdown);
    expect(b!.traits).toEqual(a!.traits);
  });

  it("re-scores from stored events when the site's rules version moves, and ignores stale rules", async () => {
    const vid = id("vid");
    const stub = stubFor(vid);
    await stub.ingest(context(vid), "session-0001", [event("cta_click", { name: "a" }), event("cta_click", { name: "b" })] as any[]);
    expect((await stub.details(context(vid)))!.score).toBe(10);

    const doubled = resolveRules({ signals: DEFAULT_RULES.signals.map((s) => (s.type === "cta_click" ? { ...s, points: 10, maxPerDay: 100 } : s)) });
    if (!doubled.ok) throw new Error(doubled.message);
    const v2 = context(vid, { rules: doubled.value, rulesVersion: 2 });
    const rescored = await stub.details(v2);
    expect(rescored!.score).toBe(20);
    expect(rescored!.rulesVersion).toBe(2);
    // An isolate still caching version 1 must not roll the visitor back.
    expect((await stub.details(context(vid)))!.score).toBe(20);
    const ledger = await stub.ledger(10, null);
    expect(ledger!.items[0]).toMatchObject({ reason: "rescore", rulesVersion: 2, points: 10, eventId: null });
  });

  it("bounds the event log, keeping the score of what it prunes", async () => {
    const vid = id("vid");
    const stub = stubFor(vid);
    const ping = resolveRules({ signals: [{ id: "ping", label: "Ping", type: "custom_ping", points: 1 }] });
    if (!ping.ok) throw new Error(ping.message);
    const ctx = context(vid, { rules: ping.value });
    const start = Date.now() - 2 * 60 * 60_000;
    const total = RETENTION.maxEvents + 50;
    for (let i = 0; i < total; i += 100) {
      const batch = Array.from({ length: Math.min(100, total - i) }, (_, j) =>
        event("custom_ping", { n: i + j }, { ts: start + (i + j) * 1000 }),
      );
      await runInDurableObject(stub, (instance: VisitorObject) => {
        (instance as any).tokens = 1e9;
      });
      const outcome = await stub.ingest(ctx, "session-0001", batch as any[]);
      expect(outcome.ok).toBe(true);
    }
    await runInDurableObject(stub, async (_instance: VisitorObject, state) => {
      expect(rowCount(state, "events")).toBe(RETENTION.maxEvents);
    });
    const exported = await stub.exportEvents();
    expect(exported![0]!.props!.n).toBe(50);
    // The 50 pruned events still count (folded into the base): 1,050 points, two hours decayed.
    const score = (await stub.details(ctx))!.score;
    expect(score).toBeGreaterThan(1040);
    expect(score).toBeLessThanOrEqual(1050);
  });
});
