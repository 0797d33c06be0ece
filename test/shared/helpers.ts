import type { Props, TrackedEvent } from "../../shared/events";
import { applyEvent, newVisitorState, type EngineOptions, type Transition, type VisitorState } from "../../shared/engine";
import { resolveRules, type Rules } from "../../shared/rules";

/** Monday 2025-01-06 09:00 UTC: a fixed origin so day boundaries in tests are predictable. */
export const T0 = Date.UTC(2025, 0, 6, 9);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

let counter = 0;

/** An event with a fresh valid id unless one is given. */
export function ev(type: string, ts: number, props?: Props, url?: string, id?: string): TrackedEvent {
  const event: TrackedEvent = { id: id ?? `evt_${(counter++).toString().padStart(8, "0")}`, type, ts };
  if (url !== undefined) event.url = url;
  if (props !== undefined) event.props = props;
  return event;
}

export const page = (ts: number, path: string, props?: Props) => ev("page_view", ts, props, `https://www.example.com${path}`);

export const ANON: EngineOptions = { allowAnonymousMql: false };

/** Applies events in order (they must be in key order) and collects ledger and transitions. */
export function run(
  events: readonly TrackedEvent[],
  rules: Rules,
  opts: EngineOptions = ANON,
  start: VisitorState = newVisitorState(),
  nowOf: (e: TrackedEvent) => number = (e) => e.ts,
): { state: VisitorState; transitions: Transition[]; ledger: { ruleId: string; points: number; eventId: string | null }[] } {
  let state = start;
  const transitions: Transition[] = [];
  const ledger: { ruleId: string; points: number; eventId: string | null }[] = [];
  for (const event of events) {
    const result = applyEvent(state, event, rules, nowOf(event), opts);
    if (result.kind !== "applied") throw new Error(`unexpected replay for ${event.id}`);
    state = result.state;
    transitions.push(...result.transitions);
    ledger.push(...result.ledger.map((l) => ({ ruleId: l.ruleId, points: l.points, eventId: l.eventId })));
  }
  return { state, transitions, ledger };
}

/** Rules with defaults except the given keys; throws on invalid input so tests stay short. */
export function resolveOrThrow(partial: unknown): Rules {
  const result = resolveRules(partial);
  if (!result.ok) throw new Error(`${result.path}: ${result.message}`);
  return result.value;
}
