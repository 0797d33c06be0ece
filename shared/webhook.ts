/**
 * Webhooks as pure functions (SPEC §7): the payload, the deterministic id, Standard Webhooks
 * signing, how an answer is classified and when the next attempt is due. The worker's delivery
 * code owns the network and the clock; everything it decides with comes from here, so the
 * schedule and the classification are unit-testable without a receiver.
 */
import { Webhook } from "standardwebhooks";
import type { Traits } from "./events";

export const WEBHOOK_TYPES = ["visitor.qualified", "visitor.stage_changed"] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The SPEC's schedule: delay before attempt n+1 after attempt n; then every 8 h up to 3 days. */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR] as const;
export const RETRY_WINDOW_MS = 72 * HOUR;
export const ATTEMPT_TIMEOUT_MS = 10 * SECOND;
/** Jitter spreads a burst of retries (say, after a receiver outage) by ±20 %. */
export const JITTER = 0.2;
/** A Retry-After longer than this is treated as this, so a hostile header cannot park a delivery forever. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

export type Outcome =
  | { kind: "delivered" }
  | { kind: "retry"; reason: string; retryAfterMs: number | null }
  | { kind: "failed"; reason: string };

/**
 * Classifies one attempt. `status` is null for a network error or the 10 s timeout. 2xx delivers;
 * 408, 429, 5xx and network errors are retried; any other answer (3xx included: we never follow
 * redirects, which could point anywhere) fails at once, as a receiver that refuses will refuse again.
 */
export function classify(status: number | null, retryAfter: string | null, now: number, error?: string): Outcome {
  if (status === null) return { kind: "retry", reason: error ?? "network error", retryAfterMs: null };
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: "retry", reason: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  return { kind: "failed", reason: `HTTP ${status}` };
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * SECOND, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/**
 * Delay after the `attempts`-th attempt (1-based), or null when the delivery should be marked
 * failed: the next attempt would fall outside 3 days from the first. `random` in [0, 1) supplies
 * the jitter; a receiver's Retry-After wins when it asks for longer.
 */
export function nextDelay(attempts: number, sinceFirstMs: number, random: number, retryAfterMs: number | null = null): number | null {
  const base = RETRY_SCHEDULE_MS[Math.min(attempts, RETRY_SCHEDULE_MS.length) - 1] ?? RETRY_SCHEDULE_MS[0];
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random));
  const delay = Math.max(jittered, retryAfterMs ?? 0);
  return sinceFirstMs + delay > RETRY_WINDOW_MS ? null : delay;
}

/**
 * The webhook-id: stable across retries (receivers de-duplicate on it) and unique per transition
 * and endpoint. The transition time is part of it, so a visitor erased and seen again never reuses one.
 */
export function webhookId(vid: string, transitionAt: number, transitionSeq: number, endpointIndex: number, type: WebhookType): string {
  return `msg_${vid}_${transitionAt.toString(36)}_${transitionSeq}_${endpointIndex}${type === "visitor.qualified" ? "q" : "s"}`;
}

export interface WebhookData {
  site: string;
  vid: string;
  stage: string;
  from: string;
  score: number;
  fit: { grade: string | null; score: number };
  traits: Traits;
  breakdown: { rule: string; label: string; count: number; points: number }[];
  qualifiedAt: string | null;
  reason: string;
}

export interface WebhookPayload {
  type: WebhookType;
  timestamp: string;
  data: WebhookData;
}

/** Which event types one transition produces: every stage change, plus `visitor.qualified` on entering mql. */
export function typesFor(to: string): WebhookType[] {
  return to === "mql" ? ["visitor.qualified", "visitor.stage_changed"] : ["visitor.stage_changed"];
}

/** The three Standard Webhooks headers for one attempt; `timestampSec` is the attempt's own time. */
export function signedHeaders(secret: string, id: string, timestampSec: number, body: string): Record<string, string> {
  const signature = new Webhook(secret).sign(id, new Date(timestampSec * SECOND), body);
  return { "webhook-id": id, "webhook-timestamp": String(timestampSec), "webhook-signature": signature };
}
