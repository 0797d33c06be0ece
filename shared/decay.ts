/**
 * Exponential decay of engagement (SPEC §6). Values are stored with the timestamp they are
 * referenced to and decayed on read, so adding points is O(1) and no background job ever has to
 * touch a visitor just because time passed.
 */

const MS_PER_DAY = 86_400_000;

/** ln 2 / half-life in ms, so that the factor over dt ms is exp(−rate · dt); fractional days allowed. */
export function decayRate(halfLifeDays: number): number {
  return Math.LN2 / (halfLifeDays * MS_PER_DAY);
}

/**
 * The factor a value shrinks by over `dtMs`. A negative interval (reading "before" the reference,
 * e.g. a skewed caller clock) is treated as zero: decay must never inflate a score.
 */
export function decayFactor(dtMs: number, rate: number): number {
  return dtMs > 0 ? Math.exp(-rate * dtMs) : 1;
}

/** `value` referenced to `at`, as seen at `now`: value · 2^(−(now − at) / half-life). */
export function decayedValue(value: number, at: number, now: number, rate: number): number {
  return value * decayFactor(now - at, rate);
}
