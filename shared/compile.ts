/**
 * Rules compiled into the form the hot path wants: signal rules indexed by event type, conditions
 * pre-lowered and pre-split, caps as plain numbers (Infinity for "none"). Compiled once per Rules
 * object and cached in a WeakMap, so callers should keep passing the same object (the worker's
 * cached site config) rather than re-parsing rules per request.
 */
import { decayRate } from "./decay";
import { compileGlob, type Glob } from "./match";
import type { Funnel, Grade, Rules, SignalRule } from "./rules";

/** Bit per funnel stage, so "is this stage allowed" is one AND. */
export const FUNNEL_BIT: Readonly<Record<Funnel, number>> = { tofu: 1, mofu: 2, bofu: 4 };

/** A prop condition: equality (kind "eq", strings compared lower-cased) or an inclusive range. */
export interface PropCondition {
  key: string;
  kind: "eq" | "range";
  value: string | number | boolean;
  gte: number;
  lte: number;
}

/** One signal rule, flattened; every field always present so V8 sees a single object shape. */
export interface CompiledSignal {
  id: string;
  label: string;
  points: number;
  once: boolean;
  maxPerDay: number;
  maxTotal: number;
  /** Seconds per unit for dwell-style rules; 0 when the rule awards per event. */
  every: number;
  /** Most units one page view can give (from maxPerPage); Infinity when uncapped. */
  maxUnits: number;
  forms: readonly string[] | null;
  ctas: readonly string[] | null;
  urls: readonly Glob[] | null;
  /** OR of FUNNEL_BIT values, 0 when there is no funnel condition. */
  funnels: number;
  props: readonly PropCondition[] | null;
}

export interface CompiledRules {
  rules: Rules;
  signals: readonly CompiledSignal[];
  byType: ReadonlyMap<string, readonly CompiledSignal[]>;
  funnel: readonly { glob: Glob; bit: number }[];
  /** ln 2 / half-life in ms: decay factor over dt ms is exp(-decayRate · dt). */
  decayRate: number;
  threshold: number;
  minFit: Grade | null;
}

function list(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value : [value]).map((v) => v.toLowerCase());
}

function compileSignal(rule: SignalRule): CompiledSignal {
  const when = rule.when ?? {};
  const urls = list(when.url);
  const funnels = when.funnel === undefined ? [] : Array.isArray(when.funnel) ? when.funnel : [when.funnel];
  const props: PropCondition[] = [];
  for (const [key, condition] of Object.entries(when.props ?? {})) {
    if (typeof condition === "object") {
      props.push({ key, kind: "range", value: 0, gte: condition.gte ?? -Infinity, lte: condition.lte ?? Infinity });
    } else {
      const value = typeof condition === "string" ? condition.toLowerCase() : condition;
      props.push({ key, kind: "eq", value, gte: 0, lte: 0 });
    }
  }
  const absPoints = Math.abs(rule.points);
  return {
    id: rule.id,
    label: rule.label,
    points: rule.points,
    once: rule.once === true,
    maxPerDay: rule.maxPerDay ?? Infinity,
    maxTotal: rule.maxTotal ?? Infinity,
    every: rule.every ?? 0,
    maxUnits: rule.maxPerPage === undefined || absPoints === 0 ? Infinity : Math.floor(rule.maxPerPage / absPoints),
    forms: list(when.form),
    ctas: list(when.cta),
    urls: urls && urls.map(compileGlob),
    funnels: funnels.reduce((bits, stage) => bits | FUNNEL_BIT[stage], 0),
    props: props.length > 0 ? props : null,
  };
}

const cache = new WeakMap<Rules, CompiledRules>();

/** Rule ids key plain JSON objects in the score state; these would resolve to Object.prototype. */
const RESERVED_IDS = new Set(["__proto__", "constructor", "prototype"]);

/** Compiles (or returns the cached compilation of) a validated Rules object. */
export function compileRules(rules: Rules): CompiledRules {
  let compiled = cache.get(rules);
  if (compiled) return compiled;
  for (const signal of rules.signals) {
    if (RESERVED_IDS.has(signal.id)) throw new Error(`Signal id "${signal.id}" is reserved; rules must pass resolveRules.`);
  }
  const signals = rules.signals.map(compileSignal);
  const byType = new Map<string, CompiledSignal[]>();
  signals.forEach((signal, i) => {
    const type = rules.signals[i]!.type;
    const bucket = byType.get(type);
    if (bucket) bucket.push(signal);
    else byType.set(type, [signal]);
  });
  compiled = {
    rules,
    signals,
    byType,
    funnel: rules.funnel.map((f) => ({ glob: compileGlob(f.pattern), bit: FUNNEL_BIT[f.stage] })),
    decayRate: decayRate(rules.decay.halfLifeDays),
    threshold: rules.threshold,
    minFit: rules.minFit,
  };
  cache.set(rules, compiled);
  return compiled;
}
