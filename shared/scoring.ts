/**
 * The score state: a pure fold over a visitor's events in key order (ts, then id), so the result
 * does not depend on arrival order or on duplicates, and a Durable Object can rebuild it from its
 * stored log at any time (rules change, late event).
 *
 * Everything is O(1) in the number of events: per rule we keep a count, the undecayed total, the
 * decayed value with the timestamp it is referenced to, and the current UTC day's points — enough
 * for every cap and for decay-on-read, never a list of past events.
 */
import { compileRules, FUNNEL_BIT, type CompiledRules, type CompiledSignal, type PropCondition } from "./compile";
import { decayFactor } from "./decay";
import { toTraits, type Props, type TrackedEvent, type Traits } from "./events";
import { anyGlob, globMatch, urlPath } from "./match";
import type { Rules } from "./rules";

const MS_PER_DAY = 86_400_000;

/** The sort key of an event; ties on ts are broken by id so the order is total. */
export interface EventKey {
  ts: number;
  id: string;
}

/** Per-rule aggregate. Replaced, never mutated, so states sharing it stay valid (copy-on-write). */
export interface RuleAgg {
  /** Events that awarded non-zero points. */
  count: number;
  /** Undecayed sum of awarded points (the ledger's currency). */
  total: number;
  /** Sum of |points| ever, for maxTotal. */
  absTotal: number;
  /** Decayed value as of `at`; value(now) = value · 2^(−(now − at) / half-life). */
  value: number;
  /** Timestamp `value` is referenced to: the latest ts this rule awarded at. */
  at: number;
  /** UTC day number (ts / 86 400 000) of the day bucket. */
  day: number;
  /** |points| awarded on `day`, for maxPerDay. */
  dayPoints: number;
}

/** JSON-serialisable and versioned, so a stored state can be migrated or rebuilt when it changes. */
export interface ScoreState {
  version: 1;
  /** The greatest key folded in; an event sorting at or before it is a late arrival. */
  lastKey: EventKey | null;
  firstTs: number | null;
  rules: Record<string, RuleAgg>;
  /** Merged from identify events in key order, later values winning per trait. */
  traits: Traits;
  /** Highest visit number seen on session_start. */
  visits: number;
}

/** One score change: which event (null for a re-score) moved which rule by how many undecayed points. */
export interface LedgerEntry {
  eventId: string | null;
  ruleId: string;
  points: number;
  at: number;
  reason: "event" | "rescore";
}

/** The score of no events; also the base before anything was pruned. */
export function emptyScore(): ScoreState {
  return { version: 1, lastKey: null, firstTs: null, rules: {}, traits: {}, visits: 0 };
}

/** Orders (ts, id) against a key: negative before, 0 equal, positive after; null sorts first. */
export function compareKey(ts: number, id: string, key: EventKey | null): number {
  if (key === null) return 1;
  if (ts !== key.ts) return ts - key.ts;
  return id < key.id ? -1 : id > key.id ? 1 : 0;
}

/** Scoring order: by ts, ties broken by id, so every sort of the same events agrees. */
export function byKey(a: TrackedEvent, b: TrackedEvent): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A number from a prop: numbers as-is, numeric strings parsed; NaN otherwise (fails every range). */
function numeric(value: string | number | boolean | undefined): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return NaN;
}

function inList(list: readonly string[], value: string | number | boolean | undefined): boolean {
  return typeof value === "string" && list.includes(value.toLowerCase());
}

function propsMatch(conditions: readonly PropCondition[], props: Props | undefined): boolean {
  if (props === undefined) return false;
  for (let k = 0; k < conditions.length; k++) {
    const condition = conditions[k]!;
    const value = props[condition.key];
    if (condition.kind === "range") {
      const n = numeric(value);
      if (!(n >= condition.gte && n <= condition.lte)) return false;
    } else if (typeof condition.value === "string") {
      if (typeof value !== "string" || value.toLowerCase() !== condition.value) return false;
    } else if (value !== condition.value) {
      return false;
    }
  }
  return true;
}

