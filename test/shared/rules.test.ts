import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, resolveRules, RULES_JSON_SCHEMA } from "../../shared/rules";

function rejects(partial: unknown, path: string, message?: RegExp) {
  const result = resolveRules(partial);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.path).toBe(path);
  if (message) expect(result.message).toMatch(message);
}

const signal = (over: Record<string, unknown> = {}) => ({ id: "s1", label: "S1", type: "cta_click", points: 5, ...over });

describe("resolveRules", () => {
  it("returns the defaults for an empty object, as a private copy", () => {
    const result = resolveRules({});
    expect(result).toEqual({ ok: true, value: DEFAULT_RULES });
    if (!result.ok) return;
    expect(result.value.signals).not.toBe(DEFAULT_RULES.signals);
    expect(Object.isFrozen(DEFAULT_RULES.signals[0])).toBe(true);
  });

  it("merges key by key: scalars and nested objects merge, lists replace", () => {
    const result = resolveRules({
      threshold: 80,
      decay: { halfLifeDays: 7.5 },
      minFit: "B",
      signals: [signal()],
      fit: { grades: { A: 70 } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.threshold).toBe(80);
    expect(result.value.decay.halfLifeDays).toBe(7.5);
    expect(result.value.minFit).toBe("B");
    expect(result.value.signals).toEqual([signal()]);
    expect(result.value.fit.rules).toEqual(DEFAULT_RULES.fit.rules);
    expect(result.value.fit.grades).toEqual({ A: 70, B: 40, C: 20 });
    expect(result.value.funnel).toEqual(DEFAULT_RULES.funnel);
  });

  it("lets minFit be reset to null and the funnel list be emptied", () => {
    const result = resolveRules({ minFit: null, funnel: [] });
    expect(result.ok && result.value.minFit).toBe(null);
    expect(result.ok && result.value.funnel).toEqual([]);
  });

  it.each([
    [5, "", /object/],
    [{ treshold: 5 }, "treshold", /not a known key/],
    [{ threshold: "50" }, "threshold", /number/],
    [{ threshold: 0 }, "threshold", /greater than 0/],
    [{ decay: { halfLifeDays: -1 } }, "decay.halfLifeDays", /greater than 0/],
    [{ decay: { halflife: 3 } }, "decay.halflife", /not a known key/],
    [{ minFit: "E" }, "minFit", /"A", "B", "C", "D"/],
    [{ signals: [signal(), signal({ points: "x" })] }, "signals[1].points", /number/],
    [{ signals: [signal({ points: Infinity })] }, "signals[0].points", /number/],
    [{ signals: [signal({ id: "Bad Id" })] }, "signals[0].id", /a-z/],
    [{ signals: [signal({ id: "__proto__" })] }, "signals[0].id", /reserved/],
    [{ signals: [signal({ type: "Page" })] }, "signals[0].type", /event type/],
    [{ signals: [signal({ colour: 1 })] }, "signals[0].colour", /not a known key/],
    [{ signals: [signal({ when: { url: "pricing" } })] }, "signals[0].when.url", /path glob/],
    [{ signals: [signal({ when: { url: [] } })] }, "signals[0].when.url", /at least 1 item$/],
    [{ signals: [signal({ when: { funnel: "top" } })] }, "signals[0].when.funnel", /funnel stage/],
    [{ signals: [signal({ when: { props: { visit: { gt: 2 } } } })] }, "signals[0].when.props.visit.gt", /not a known key/],
    [{ signals: [signal({ when: { props: { visit: [2] } } })] }, "signals[0].when.props.visit", /string, number, boolean/],
    [{ signals: [signal({ when: { props: { visit: {} } } })] }, "signals[0].when.props.visit", /gte, lte/],
    [{ signals: [signal({ when: { props: { visit: { gte: 3, lte: 2 } } } })] }, "signals[0].when.props.visit", /never match/],
    [{ signals: [signal({ when: { regex: ".*" } })] }, "signals[0].when.regex", /not a known key/],
    [{ signals: [signal(), signal()] }, "signals[1].id", /unique/],
    [{ signals: [signal({ maxPerPage: 10 })] }, "signals[0].maxPerPage", /every/],
    [{ signals: [signal({ maxPerDay: 0 })] }, "signals[0].maxPerDay", /greater than 0/],
    [{ fit: { rules: [{ id: "f", label: "F", trait: "title", points: 5 }] } }, "fit.rules[0].anyOf", /required/],
    [{ fit: { rules: [{ id: "f", label: "F", trait: "employees", anyOf: ["x"], points: 5 }] } }, "fit.rules[0].anyOf", /min and max/],
    [{ fit: { rules: [{ id: "f", label: "F", trait: "employees", points: 5 }] } }, "fit.rules[0]", /min, max/],
    [{ fit: { rules: [{ id: "f", label: "F", trait: "title", anyOf: ["x"], min: 3, points: 5 }] } }, "fit.rules[0].min", /employees/],
    [{ fit: { rules: [{ id: "f", label: "F", trait: "age", anyOf: ["x"], points: 5 }] } }, "fit.rules[0].trait", /one of/],
    [{ fit: { grades: { B: 90 } } }, "fit.grades.B", /fit.grades.A/],
    [{ fit: { grades: { A: 10, B: 5, C: 6 } } }, "fit.grades.C", /fit.grades.B/],
    [{ funnel: [{ pattern: "*/x*", stage: "late" }] }, "funnel[0].stage", /one of/],
  ])("rejects %j at %s", (partial, path, message) => rejects(partial, path, message));
});

describe("RULES_JSON_SCHEMA", () => {
  it("is committed as shared/rules.schema.json (regenerate: node shared/write-schema.mjs)", () => {
    const file = JSON.parse(readFileSync(new URL("../../shared/rules.schema.json", import.meta.url), "utf8")) as unknown;
    expect(file, "shared/rules.schema.json is stale: run `node shared/write-schema.mjs`").toEqual(RULES_JSON_SCHEMA);
  });

  it("describes a partial object with no required keys and no unknown keys", () => {
    const schema = RULES_JSON_SCHEMA as { $schema: string; required?: unknown; additionalProperties: boolean; properties: object };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(["decay", "fit", "funnel", "minFit", "signals", "threshold"]);
  });
});
