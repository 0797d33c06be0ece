import { describe, expect, it } from "vitest";
import { applyEvent, newVisitorState, rescore, emptyScore, setStage, viewOf } from "../../shared/engine";
import { DEFAULT_RULES } from "../../shared/rules";
import { ANON, DAY, ev, MINUTE, resolveOrThrow, run, T0 } from "./helpers";

const rules = DEFAULT_RULES;
/** 30 + 10 + 10 + 5 = 55 points, above the default threshold of 50 (reached at the third event). */
const engaged = (t = T0) => [
  ev("form_submit", t, { kind: "demo" }),
  ev("download", t + MINUTE),
  ev("download", t + 2 * MINUTE),
  ev("cta_click", t + 3 * MINUTE, { name: "x" }),
];
const identify = (t: number, props: Record<string, string | number> = {}) => ev("identify", t, { email: "Ada@Example.com", ...props });

describe("automatic transitions", () => {
  it("visitor → lead on identify with a valid email", () => {
    const { state, transitions } = run([identify(T0)], rules);
    expect(state.life.stage).toBe("lead");
    expect(transitions).toEqual([{ from: "visitor", to: "lead", at: T0, reason: "identified as ada@example.com" }]);
    expect(viewOf(state, rules, T0).identified).toBe(true);
  });

  it("stays visitor when identify has no email", () => {
    const { state, transitions } = run([ev("identify", T0, { company: "Acme" })], rules);
    expect(state.life.stage).toBe("visitor");
    expect(transitions).toEqual([]);
  });

  it("lead → mql when engagement reaches the threshold, with a reason", () => {
    const events = [identify(T0 - MINUTE), ...engaged()];
    const { state, transitions } = run(events, rules);
    expect(state.life.stage).toBe("mql");
    // 30 + 10 + 10 reaches 50 on the second download.
    expect(state.life.qualifiedAt).toBe(T0 + 2 * MINUTE);
    expect(transitions[1]).toEqual({
      from: "lead",
      to: "mql",
      at: T0 + 2 * MINUTE,
      reason: "engagement 50 ≥ threshold 50; fit unknown",
    });
  });

  it("uses `now`, not event ts, for decay at qualification and transition times", () => {
    const events = [identify(T0), ...engaged(T0 + MINUTE)];
    const late = run(events, rules, ANON, newVisitorState(), (e) => e.ts + 30 * DAY);
    expect(late.state.life.stage).toBe("lead"); // 55 decayed by a half-life is 27.5
    const onTime = run(events, rules, ANON, newVisitorState(), (e) => e.ts + 1000);
    expect(onTime.transitions.at(-1)?.at).toBe(T0 + 3 * MINUTE + 1000);
  });

  it("an anonymous visitor above the threshold qualifies the moment it identifies", () => {
    const before = run(engaged(), rules);
    expect(before.state.life.stage).toBe("visitor");
    const after = run([identify(T0 + 10 * MINUTE)], rules, ANON, before.state);
    expect(after.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["visitor→lead", "lead→mql"]);
    expect(after.state.life.qualifiedAt).toBe(T0 + 10 * MINUTE);
  });

  it("with allowAnonymousMql a visitor qualifies without an email", () => {
    const { state, transitions } = run(engaged(), rules, { allowAnonymousMql: true });
    expect(state.life.stage).toBe("mql");
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: "visitor", to: "mql" });
    expect(transitions[0]?.reason).toContain("anonymous");
  });

  it("requires the fit grade to meet minFit, and no traits fail it", () => {
    const strict = resolveOrThrow({ minFit: "B" });
    expect(run([identify(T0 - 1), ...engaged()], strict).state.life.stage).toBe("lead");
    expect(run([identify(T0 - 1, { title: "Director" }), ...engaged()], strict).state.life.stage).toBe("lead");
    const good = run([identify(T0 - 1, { title: "CEO", employees: 5000, industry: "SaaS" }), ...engaged()], strict);
    expect(good.state.life.stage).toBe("mql");
    expect(good.transitions.at(-1)?.reason).toBe("engagement 50 ≥ threshold 50; fit A");
    // Fit arriving later qualifies on that event.
    const later = run([identify(T0 - 1), ...engaged(), ev("identify", T0 + DAY, { title: "VP Sales", employees: 60 })], strict);
    expect(later.state.life).toMatchObject({ stage: "mql", qualifiedAt: T0 + DAY });
  });

  it("never loses mql to decay or negative points", () => {
    const { state } = run([identify(T0 - 1), ...engaged(), ev("page_view", T0 + 100 * DAY, {}, "https://x.com/careers")], rules);
    expect(state.life.stage).toBe("mql");
    expect(viewOf(state, rules, T0 + 100 * DAY).score).toBeLessThan(0);
  });

  it("ignores an exact duplicate of the last event and asks for a replay for older ones", () => {
    const first = ev("download", T0);
    const { state } = run([first, ev("download", T0 + 1)], rules);
    const dup = applyEvent(state, { ...first, ts: T0 + 1, id: state.score.lastKey!.id }, rules, T0 + 2, ANON);
    expect(dup).toEqual({ kind: "applied", state, ledger: [], transitions: [] });
    expect(applyEvent(state, first, rules, T0 + 2, ANON)).toEqual({ kind: "replay" });
  });
});