/** The page's declared stage (the snippet's mql:funnel meta), as a FUNNEL_BIT; 0 when absent/invalid. */
function declaredFunnel(props: Props | undefined): number {
  const stage = props?.funnel;
  if (typeof stage !== "string") return 0;
  const lowered = stage.toLowerCase();
  return lowered === "tofu" || lowered === "mofu" || lowered === "bofu" ? FUNNEL_BIT[lowered] : 0;
}

/*
 * One-entry memos: consecutive events usually come from the same page (page_view, then dwell,
 * clicks), so re-deriving its path and funnel stage is the commonest waste on the hot path. They
 * are caches of pure functions, so they cannot change any result.
 */
let memoUrl = "";
let memoPath = "/";
let memoFunnelRules: CompiledRules | null = null;
let memoFunnelPath = "";
let memoFunnelBit = 0;

function pathOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  if (url !== memoUrl) {
    memoPath = urlPath(url);
    memoUrl = url;
  }
  return memoPath;
}

/** First matching funnel URL rule, else tofu: content nobody classified is top-of-funnel. */
function urlFunnel(path: string | null, cr: CompiledRules): number {
  if (path === null) return FUNNEL_BIT.tofu;
  if (cr === memoFunnelRules && path === memoFunnelPath) return memoFunnelBit;
  let bit = FUNNEL_BIT.tofu;
  for (let k = 0; k < cr.funnel.length; k++) {
    const entry = cr.funnel[k]!;
    if (globMatch(entry.glob, path)) {
      bit = entry.bit;
      break;
    }
  }
  memoFunnelRules = cr;
  memoFunnelPath = path;
  memoFunnelBit = bit;
  return bit;
}

/**
 * Dwell-style award, stateless per event: units(total) − units(total − seconds), units capped by
 * maxPerPage. Because `total` is cumulative on the page, a lost or duplicated dwell event can
 * never push a page past its cap. Without a usable `total`, the event's own seconds stand in.
 */
function unitPoints(rule: CompiledSignal, props: Props | undefined): number {
  if (props === undefined) return 0;
  const seconds = numeric(props.seconds);
  if (!(seconds > 0)) return 0;
  let total = numeric(props.total);
  if (!(total >= seconds)) total = seconds;
  const hi = Math.min(Math.floor(total / rule.every), rule.maxUnits);
  const lo = Math.min(Math.floor((total - seconds) / rule.every), rule.maxUnits);
  return (hi - lo) * rule.points;
}

/**
 * Folds one event into `draft` in place: the caller owns `draft` (a shallow copy) but not, unless
 * `rulesOwned`, its `rules` map, which is copied on the first award. Aggregates and traits are
 * replaced, never mutated. Returns whether `draft.rules` is now owned. Pushes ledger entries when
 * `ledger` is given. The caller filters exact duplicates of `draft.lastKey`.
 *
 * An event sorting before `draft.lastKey` is applied as a late addition: its points decay from
 * its own ts, its traits only fill gaps, and maxPerDay is checked against the latest day bucket
 * only (earlier days are not kept) — the documented imprecision for events older than the log.
 */
