import { describe, expect, it } from "vitest";
import { LIMITS, toTraits, validateBatch } from "../../shared/events";

const event = (over: Record<string, unknown> = {}) => ({
  id: "evt_00000001",
  type: "cta_click",
  ts: Date.UTC(2025, 0, 6),
  url: "https://www.example.com/pricing",
  props: { name: "start-trial" },
  ...over,
});
const batch = (over: Record<string, unknown> = {}) => ({
  site: "demo",
  vid: "vid_abcdefgh",
  sid: "sid_abcdefgh",
  events: [event()],
  ...over,
});

function rejects(input: unknown, path: string, code = "invalid_body") {
  const result = validateBatch(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  expect(result.path).toBe(path);
  // The message is a sentence that names the field it complains about.
  if (path !== "body") expect(result.message).toContain(path);
  expect(result.message).toMatch(/\.$/);
}

describe("validateBatch", () => {
  it("accepts a well-formed batch and keeps only known fields", () => {
    const result = validateBatch({ ...batch(), extra: 1, events: [{ ...event(), extra: true }] });
    expect(result).toEqual({ ok: true, value: batch(), rejected: [] });
  });

  it("accepts custom event types, missing url/props and duplicate ids", () => {
    const result = validateBatch(batch({ events: [event({ type: "webinar_signup", url: undefined, props: undefined }), event()] }));
    expect(result.ok).toBe(true);
  });

  it("rejects a body that is not an object", () => {
    rejects(null, "body");
    rejects([], "body");
    rejects("x", "body");
  });

  it.each([
    ["site", { site: "Demo" }],
    ["site", { site: "" }],
    ["vid", { vid: "short" }],
    ["sid", { sid: 12345678 }],
    ["events", { events: "nope" }],
    ["events", { events: [] }],
  ])("rejects a bad %s", (path, over) => rejects(batch(over), path));

  it("rejects more than maxEvents events with too_many_events", () => {
    const events = Array.from({ length: LIMITS.maxEvents + 1 }, (_, i) => event({ id: `evt_${String(i).padStart(8, "0")}` }));
    rejects(batch({ events }), "events", "too_many_events");
    expect(validateBatch(batch({ events: events.slice(1) })).ok).toBe(true);
  });

  it.each([
    ["events[0]", 5],
    ["events[0].id", { id: "bad id!" }],
    ["events[0].id", { id: "x".repeat(65) }],
    ["events[0].type", { type: "Page View" }],
    ["events[0].type", { type: "x".repeat(41) }],
    ["events[0].ts", { ts: 1.5 }],
    ["events[0].ts", { ts: "1733240000000" }],
    ["events[0].ts", { ts: 1733240000 }], // seconds, not ms
    ["events[0].ts", { ts: Date.UTC(2100, 0, 1) }],
    ["events[0].url", { url: "ftp://example.com/x" }],
    ["events[0].url", { url: `https://example.com/${"a".repeat(LIMITS.maxUrlLength)}` }],
    ["events[0].props", { props: [] }],
    ["events[0].props", { props: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }],
    ["events[0].props.bad-key", { props: { "bad-key": 1 } }],
    ["events[0].props.sku", { props: { sku: "x".repeat(LIMITS.maxStringLength + 1) } }],
    ["events[0].props.nested", { props: { nested: { a: 1 } } }],
  ])("rejects %s", (path, over) => {
    const bad = typeof over === "object" ? event(over as Record<string, unknown>) : over;
    rejects(batch({ events: [bad] }), path);
  });

  it("refuses a bad event alone, naming its index, and keeps the rest of the batch", () => {
    const good = [event(), event({ id: "evt_00000002" }), event({ id: "evt_00000003" })];
    const result = validateBatch(batch({ events: [...good, event({ props: { sku: [1] } })] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.events).toEqual(good);
    expect(result.rejected).toEqual([
      { index: 3, path: "events[3].props.sku", message: expect.stringContaining("events[3].props.sku") },
    ]);
  });

  it("refuses a batch none of whose events is valid with the first event's reason", () => {
    rejects(batch({ events: [event({ id: "bad id!" }), event({ props: { sku: [1] } })] }), "events[0].id");
  });

  it("takes sid as optional; without it, session_start and ad_click are the worker's to derive", () => {
    const { sid: _sid, ...noSid } = batch();
    expect(validateBatch(noSid)).toEqual({ ok: true, value: noSid, rejected: [] });
    const result = validateBatch({ ...noSid, events: [event(), event({ id: "evt_00000002", type: "session_start", props: { visit: 2 } }), event({ id: "evt_00000003", type: "ad_click" })] });
    expect(result.ok && result.rejected.map((r) => r.path)).toEqual(["events[1].type", "events[2].type"]);
    expect(result.ok && result.rejected[0]!.message).toMatch(/derived by the worker/);
    // With a sid the sender keeps its own sessions and may send them.
    const own = validateBatch(batch({ events: [event({ type: "session_start", props: { visit: 2 } }), event({ id: "evt_00000002", type: "ad_click" })] }));
    expect(own.ok && own.rejected).toEqual([]);
  });

  it("rejects an identify whose email is not an email, and accepts one without email", () => {
    rejects(batch({ events: [event({ type: "identify", props: { email: "not-an-email" } })] }), "events[0].props.email");
    rejects(batch({ events: [event({ type: "identify", props: { email: 42 } })] }), "events[0].props.email");
    expect(validateBatch(batch({ events: [event({ type: "identify", props: { company: "Acme" } })] })).ok).toBe(true);
    expect(validateBatch(batch({ events: [event({ type: "identify", props: { email: " Ada@Example.COM " } })] })).ok).toBe(true);
  });

  it("drops null props as absent", () => {
    const result = validateBatch(batch({ events: [event({ props: { kind: "contact", action: null } })] }));
    expect(result.ok && result.value.events[0]!.props).toEqual({ kind: "contact" });
  });

  it("allows 20 props and strings of exactly the limit", () => {
    const props = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "x".repeat(LIMITS.maxStringLength)]));
    expect(validateBatch(batch({ events: [event({ props })] })).ok).toBe(true);
  });
});

describe("toTraits", () => {
  it("normalises email, employees and country and drops unknown keys", () => {
    expect(
      toTraits({ email: "  Ada@Example.COM ", name: " Ada ", company: "Acme", title: "CTO", industry: "Software", employees: "250", country: "de", plan: "pro" }),
    ).toEqual({ email: "ada@example.com", name: "Ada", company: "Acme", title: "CTO", industry: "Software", employees: 250, country: "DE" });
  });

  it.each([
    ["50-200", 50],
    ["1,000", 1000],
    ["1000+", 1000],
    ["10 – 49", 10],
    [12.7, 12],
  ])("reads employees %s as %s", (input, expected) => {
    expect(toTraits({ employees: input }).employees).toBe(expected);
  });

  it("drops values that do not normalise", () => {
    expect(toTraits({ email: "nope", employees: "lots", name: "  ", title: 5, country: true })).toEqual({});
    expect(toTraits(undefined)).toEqual({});
  });
});
