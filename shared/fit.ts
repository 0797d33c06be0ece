/**
 * Fit: how much a visitor looks like a buyer, from identify traits (SPEC §6), graded A–D.
 *
 * Each trait earns the points of its best matching rule rather than the sum of all matches,
 * because trait rules are written as tiers ("Founder & CEO" is one executive, not two). Text
 * matching is whole-word and longest-phrase-wins: a phrase found only inside a longer matched phrase
 * does not count, so "Vice President" is a VP and never a president. No rule text becomes a regex.
 */
import type { Traits } from "./events";
import { findPhrase, wordText } from "./match";
import type { FitRule, Grade, Rules } from "./rules";

type TextTrait = "title" | "industry" | "company" | "country";

interface CompiledFit {
  text: { trait: TextTrait; rule: FitRule; phrases: string[] }[];
  numeric: FitRule[];
}

const cache = new WeakMap<Rules["fit"], CompiledFit>();

function compileFit(fit: Rules["fit"]): CompiledFit {
  let compiled = cache.get(fit);
  if (compiled) return compiled;
  compiled = { text: [], numeric: [] };
  for (const rule of fit.rules) {
    if (rule.trait === "employees") compiled.numeric.push(rule);
    else compiled.text.push({ trait: rule.trait, rule, phrases: (rule.anyOf ?? []).map(wordText).filter((p) => p !== "") });
  }
  cache.set(fit, compiled);
  return compiled;
}

const TEXT_TRAITS: readonly TextTrait[] = ["title", "industry", "company", "country"];

interface Hit {
  rule: FitRule;
  start: number;
  end: number;
}

/** Best points among the rules with a hit not swallowed by a strictly longer hit; null if none. */
function bestTextPoints(hits: readonly Hit[]): number | null {
  let best: number | null = null;
  for (const hit of hits) {
    const swallowed = hits.some(
      (other) => other.start <= hit.start && other.end >= hit.end && other.end - other.start > hit.end - hit.start,
    );
    if (!swallowed && (best === null || hit.rule.points > best)) best = hit.rule.points;
  }
  return best;
}

/**
 * Grades traits against fit rules. `grade` is null when the visitor has none of the traits fit
 * rules can look at (an email alone says nothing about fit), so a non-null minFit cannot be met by
 * knowing nothing.
 */
export function gradeFit(traits: Traits, fit: Rules["fit"]): { grade: Grade | null; score: number } {
  const known =
    traits.title !== undefined ||
    traits.industry !== undefined ||
    traits.company !== undefined ||
    traits.country !== undefined ||
    traits.employees !== undefined;
  if (!known) return { grade: null, score: 0 };
  const compiled = compileFit(fit);
  let score = 0;
  for (const trait of TEXT_TRAITS) {
    const value = traits[trait];
    if (value === undefined) continue;
    const text = wordText(value);
    const hits: Hit[] = [];
    for (const entry of compiled.text) {
      if (entry.trait !== trait) continue;
      for (const phrase of entry.phrases) {
        for (const hit of findPhrase(text, phrase)) hits.push({ rule: entry.rule, start: hit.start, end: hit.end });
      }
    }
    score += bestTextPoints(hits) ?? 0;
  }
  const employees = traits.employees;
  if (employees !== undefined) {
    let best: number | null = null;
    for (const rule of compiled.numeric) {
      if (rule.min !== undefined && employees < rule.min) continue;
      if (rule.max !== undefined && employees > rule.max) continue;
      if (best === null || rule.points > best) best = rule.points;
    }
    score += best ?? 0;
  }
  const { A, B, C } = fit.grades;
  const grade: Grade = score >= A ? "A" : score >= B ? "B" : score >= C ? "C" : "D";
  return { grade, score };
}

const RANK: Readonly<Record<Grade, number>> = { A: 4, B: 3, C: 2, D: 1 };

/** Whether `grade` meets `minFit` (A best); no minimum always passes, no grade never passes one. */
export function meetsFit(grade: Grade | null, minFit: Grade | null): boolean {
  if (minFit === null) return true;
  return grade !== null && RANK[grade] >= RANK[minFit];
}
