/**
 * The stage machine (SPEC §6): visitor → lead → mql automatically; sql, recycled and customer only
 * by sales. Every transition carries a human reason, because "why is this an MQL?" is the first
 * question a sales team asks.
 */
import type { CompiledRules } from "./compile";
import { compileRules } from "./compile";
import { decayFactor } from "./decay";
import { gradeFit, meetsFit } from "./fit";
import type { Rules, Stage } from "./rules";
import { engagementHundredths, type ScoreState } from "./scoring";

/** Where the visitor is in the lifecycle, and what requalification after a recycle is measured from. */
export interface LifeState {
  stage: Stage;
  /** `now` of the latest entry into mql. */
  qualifiedAt: number | null;
  /** When sales last recycled the visitor; null if never. */
  recycledAt: number | null;
  /**
   * Engagement at `recycledAt`. It decays exactly like the score, so score − decayed baseline is
   * the engagement earned since the recycle: a recycled visitor must re-earn the threshold instead
   * of bouncing straight back to mql on the next page view.
   */
  recycleBaseline: number;
}

/** Everything the Durable Object stores for the engine; JSON-serialisable. */
export interface VisitorState {
  score: ScoreState;
  life: LifeState;
}

/** A recorded stage change; `reason` is for humans ("identified as a@b.com"). */
export interface Transition {
  from: Stage;
  to: Stage;
  at: number;
  reason: string;
}

export interface EngineOptions {
  /** Site setting: may a visitor without an email become an MQL? */
  allowAnonymousMql: boolean;
}

/** The lifecycle of a visitor nobody has seen yet. */
export function newLife(): LifeState {
  return { stage: "visitor", qualifiedAt: null, recycledAt: null, recycleBaseline: 0 };
}

/** Hundredths as a short human number: 5240 → "52.4". */
function points(hundredths: number): string {
  return String(hundredths / 100);
}

/**
 * Moves `life` along the automatic part of the machine at `now`, appending transitions. Returns
 * `life` itself when nothing changes (no allocation on the hot path). Identification comes first,
 * so an anonymous visitor already above the threshold becomes lead and then mql on one event.
 * mql is never left here: neither decay nor a re-score takes a qualification away.
 */
export function advance(
  life: LifeState,
  score: ScoreState,
  cr: CompiledRules,
  now: number,
  opts: EngineOptions,
  transitions: Transition[],
  cause: "event" | "rescore",
): LifeState {
  let next = life;
  const email = score.traits.email;
  const prefix = cause === "rescore" ? "re-scored: " : "";
  if (next.stage === "visitor" && email !== undefined) {
    transitions.push({ from: "visitor", to: "lead", at: now, reason: `${prefix}identified as ${email}` });
    next = { ...next, stage: "lead" };
  }
  const from = next.stage;
  if (from !== "lead" && from !== "recycled" && from !== "visitor") return next;
  if (email === undefined && !opts.allowAnonymousMql) return next;

  let engagement = engagementHundredths(score, cr, now);
  const recycled = from === "recycled" && next.recycledAt !== null;
  if (recycled) {
    engagement -= Math.round(next.recycleBaseline * decayFactor(now - (next.recycledAt ?? now), cr.decayRate) * 100);
  }
  // Compare in hundredths, the unit the score is shown in, so "50.00 ≥ 50" always qualifies.
  if (engagement < Math.ceil(cr.threshold * 100 - 1e-9)) return next;
  const fit = gradeFit(score.traits, cr.rules.fit);
  if (!meetsFit(fit.grade, cr.minFit)) return next;

  const measured = recycled ? "engagement since recycle" : "engagement";
  const fitText = fit.grade === null ? "fit unknown" : `fit ${fit.grade}`;
  const anonymous = email === undefined ? "; anonymous MQLs allowed" : "";
  transitions.push({
    from,
    to: "mql",
    at: now,
    reason: `${prefix}${measured} ${points(engagement)} ≥ threshold ${cr.threshold}; ${fitText}${anonymous}`,
  });
  return { ...next, stage: "mql", qualifiedAt: now };
}

/** Which stages sales may move a visitor from, per target stage. */
const ALLOWED_FROM: Readonly<Record<"sql" | "recycled" | "customer", readonly Stage[]>> = {
  sql: ["lead", "mql", "recycled"],
  recycled: ["lead", "mql", "sql"],
  customer: ["lead", "mql", "sql", "recycled"],
};

/**
 * Sales hand-off: to "sql" from lead|mql|recycled; "recycled" from lead|mql|sql; "customer" from
 * lead|mql|sql|recycled. Same stage → ok with no transition. Otherwise
 * {ok:false, code:"invalid_transition", message}. The transition's reason is the given reason
 * prefixed with "sales: ". Recycling records the engagement baseline at `now` (needs `rules` for
 * decay and the current rule set).
 */
export function setStage(
  state: VisitorState,
  to: "sql" | "recycled" | "customer",
  reason: string,
  rules: Rules,
  now: number,
): { ok: true; state: VisitorState; transitions: Transition[] } | { ok: false; code: "invalid_transition"; message: string } {
  const from = state.life.stage;
  if (from === to) return { ok: true, state, transitions: [] };
  const allowed = ALLOWED_FROM[to];
  if (!allowed.includes(from)) {
    return {
      ok: false,
      code: "invalid_transition",
      message: `A visitor in stage "${from}" cannot be moved to "${to}"; only from ${allowed.map((s) => `"${s}"`).join(", ")}.`,
    };
  }
  let life: LifeState = { ...state.life, stage: to };
  if (to === "recycled") {
    const cr = compileRules(rules);
    life = { ...life, recycledAt: now, recycleBaseline: engagementHundredths(state.score, cr, now) / 100 };
  }
  const text = reason.trim() === "" ? `moved to ${to}` : reason.trim();
  return {
    ok: true,
    state: { score: state.score, life },
    transitions: [{ from, to, at: now, reason: `sales: ${text}` }],
  };
}
