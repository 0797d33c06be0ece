import { OPAQUE_ID, SITE_ID } from "../../shared/events";
import { ApiError } from "../errors";

/** Path and query parameters, validated once here so every route rejects them the same way. */
export function siteParam(value: string | undefined): string {
  if (!value || !SITE_ID.test(value)) throw new ApiError(400, "invalid_site", "Site ids are 1–64 characters of a-z, 0-9 and '-'.");
  return value;
}

export function vidParam(value: string | undefined): string {
  if (!value || !OPAQUE_ID.test(value)) throw new ApiError(400, "invalid_vid", "Visitor ids are 8–64 characters of A-Z, a-z, 0-9, '_' and '-'.");
  return value;
}

/** A whole number from 1 to `max` in plain digits (`limit`, `days`); `fallback` when absent. */
export function countParam(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new ApiError(400, `invalid_${name}`, `${name} must be a whole number from 1 to ${max}.`);
  return n;
}

export function timeParam(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ApiError(400, `invalid_${name}`, `${name} must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z.`);
  return ms;
}

export async function jsonBody(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON.");
  }
}