describe("ledger", () => {
  it("has one entry per awarding rule with the points actually awarded", () => {
    const { ledger } = run([ev("page_view", T0, {}, "https://x.com/careers/x"), ev("form_submit", T0 + 1, { kind: "signup" })], rules);
    expect(ledger.map((l) => [l.ruleId, l.points])).toEqual([
      ["page_view_tofu", 1],
      ["careers_page", -15],
    ]);
  });
});

describe("setStage", () => {
  const mql = () => run([identify(T0 - 1), ...engaged()], rules).state;

  it("moves leads along the sales stages with a 'sales:' reason", () => {
    const result = setStage(mql(), "sql", "accepted by Bob", rules, T0 + DAY);
    expect(result).toMatchObject({ ok: true, transitions: [{ from: "mql", to: "sql", at: T0 + DAY, reason: "sales: accepted by Bob" }] });
  });

  it.each([
    ["visitor", "sql", false],
    ["visitor", "recycled", false],
    ["visitor", "customer", false],
    ["lead", "sql", true],
    ["lead", "recycled", true],
    ["lead", "customer", true],
    ["mql", "sql", true],
    ["mql", "recycled", true],
    ["mql", "customer", true],
    ["sql", "recycled", true],
    ["sql", "customer", true],
    ["recycled", "sql", true],
    ["recycled", "customer", true],
    ["customer", "sql", false],
    ["customer", "recycled", false],
  ] as const)("%s → %s allowed: %s", (from, to, allowed) => {
    const state = { ...newVisitorState(), life: { ...newVisitorState().life, stage: from } };
    const result = setStage(state, to, "why", rules, T0);
    expect(result.ok).toBe(allowed);
    if (!result.ok) {
      expect(result.code).toBe("invalid_transition");
      expect(result.message).toContain(from);
    }
  });

  it("is a no-op for the same stage", () => {
    const state = { ...newVisitorState(), life: { ...newVisitorState().life, stage: "sql" as const } };
    expect(setStage(state, "sql", "again", rules, T0)).toEqual({ ok: true, state, transitions: [] });
  });

  it("a recycled visitor re-qualifies only on engagement earned after the recycle", () => {
    const recycled = setStage(mql(), "recycled", "not now", rules, T0 + DAY);
    if (!recycled.ok) throw new Error("recycle failed");
    expect(recycled.state.life.stage).toBe("recycled");
    // A page view on top of a 55-point score does not bounce it back.
    const next = run([ev("page_view", T0 + DAY + MINUTE, {}, "https://x.com/pricing")], rules, ANON, recycled.state);
    expect(next.state.life.stage).toBe("recycled");
    // 50 fresh points do.
    const fresh = [0, 1, 2, 3].map((i) => ev("download", T0 + 2 * DAY + i * MINUTE)).concat([ev("form_submit", T0 + 2 * DAY + 5 * MINUTE, { kind: "demo" })]);
    const again = run(fresh, rules, ANON, next.state);
    expect(again.state.life).toMatchObject({ stage: "mql", qualifiedAt: T0 + 2 * DAY + 5 * MINUTE });
    expect(again.transitions.at(-1)?.reason).toMatch(/^engagement since recycle \d+(\.\d+)? ≥ threshold 50/);
  });
});

describe("rescore", () => {
  it("reports per-rule deltas, re-evaluates the lifecycle and never drops mql", () => {
    const events = [identify(T0 - 1), ...engaged()];
    const { state } = run(events, rules);
    const doubled = resolveOrThrow({ signals: [{ id: "download", label: "Download", type: "download", points: 20 }] });
    const result = rescore(state, emptyScore(), events, doubled, T0 + DAY, ANON);
    expect(result.ledger.sort((a, b) => a.ruleId.localeCompare(b.ruleId))).toEqual([
      { eventId: null, ruleId: "cta_click", points: -5, at: T0 + DAY, reason: "rescore" },
      { eventId: null, ruleId: "demo_request", points: -30, at: T0 + DAY, reason: "rescore" },
      { eventId: null, ruleId: "download", points: 20, at: T0 + DAY, reason: "rescore" },
    ]);
    expect(result.state.life.stage).toBe("mql");
    expect(result.transitions).toEqual([]);
  });

  it("qualifies a lead when new rules lift it over the threshold", () => {
    const events = [identify(T0 - 1), ev("download", T0)];
    const { state } = run(events, rules);
    const low = resolveOrThrow({ threshold: 5 });
    const result = rescore(state, emptyScore(), events, low, T0 + MINUTE, ANON);
    expect(result.ledger).toEqual([]);
    expect(result.transitions).toEqual([
      { from: "lead", to: "mql", at: T0 + MINUTE, reason: "re-scored: engagement 10 ≥ threshold 5; fit unknown" },
    ]);
  });
});
