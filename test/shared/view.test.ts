import { describe, expect, it } from "vitest";
import { viewOf } from "../../shared/engine";
import { DEFAULT_RULES } from "../../shared/rules";
import { DAY, ev, MINUTE, page, run, T0 } from "./helpers";

describe("viewOf", () => {
  const events = [
    ev("identify", T0, { email: "a@b.co", title: "CEO", employees: 20 }),
    page(T0 + MINUTE, "/pricing"),
    page(T0 + 2 * MINUTE, "/careers"),
    ev("download", T0 + 3 * MINUTE),
    ev("download", T0 + 4 * MINUTE),
  ];

  it("explains the score with a breakdown sorted by |points|, omitting rules that never fired", () => {
    const { state } = run(events, DEFAULT_RULES);
    const view = viewOf(state, DEFAULT_RULES, T0 + 5 * MINUTE);
    expect(view).toMatchObject({
      stage: "lead",
      identified: true,
      traits: { email: "a@b.co", title: "CEO", employees: 20 },
      fit: { grade: "C", score: 35 },
      qualifiedAt: null,
    });
    expect(view.breakdown.map((b) => [b.rule, b.count])).toEqual([
      ["download", 2],
      ["careers_page", 1],
      ["page_view_bofu", 1],
      ["page_view_tofu", 1],
    ]);
    expect(view.breakdown[0]?.label).toBe("Download");
  });

  it("decays the breakdown with the score and always sums to it in hundredths", () => {
    const { state } = run(events, DEFAULT_RULES);
    for (const days of [0, 1, 7.3, 29, 61.7, 365]) {
      const view = viewOf(state, DEFAULT_RULES, T0 + days * DAY);
      const sum = view.breakdown.reduce((acc, b) => acc + Math.round(b.points * 100), 0);
      expect(sum).toBe(Math.round(view.score * 100));
      for (const b of view.breakdown) expect(Math.round(b.points * 100) / 100).toBe(b.points);
    }
  });

  it("has a null fit grade and empty breakdown for a fresh visitor", () => {
    const { state } = run([], DEFAULT_RULES);
    expect(viewOf(state, DEFAULT_RULES, T0)).toEqual({
      stage: "visitor",
      score: 0,
      fit: { grade: null, score: 0 },
      identified: false,
      traits: {},
      qualifiedAt: null,
      breakdown: [],
    });
  });
});
