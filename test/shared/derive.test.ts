import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { adClickProps, deriveSessions, SESSION_GAP_MS, type SessionCursor } from "../../shared/derive";
import type { TrackedEvent } from "../../shared/events";

const T0 = Date.UTC(2026, 11, 1, 9);
const MIN = 60_000;
const NEW: SessionCursor = { lastTs: null, visits: 0, sid: null };
const ev = (id: string, ts: number, type = "cta_click", url?: string): TrackedEvent => ({ id, type, ts, ...(url ? { url } : {}) });
const types = (events: { event: TrackedEvent }[]) => events.map((e) => e.event.type);

describe("adClickProps", () => {
  it("keeps the utm_* tags as given and names the click id, never its value", () => {
    expect(adClickProps("https://x.com/?utm_source=linkedin&utm_medium=paid&utm_campaign=q3%20launch&gclid=abc123")).toEqual({
      utm_source: "linkedin", utm_medium: "paid", utm_campaign: "q3 launch", click_id: "gclid",
    });
    expect(adClickProps("https://x.com/p?msclkid=1#utm_source=not-the-query")).toEqual({ click_id: "msclkid" });
    expect(adClickProps("https://x.com/p?fbclid&utm_term=a+b")).toEqual({ click_id: "fbclid", utm_term: "a b" });
  });

  it("is null without campaign parameters, and skips empty, malformed or oversized ones", () => {
    expect(adClickProps("https://x.com/pricing")).toBeNull();
    expect(adClickProps("https://x.com/?ref=hn&q=1")).toBeNull();
    expect(adClickProps("https://x.com/?utm_source=")).toBeNull();
    expect(adClickProps("https://x.com/?utm_bad-key=1&utm_ok=%E0%A4%A")).toEqual({ utm_ok: "%E0%A4%A" });
    expect(adClickProps(`https://x.com/?utm_content=${"x".repeat(2000)}`)!.utm_content).toHaveLength(1024);
    const many = Array.from({ length: 30 }, (_, i) => `utm_k${i}=v`).join("&");
    expect(Object.keys(adClickProps(`https://x.com/?${many}`)!)).toHaveLength(20);
  });
});

describe("deriveSessions", () => {
  it("opens visit 1 at a visitor's first event, with that event's time, and keeps one session within 30 minutes", () => {
    const { events, cursor } = deriveSessions([ev("a0000001", T0), ev("a0000002", T0 + 29 * MIN)], NEW);
    expect(types(events)).toEqual(["cta_click", "session_start", "cta_click"]);
    const start = events[1]!.event;
    expect(start).toMatchObject({ id: "a0000001.s", ts: T0, props: { visit: 1 } });
    expect(events.map((e) => e.sid)).toEqual(["a0000001.s", "a0000001.s", "a0000001.s"]);
    expect(cursor).toEqual({ lastTs: T0 + 29 * MIN, visits: 1, sid: "a0000001.s" });
  });

  it("opens the next visit after 30 minutes without events, across batches", () => {
    const first = deriveSessions([ev("a0000001", T0)], NEW).cursor;
    const { events, cursor } = deriveSessions([ev("b0000001", T0 + SESSION_GAP_MS - 1), ev("b0000002", T0 + SESSION_GAP_MS - 1 + SESSION_GAP_MS)], first);
    expect(types(events)).toEqual(["cta_click", "cta_click", "session_start"]);
    expect(events[0]!.sid).toBe("a0000001.s");
    expect(events[2]!.event).toMatchObject({ id: "b0000002.s", props: { visit: 2 } });
    expect(cursor.visits).toBe(2);
  });

  it("puts a late event in the current session instead of opening one", () => {
    const cursor = { lastTs: T0 + 3 * 60 * MIN, visits: 4, sid: "cur.s" };
    const { events } = deriveSessions([ev("late0001", T0)], cursor);
    expect(events).toEqual([{ event: ev("late0001", T0), sid: "cur.s" }]);
  });

  it("follows a page view with campaign tags by an ad_click at the same time", () => {
    const url = "https://x.com/?utm_source=news&gclid=1";
    const { events } = deriveSessions([ev("pv000001", T0, "page_view", url), ev("pv000002", T0 + MIN, "page_view", "https://x.com/next")], NEW);
    expect(types(events)).toEqual(["page_view", "ad_click", "session_start", "page_view"]);
    expect(events[1]!.event).toEqual({ id: "pv000001.a", type: "ad_click", ts: T0, url, props: { utm_source: "news", click_id: "gclid" } });
  });

  it("derives the same events whatever the batch boundaries (property)", () => {
    const gaps = fc.array(fc.integer({ min: 0, max: 3 * SESSION_GAP_MS }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(gaps, fc.array(fc.nat(), { maxLength: 5 }), (steps, cuts) => {
        let ts = T0;
        const batch = steps.map((step, i) => ev(`e${String(i).padStart(7, "0")}`, (ts += step)));
        const whole = deriveSessions(batch, NEW).events;
        const bounds = [...new Set(cuts.map((c) => c % batch.length))].sort((a, b) => a - b);
        let cursor = NEW;
        const pieces: typeof whole = [];
        for (const [i, start] of [0, ...bounds].entries()) {
          const part = deriveSessions(batch.slice(start, bounds[i] ?? batch.length), cursor);
          pieces.push(...part.events);
          cursor = part.cursor;
        }
        expect(pieces).toEqual(whole);
        expect(whole.filter((e) => e.event.type === "session_start").map((e) => e.event.props!.visit)).toEqual(
          Array.from({ length: cursor.visits }, (_, i) => i + 1),
        );
      }),
    );
  });
});
