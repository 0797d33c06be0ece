/**
 * Scoring rules are data (SPEC §6): a site owner sends a partial JSON object, it is merged over the
 * defaults and validated here, and the engine compiles the result once (compile.ts).
 */
import type { z } from "zod";
import { DEFAULT_RULES } from "./rules-defaults";
import { partialRulesSchema, type PartialRules } from "./rules-schema";

export { DEFAULT_RULES } from "./rules-defaults";
export { RULES_JSON_SCHEMA } from "./rules-schema";

/** Lifecycle stages (SPEC §6): visitor → lead → mql automatically; sql, recycled, customer by sales. */
export type Stage = "visitor" | "lead" | "mql" | "sql" | "recycled" | "customer";
/** Fit grade, A best. */
export type Grade = "A" | "B" | "C" | "D";
/** Content stage of a page: top, middle or bottom of the funnel. */
export type Funnel = "tofu" | "mofu" | "bofu";

/** A numeric prop condition; both bounds inclusive. */
export interface PropRange {
  gte?: number;
  lte?: number;
}

/** Scores events: which ones match (`type`, `when`) and what they are worth, with caps. */
export interface SignalRule {
  /** [a-z0-9_-]{1,40}, unique within signals. */
  id: string;
  /** Human text used in breakdowns. */
  label: string;
  /** Event type it matches. */
  type: string;
  when?: {
    form?: string | string[];
    cta?: string | string[];
    url?: string | string[];
    funnel?: Funnel | Funnel[];
    props?: Record<string, string | number | boolean | PropRange>;
  };
  /** May be negative. */
  points: number;
  /** Award at most once ever. */
  once?: boolean;
  /** Max |points| per UTC day for this rule. */
  maxPerDay?: number;
  /** Max |points| ever for this rule. */
  maxTotal?: number;
  /** Dwell-style: `points` per `every` seconds of props.total; award = units(total) − units(total − seconds). */
  every?: number;
  /** With `every`: max points from one page view. */
  maxPerPage?: number;
}

/**
 * Scores one identify trait. A trait earns the points of its best matching rule (rules on one trait
 * are tiers, not a sum).
 */
export interface FitRule {
  id: string;
  label: string;
  trait: "title" | "industry" | "company" | "country" | "employees";
  /** Case-insensitive whole-word/phrase match, built from literals — no user regex (ReDoS). */
  anyOf?: string[];
  /** Numeric traits, inclusive. */
  min?: number;
  max?: number;
  points: number;
}

/** A complete, validated rule set, as returned by resolveRules and stored per site version. */
export interface Rules {
  threshold: number;
  decay: { halfLifeDays: number };
  minFit: Grade | null;
  signals: SignalRule[];
  fit: { rules: FitRule[]; grades: { A: number; B: number; C: number } };
  funnel: { pattern: string; stage: Funnel }[];
}

/** resolveRules outcome; `path` is "" when the object itself is wrong. */
export type RulesResult = { ok: true; value: Rules } | { ok: false; path: string; message: string };

type Issue = z.core.$ZodIssue;

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

const NOUN: Record<string, string> = { object: "an object", array: "an array", number: "a number", string: "a string", boolean: "a boolean" };

