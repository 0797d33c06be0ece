import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decayedValue, decayRate } from "../../shared/decay";
import type { TrackedEvent } from "../../shared/events";
import {
  applyEvent,
  emptyScore,
  foldScore,
  newVisitorState,
  rescore,
  viewOf,
  type EngineOptions,
  type VisitorState,
} from "../../shared/engine";
import { DEFAULT_RULES, type Rules } from "../../shared/rules";
import { DAY, resolveOrThrow, T0 } from "./helpers";

const PATHS = ["/", "/pricing", "/blog/a", "/case-studies/x", "/careers", "/jobs/1", "/features"];

/** Event bodies the snippet would send, without id and ts (the generators add those). */
const body = fc.oneof(
  fc.record({
    type: fc.constant("page_view"),
    url: fc.constantFrom(...PATHS).map((p) => `https://www.example.com${p}`),
    props: fc.option(fc.record({ funnel: fc.constantFrom("tofu", "mofu", "bofu", "x") }), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant("dwell"),
    url: fc.constant("https://www.example.com/a"),
    props: fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 600 })).map(([seconds, extra]) => ({ seconds, total: seconds + extra })),
  }),
  fc.record({ type: fc.constant("cta_click"), props: fc.record({ name: fc.constantFrom("a", "b") }) }),
  fc.record({ type: fc.constant("download"), props: fc.constant({ file: "x.pdf", ext: "pdf" }) }),
  fc.record({ type: fc.constant("form_submit"), props: fc.record({ kind: fc.constantFrom("newsletter", "demo", "contact", "other") }) }),
  fc.record({
    type: fc.constant("identify"),
    props: fc.record({ email: fc.constantFrom("a@x.com", "b@y.org"), title: fc.constantFrom("CEO", "VP Sales", "Engineer") }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constant("session_start"), props: fc.record({ visit: fc.integer({ min: 1, max: 6 }) }) }),
  fc.record({ type: fc.constantFrom("cart_add", "wishlist_add", "ad_click", "webinar_signup") }),
);

/** Distinct events; timestamps deliberately collide often so the id tie-break is exercised. */
const eventsArb = fc
  .array(
    fc.tuple(body, fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 40 * DAY }))),
    { maxLength: 40 },
  )
  .map((items) =>
    items.map(([b, offset], i): TrackedEvent => {
      const event: TrackedEvent = { id: `evt_${String(i).padStart(4, "0")}`, type: b.type, ts: T0 + offset };
      if ("url" in b && b.url !== undefined) event.url = b.url;
      if ("props" in b && b.props !== undefined) event.props = b.props;
      return event;
    }),
  );

const rulesArb: fc.Arbitrary<Rules> = fc.oneof(
  fc.constant(DEFAULT_RULES),
  fc.double({ min: 0.05, max: 90, noNaN: true }).map((halfLifeDays) => resolveOrThrow({ decay: { halfLifeDays }, threshold: 20 })),
);

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe("properties", () => {
  it("the breakdown always sums to the score, exactly in hundredths", () => {
    fc.assert(
      fc.property(eventsArb, rulesArb, fc.integer({ min: 0, max: 400 * DAY }), (events, rules, later) => {
        const state: VisitorState = { ...newVisitorState(), score: foldScore(emptyScore(), events, rules) };
        const view = viewOf(state, rules, T0 + later);
        const sum = view.breakdown.reduce((acc, line) => acc + Math.round(line.points * 100), 0);
        expect(sum).toBe(Math.round(view.score * 100));
        for (const line of view.breakdown) expect(Number.isInteger(Math.round(line.points * 100))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("decay is monotone non-increasing in time and halves per half-life", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 365, noNaN: true }),
        fc.integer({ min: 0, max: 1000 * DAY }),
        fc.integer({ min: 0, max: 1000 * DAY }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (value, halfLifeDays, a, b, halvings) => {
          const rate = decayRate(halfLifeDays);
          const [early, late] = a <= b ? [a, b] : [b, a];
          expect(Math.abs(decayedValue(value, 0, late, rate))).toBeLessThanOrEqual(Math.abs(decayedValue(value, 0, early, rate)));
          const after = decayedValue(value, 0, halvings * halfLifeDays * DAY, rate);
          expect(after).toBeCloseTo(value / 2 ** halvings, 9);
        },
      ),
    );
  });

  it("a visitor's shown score never grows while no events arrive (positive rules)", () => {
    const positive = eventsArb.map((events) => events.filter((e) => e.type !== "page_view" || !/careers|jobs/.test(e.url ?? "")));
    fc.assert(
      fc.property(positive, rulesArb, fc.integer({ min: 0, max: 100 * DAY }), fc.integer({ min: 0, max: 100 * DAY }), (events, rules, x, y) => {
        const state: VisitorState = { ...newVisitorState(), score: foldScore(emptyScore(), events, rules) };
        const start = T0 + 40 * DAY;
        const [early, late] = x <= y ? [x, y] : [y, x];
        expect(viewOf(state, rules, start + late).score).toBeLessThanOrEqual(viewOf(state, rules, start + early).score);
      }),
    );
  });

  it("any arrival order with duplicates yields the same score as the sorted fold", () => {
    const arrivals = eventsArb.chain((events) =>
      fc
        .tuple(
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          fc.array(fc.nat(), { maxLength: 10 }),
        )
        .map(([order, dupPicks]) => {
          const withDups = [...order];
          // Re-deliveries land anywhere later in the stream, as a retried batch would.
          for (const pick of dupPicks) {
            if (order.length === 0) break;
            const event = order[pick % order.length]!;
            withDups.splice(pick % (withDups.length + 1), 0, { ...event });
          }
          return { events, withDups };
        }),
    );
    const opts: EngineOptions = { allowAnonymousMql: false };
    fc.assert(
      fc.property(arrivals, rulesArb, ({ events, withDups }, rules) => {
        // Drive the engine the way the Durable Object does: a log, applyEvent, rescore on replay.
        let state = newVisitorState();
        const log: TrackedEvent[] = [];
        let now = T0;
        for (const event of withDups) {
          now = Math.max(now, event.ts);
          log.push(event);
          // Frozen, so any in-place mutation of a previous state by the engine throws.
          const result = applyEvent(deepFreeze(state), event, rules, now, opts);
          state = result.kind === "applied" ? result.state : rescore(state, emptyScore(), log, rules, now, opts).state;
        }
        expect(state.score).toEqual(foldScore(emptyScore(), events, rules));
        // Anonymous MQLs are off, so a visitor that never gave an email stays a visitor in any order.
        if (state.score.traits.email === undefined) expect(state.life.stage).toBe("visitor");
        else expect(state.life.stage).not.toBe("visitor");
      }),
      { numRuns: 300 },
    );
  });
});
