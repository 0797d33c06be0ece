/**
 * What the API shows about a visitor: stage, decayed score, fit, and a breakdown that explains the
 * score exactly — each line rounded to hundredths and the score their exact sum, so a reader
 * adding up the breakdown always gets the score.
 */
import { compileRules } from "./compile";
import { decayFactor } from "./decay";
import type { Traits } from "./events";
import { gradeFit } from "./fit";
import type { VisitorState } from "./lifecycle";
import type { Grade, Rules, Stage } from "./rules";

/** One line of "why this score": a rule, how often it fired, its decayed points now. */
export interface Breakdown {
  rule: string;
  label: string;
  count: number;
  points: number;
}

/** A visitor as the backend API and webhooks show it (SPEC §5). */
export interface VisitorView {
  stage: Stage;
  score: number;
  fit: { grade: Grade | null; score: number };
  identified: boolean;
  traits: Traits;
  qualifiedAt: number | null;
  breakdown: Breakdown[];
}

/**
 * Decay applied at `now`. breakdown points rounded to 2 decimals and score = their exact sum
 * (computed in integer hundredths) so breakdown ALWAYS sums to score; zero-count rules omitted;
 * sorted by |points| desc (then rule id, for a stable order). fit.grade null when no traits.
 * Aggregates of rules no longer in `rules` are left out, matching what qualification counts.
 */
export function viewOf(state: VisitorState, rules: Rules, now: number): VisitorView {
  const cr = compileRules(rules);
  const breakdown: Breakdown[] = [];
  let hundredths = 0;
  for (const signal of cr.signals) {
    const agg = state.score.rules[signal.id];
    if (agg === undefined || agg.count === 0) continue;
    // Same rounding as engagementHundredths, so the shown score is the one qualification used.
    const h = Math.round(agg.value * decayFactor(now - agg.at, cr.decayRate) * 100) + 0;
    hundredths += h;
    breakdown.push({ rule: signal.id, label: signal.label, count: agg.count, points: h / 100 });
  }
  breakdown.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const traits = state.score.traits;
  return {
    stage: state.life.stage,
    score: hundredths / 100,
    fit: gradeFit(traits, rules.fit),
    identified: traits.email !== undefined,
    traits: { ...traits },
    qualifiedAt: state.life.qualifiedAt,
    breakdown,
  };
}
