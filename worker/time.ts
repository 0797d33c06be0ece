/** API times are ISO 8601 strings; storage keeps epoch ms. Null stays null (not yet happened). */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