/** zod's defaults read like parser output; site owners get sentences about their field instead. */
function describeIssue(issue: Issue): { path: string; message: string } {
  const path = pathOf(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return { path, message: `must be ${NOUN[issue.expected] ?? issue.expected}` };
    case "unrecognized_keys": {
      const key = issue.keys[0] ?? "";
      return { path: path === "" ? key : `${path}.${key}`, message: "is not a known key" };
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = small ? issue.minimum : issue.maximum;
      const op = small ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
      const plural = Number(bound) === 1 ? "" : "s";
      if (issue.origin === "array") return { path, message: `must hold ${op} ${bound} item${plural}` };
      if (issue.origin === "string") return { path, message: `must be ${op} ${bound} character${plural} long` };
      return { path, message: `must be ${op} ${bound}` };
    }
    case "invalid_value":
      return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` };
    case "invalid_key": {
      const inner = issue.issues[0];
      return { path, message: inner ? inner.message : "is not a valid key" };
    }
    default:
      return { path, message: issue.message };
  }
}

function fail(path: string, message: string): RulesResult {
  return { ok: false, path, message };
}

/** Checks JSON Schema cannot express; returns the first problem, naming its field. */
function checkSemantics(rules: Rules): RulesResult | null {
  const signalIds = new Set<string>();
  for (let i = 0; i < rules.signals.length; i++) {
    const rule = rules.signals[i]!;
    const at = `signals[${i}]`;
    if (signalIds.has(rule.id)) return fail(`${at}.id`, `duplicates the signal id "${rule.id}"; ids must be unique`);
    signalIds.add(rule.id);
    if (rule.maxPerPage !== undefined && rule.every === undefined) {
      return fail(`${at}.maxPerPage`, "only applies together with `every`");
    }
    for (const [key, condition] of Object.entries(rule.when?.props ?? {})) {
      if (typeof condition !== "object") continue;
      if (condition.gte === undefined && condition.lte === undefined) {
        return fail(`${at}.when.props.${key}`, "must give gte, lte or both");
      }
      if (condition.gte !== undefined && condition.lte !== undefined && condition.gte > condition.lte) {
        return fail(`${at}.when.props.${key}`, "has gte greater than lte, so it can never match");
      }
    }
  }
  const fitIds = new Set<string>();
  for (let i = 0; i < rules.fit.rules.length; i++) {
    const rule = rules.fit.rules[i]!;
    const at = `fit.rules[${i}]`;
    if (fitIds.has(rule.id)) return fail(`${at}.id`, `duplicates the fit rule id "${rule.id}"; ids must be unique`);
    fitIds.add(rule.id);
    if (rule.trait === "employees") {
      if (rule.anyOf !== undefined) return fail(`${at}.anyOf`, "does not apply to employees; use min and max");
      if (rule.min === undefined && rule.max === undefined) return fail(at, "needs min, max or both for employees");
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
        return fail(`${at}.min`, "is greater than max, so the rule can never match");
      }
    } else {
      if (rule.anyOf === undefined) return fail(`${at}.anyOf`, `is required for the ${rule.trait} trait`);
      if (rule.min !== undefined || rule.max !== undefined) {
        return fail(`${at}.${rule.min !== undefined ? "min" : "max"}`, `only applies to employees, not ${rule.trait}`);
      }
    }
  }
  const { A, B, C } = rules.fit.grades;
  if (B > A) return fail("fit.grades.B", `must not exceed fit.grades.A (${A})`);
  if (C > B) return fail("fit.grades.C", `must not exceed fit.grades.B (${B})`);
  return null;
}

function merge(partial: PartialRules): Rules {
  const merged: Rules = {
    threshold: partial.threshold ?? DEFAULT_RULES.threshold,
    decay: { halfLifeDays: partial.decay?.halfLifeDays ?? DEFAULT_RULES.decay.halfLifeDays },
    minFit: partial.minFit === undefined ? DEFAULT_RULES.minFit : partial.minFit,
    signals: (partial.signals as SignalRule[] | undefined) ?? DEFAULT_RULES.signals,
    fit: {
      rules: (partial.fit?.rules as FitRule[] | undefined) ?? DEFAULT_RULES.fit.rules,
      grades: {
        A: partial.fit?.grades?.A ?? DEFAULT_RULES.fit.grades.A,
        B: partial.fit?.grades?.B ?? DEFAULT_RULES.fit.grades.B,
        C: partial.fit?.grades?.C ?? DEFAULT_RULES.fit.grades.C,
      },
    },
    funnel: partial.funnel ?? DEFAULT_RULES.funnel,
  };
  // A private deep copy: callers may store or mutate the result without touching the frozen defaults.
  return JSON.parse(JSON.stringify(merged)) as Rules;
}

/**
 * Merges a partial rules object over DEFAULT_RULES key by key (signals/fit.rules/funnel given
 * replace the list), then validates. Error `path` names the bad field ("signals[2].points"), ""
 * for the object itself; `message` says what is wrong with it. Unknown keys are errors, so a
 * typo like "treshold" is reported instead of silently keeping the default.
 */
export function resolveRules(partial: unknown): RulesResult {
  const parsed = partialRulesSchema.safeParse(partial);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const { path, message } = issue ? describeIssue(issue) : { path: "", message: "is not a valid rules object" };
    return fail(path, message);
  }
  const rules = merge(parsed.data);
  return checkSemantics(rules) ?? { ok: true, value: rules };
}
