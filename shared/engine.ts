/**
 * What the visitor's Durable Object calls: one pure function per thing that can happen to a
 * visitor — an event arrives, the rules change, sales moves the lead, someone reads it.
 * `(state, event, rules, now) → state'`, with no clock, storage or network in here.
 */
import { compileRules } from "./compile";
import type { TrackedEvent } from "./events";
import { advance, newLife, type EngineOptions, type Transition, type VisitorState } from "./lifecycle";
import type { Rules } from "./rules";
import { compareKey, foldEvent, foldScore, emptyScore, type LedgerEntry, type ScoreState } from "./scoring";

export { gradeFit } from "./fit";
export { setStage } from "./lifecycle";
export type { EngineOptions, LifeState, Transition, VisitorState } from "./lifecycle";
export { emptyScore, foldScore } from "./scoring";
export type { EventKey, LedgerEntry, RuleAgg, ScoreState } from "./scoring";
export { viewOf } from "./view";
export type { Breakdown, VisitorView } from "./view";

/** A visitor nobody has seen yet: anonymous, no points. */
export function newVisitorState(): VisitorState {
  return { score: emptyScore(), life: newLife() };
}

/** What applyEvent did: applied in order, or asks the caller to rebuild from its log. */
export type ApplyResult =
  | { kind: "applied"; state: VisitorState; ledger: LedgerEntry[]; transitions: Transition[] }
  /** The event sorts before state.score.lastKey: call rescore() with the stored log plus this event. */
  | { kind: "replay" };

const REPLAY: ApplyResult = Object.freeze({ kind: "replay" });

/**
 * (state, event, rules, now) → state. `now` is the server time used for decay at qualification
 * and for transition timestamps; event.ts is already clamped to ≤ now by the caller.
 *
 * In-order events are applied incrementally (O(1), copy-on-write of only the touched aggregates);
 * an out-of-order one asks for a replay so the state stays a fold in key order. An event equal to
 * the last key is the same event delivered twice and is a no-op.
 */
export function applyEvent(
  state: VisitorState,
  event: TrackedEvent,
  rules: Rules,
  now: number,
  opts: EngineOptions,
): ApplyResult {
  const score = state.score;
  const order = compareKey(event.ts, event.id, score.lastKey);
  if (order < 0) return REPLAY;
  if (order === 0) return { kind: "applied", state, ledger: [], transitions: [] };
  const cr = compileRules(rules);
  // Written out rather than spread so every state has the same shape (and V8 the same hidden class).
  const draft: ScoreState = {
    version: 1,
    lastKey: score.lastKey,
    firstTs: score.firstTs,
    rules: score.rules,
    traits: score.traits,
    visits: score.visits,
  };
  const ledger: LedgerEntry[] = [];
  foldEvent(draft, event, cr, ledger, false);
  const transitions: Transition[] = [];
  const life = advance(state.life, draft, cr, now, opts, transitions, "event");
  return { kind: "applied", state: { score: draft, life }, ledger, transitions };
}

/** Totals this small are float noise from summation order, not score changes. */
const EPSILON = 1e-9;

/**
 * Re-scores from base (fold of pruned events) + the stored log (any order, dups ok); ledger holds
 * per-rule deltas (undecayed totals) against `state.score` with reason "rescore" and eventId null;
 * lifecycle re-evaluated at `now` (mql is never lost by decay or rescore).
 */
export function rescore(
  state: VisitorState,
  base: ScoreState,
  events: readonly TrackedEvent[],
  rules: Rules,
  now: number,
  opts: EngineOptions,
): { state: VisitorState; ledger: LedgerEntry[]; transitions: Transition[] } {
  const cr = compileRules(rules);
  const score = foldScore(base, events, rules);
  const ledger: LedgerEntry[] = [];
  const ids = new Set([...Object.keys(score.rules), ...Object.keys(state.score.rules)]);
  for (const ruleId of ids) {
    const delta = (score.rules[ruleId]?.total ?? 0) - (state.score.rules[ruleId]?.total ?? 0);
    if (Math.abs(delta) > EPSILON) ledger.push({ eventId: null, ruleId, points: delta, at: now, reason: "rescore" });
  }
  const transitions: Transition[] = [];
  const life = advance(state.life, score, cr, now, opts, transitions, "rescore");
  return { state: { score, life }, ledger, transitions };
}