export function foldEvent(
  draft: ScoreState,
  ev: TrackedEvent,
  cr: CompiledRules,
  ledger: LedgerEntry[] | null,
  rulesOwned: boolean,
): boolean {
  const ts = ev.ts;
  const late = compareKey(ts, ev.id, draft.lastKey) < 0;
  if (!late) draft.lastKey = { ts, id: ev.id };
  if (draft.firstTs === null || ts < draft.firstTs) draft.firstTs = ts;
  const props = ev.props;
  if (ev.type === "identify") {
    const incoming = toTraits(props);
    draft.traits = late ? { ...incoming, ...draft.traits } : { ...draft.traits, ...incoming };
  } else if (ev.type === "session_start") {
    const visit = props?.visit;
    if (typeof visit === "number" && visit > draft.visits) draft.visits = visit;
  }
  const candidates = cr.byType.get(ev.type);
  if (candidates === undefined) return rulesOwned;

  // Path and funnel stage are derived lazily, at most once per event: most rules need neither.
  let path: string | null | undefined;
  let funnel = 0;
  const day = Math.floor(ts / MS_PER_DAY);
  for (let r = 0; r < candidates.length; r++) {
    const rule = candidates[r]!;
    if (rule.forms !== null && !inList(rule.forms, props?.kind) && !inList(rule.forms, props?.form)) continue;
    if (rule.ctas !== null && !inList(rule.ctas, props?.name)) continue;
    if (rule.props !== null && !propsMatch(rule.props, props)) continue;
    if (rule.urls !== null) {
      if (path === undefined) path = pathOf(ev.url);
      if (path === null || !anyGlob(rule.urls, path)) continue;
    }
    if (rule.funnels !== 0) {
      if (funnel === 0) {
        funnel = declaredFunnel(props);
        if (funnel === 0) {
          if (path === undefined) path = pathOf(ev.url);
          funnel = urlFunnel(path, cr);
        }
      }
      if ((rule.funnels & funnel) === 0) continue;
    }
    const raw = rule.every > 0 ? unitPoints(rule, props) : rule.points;
    if (raw === 0) continue;

    const prev = draft.rules[rule.id];
    let abs = raw < 0 ? -raw : raw;
    if (prev !== undefined && rule.once && prev.count > 0) continue;
    const absTotal = prev === undefined ? 0 : prev.absTotal;
    if (absTotal + abs > rule.maxTotal) abs = rule.maxTotal - absTotal;
    const dayUsed = prev !== undefined && prev.day === day ? prev.dayPoints : 0;
    if (dayUsed + abs > rule.maxPerDay) abs = rule.maxPerDay - dayUsed;
    if (!(abs > 0)) continue;
    const points = raw < 0 ? -abs : abs;

    let next: RuleAgg;
    if (prev === undefined) {
      next = { count: 1, total: points, absTotal: abs, value: points, at: ts, day, dayPoints: abs };
    } else {
      const forward = ts >= prev.at;
      next = {
        count: prev.count + 1,
        total: prev.total + points,
        absTotal: prev.absTotal + abs,
        value: forward
          ? prev.value * decayFactor(ts - prev.at, cr.decayRate) + points
          : prev.value + points * decayFactor(prev.at - ts, cr.decayRate),
        at: forward ? ts : prev.at,
        day: day >= prev.day ? day : prev.day,
        dayPoints: day > prev.day ? abs : day === prev.day ? prev.dayPoints + abs : prev.dayPoints,
      };
    }
    if (!rulesOwned) {
      draft.rules = { ...draft.rules };
      rulesOwned = true;
    }
    draft.rules[rule.id] = next;
    if (ledger !== null) ledger.push({ eventId: ev.id, ruleId: rule.id, points, at: ts, reason: "event" });
  }
  return rulesOwned;
}

/**
 * Folds events (any order, duplicates ok: sorted by key and deduped by id first) onto `score` —
 * used for the pruned-events base and for re-scoring. Events sorting at or before score.lastKey
 * are applied as late additions (documented imprecision only possible for events older than the
 * pruned log; see {@link foldEvent}). An event whose key equals score.lastKey is taken to be that
 * same event and skipped.
 */
export function foldScore(score: ScoreState, events: readonly TrackedEvent[], rules: Rules): ScoreState {
  const cr = compileRules(rules);
  const sorted = events.slice().sort(byKey);
  const draft: ScoreState = { ...score, rules: { ...score.rules } };
  const seen = new Set<string>();
  for (const ev of sorted) {
    if (seen.has(ev.id)) continue;
    seen.add(ev.id);
    if (compareKey(ev.ts, ev.id, draft.lastKey) === 0) continue;
    foldEvent(draft, ev, cr, null, true);
  }
  return draft;
}

/**
 * Engagement at `now` in integer hundredths: the sum of each current rule's decayed value rounded
 * to hundredths. Both the breakdown and qualification use exactly this number, so the score a
 * visitor is shown and the score they qualified on can never disagree. Aggregates of rules no
 * longer in `rules` are ignored: removing a rule removes its points.
 */
export function engagementHundredths(score: ScoreState, cr: CompiledRules, now: number): number {
  let sum = 0;
  const signals = cr.signals;
  for (let k = 0; k < signals.length; k++) {
    const agg = score.rules[signals[k]!.id];
    if (agg === undefined || agg.count === 0) continue;
    sum += Math.round(agg.value * decayFactor(now - agg.at, cr.decayRate) * 100);
  }
  return sum + 0; // folds −0 into 0
}
