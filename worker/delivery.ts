import {
  ATTEMPT_TIMEOUT_MS, classify, nextDelay, signedHeaders, typesFor, webhookId,
  type WebhookData, type WebhookPayload,
} from "../shared/webhook";
import type { JobQueue } from "./jobs";
import type { WebhookEndpoint } from "./site-config";
import { iso } from "./time";

/** Schema step for the visitor object's outbox of webhook deliveries and their attempt log. */
export const DELIVERY_MIGRATION = [
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY, type TEXT NOT NULL, endpoint INTEGER NOT NULL, url TEXT NOT NULL,
     secret TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL, first_attempt_at INTEGER, next_at INTEGER, updated_at INTEGER NOT NULL,
     last_status INTEGER, last_error TEXT
   )`,
  `CREATE TABLE attempts (
     delivery_id TEXT NOT NULL, n INTEGER NOT NULL, at INTEGER NOT NULL, status INTEGER,
     latency_ms INTEGER NOT NULL, error TEXT, PRIMARY KEY (delivery_id, n)
   )`,
] as const;

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** A delivery as the API and the site-wide log show it: everything but the secret and the body. */
export interface DeliverySummary {
  id: string;
  vid: string;
  type: string;
  url: string;
  status: DeliveryStatus;
  attempts: { n: number; at: string; status: number | null; latencyMs: number; error: string | null }[];
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string | null;
}

interface DeliveryRow {
  id: string; type: string; endpoint: number; url: string; secret: string; payload: string; status: DeliveryStatus;
  attempts: number; created_at: number; first_attempt_at: number | null; next_at: number | null; updated_at: number;
  last_status: number | null; last_error: string | null;
  [key: string]: SqlStorageValue;
}


/**
 * The webhook outbox of one visitor. Rows are written in the transaction that records the
 * transition (so a qualification is never reported without its delivery, nor the reverse); the
 * object's alarm runs `attempt` through the job queue, and each attempt's outcome and the next
 * attempt are written in one transaction too. Retries keep the same webhook-id.
 */
export class Deliveries {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly jobs: JobQueue,
  ) {}

  /** Queues one delivery per subscribed endpoint and event type; call inside the transition's transaction. */
  enqueue(endpoints: readonly WebhookEndpoint[], transitionSeq: number, data: WebhookData, at: number, now: number): void {
    endpoints.forEach((endpoint, index) => {
      for (const type of typesFor(data.stage)) {
        if (!endpoint.events.includes(type)) continue;
        const id = webhookId(data.vid, at, transitionSeq, index, type);
        const payload: WebhookPayload = { type, timestamp: new Date(at).toISOString(), data };
        this.storage.sql.exec(
          `INSERT OR IGNORE INTO deliveries (id, type, endpoint, url, secret, payload, status, created_at, next_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
          id, type, index, endpoint.url, endpoint.secret, JSON.stringify(payload), now, now, now,
        );
        this.jobs.enqueue("webhook", { id }, now);
        this.jobs.enqueue("site_delivery", this.summary(id, data.vid), now);
      }
    });
  }

  /** One attempt: POST, classify, record, and schedule the next attempt or settle the delivery. */
  async attempt(id: string, vid: string): Promise<void> {
    const row = this.row(id);
    if (!row || row.status !== "pending") return;
    const started = Date.now();
    let status: number | null = null;
    let retryAfter: string | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(row.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "mql-edge-webhooks/1",
          ...signedHeaders(row.secret, id, Math.floor(started / 1000), row.payload),
        },
        body: row.payload,
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      await res.body?.cancel();
    } catch (e) {
      error = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? "timed out after 10 s" : `network error: ${e instanceof Error ? e.message : String(e)}`;
    }
    const now = Date.now();
    const outcome = classify(status, retryAfter, now, error);
    this.storage.transactionSync(() => {
      const n = row.attempts + 1;
      const firstAt = row.first_attempt_at ?? started;
      this.storage.sql.exec(
        "INSERT OR REPLACE INTO attempts (delivery_id, n, at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)",
        id, n, started, status, now - started, outcome.kind === "delivered" ? null : outcome.reason,
      );
      let next: number | null = null;
      let settled: DeliveryStatus = "pending";
      if (outcome.kind === "delivered") settled = "delivered";
      else if (outcome.kind === "failed") settled = "failed";
      else {
        const delay = nextDelay(n, now - firstAt, Math.random(), outcome.retryAfterMs);
        if (delay === null) settled = "failed";
        else next = now + delay;
      }
      this.storage.sql.exec(
        `UPDATE deliveries SET status = ?, attempts = ?, first_attempt_at = ?, next_at = ?, updated_at = ?,
           last_status = ?, last_error = ? WHERE id = ?`,
        settled, n, firstAt, next, now, status, outcome.kind === "delivered" ? null : outcome.reason, id,
      );
      if (next !== null) this.jobs.enqueue("webhook", { id }, next);
      this.jobs.enqueue("site_delivery", this.summary(id, vid), now);
    });
  }

  /** Replay: any delivery goes back to pending and leaves now, with its original webhook-id. */
  retry(id: string, vid: string): DeliverySummary | null {
    if (!this.row(id)) return null;
    const now = Date.now();
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        "UPDATE deliveries SET status = 'pending', first_attempt_at = NULL, next_at = ?, updated_at = ? WHERE id = ?",
        now, now, id,
      );
      this.jobs.enqueue("webhook", { id }, now);
      this.jobs.enqueue("site_delivery", this.summary(id, vid), now);
    });
    return this.summary(id, vid);
  }

  list(vid: string): DeliverySummary[] {
    return this.storage.sql
      .exec<{ id: string }>("SELECT id FROM deliveries ORDER BY created_at DESC, id LIMIT 50")
      .toArray()
      .map((r) => this.summary(r.id, vid));
  }

  summary(id: string, vid: string): DeliverySummary {
    const row = this.row(id)!;
    const attempts = this.storage.sql
      .exec<{ n: number; at: number; status: number | null; latency_ms: number; error: string | null }>(
        "SELECT n, at, status, latency_ms, error FROM attempts WHERE delivery_id = ? ORDER BY n",
        id,
      )
      .toArray()
      .map((a) => ({ n: a.n, at: iso(a.at)!, status: a.status, latencyMs: a.latency_ms, error: a.error }));
    return {
      id, vid, type: row.type, url: row.url, status: row.status, attempts,
      createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!,
      nextAttemptAt: row.status === "pending" ? iso(row.next_at) : null,
    };
  }

  private row(id: string): DeliveryRow | undefined {
    return this.storage.sql.exec<DeliveryRow>("SELECT * FROM deliveries WHERE id = ?", id).toArray()[0];
  }
}
