/**
 * A durable job queue inside one Durable Object, driven by its single alarm (partywhen's pattern):
 * every scheduled piece of work — reporting a transition to the site, updating the email index,
 * later webhook deliveries — is a row, written in the same transaction as the change that caused
 * it, and the alarm runs whatever is due. A job leaves the table only when its handler succeeds,
 * so a crash or restart never loses work; a failing handler is retried with backoff.
 */
export interface Job {
  seq: number;
  kind: string;
  payload: unknown;
  dueAt: number;
  attempts: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export const JOBS_MIGRATION = [
  `CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   )`,
  "CREATE INDEX jobs_due ON jobs (due_at, seq)",
] as const;

/** Backoff for internal jobs (not webhooks, which follow the SPEC's schedule): 1 s doubling to 1 h. */
export function jobRetryDelay(attempts: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.min(attempts, 12));
}

export class JobQueue {
  constructor(private readonly storage: DurableObjectStorage) {}

  /** Call inside the transaction that makes the job necessary. */
  enqueue(kind: string, payload: unknown, dueAt: number): void {
    this.storage.sql.exec(
      "INSERT INTO jobs (kind, payload, due_at) VALUES (?, ?, ?)",
      kind,
      JSON.stringify(payload),
      dueAt,
    );
  }

  due(now: number, limit = 50): Job[] {
    return this.storage.sql
      .exec<{ seq: number; kind: string; payload: string; due_at: number; attempts: number }>(
        "SELECT seq, kind, payload, due_at, attempts FROM jobs WHERE due_at <= ? ORDER BY due_at, seq LIMIT ?",
        now,
        limit,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, kind: r.kind, payload: JSON.parse(r.payload), dueAt: r.due_at, attempts: r.attempts }));
  }

  nextDue(): number | null {
    const row = this.storage.sql.exec<{ due: number | null }>("SELECT MIN(due_at) AS due FROM jobs").one();
    return row.due ?? null;
  }

  pending(): number {
    return this.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM jobs").one().n;
  }

  /** Arms the object's alarm for the earliest job, never later than an alarm already set earlier. */
  async schedule(now: number): Promise<void> {
    const next = this.nextDue();
    if (next === null) return;
    const current = await this.storage.getAlarm();
    if (current === null || current > next) await this.storage.setAlarm(Math.max(next, now));
  }

  /** Runs due jobs one by one; a failure reschedules that job and the rest still run. */
  async runDue(handlers: Record<string, JobHandler>, now: () => number): Promise<void> {
    for (const job of this.due(now())) {
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job);
        this.storage.sql.exec("DELETE FROM jobs WHERE seq = ?", job.seq);
      } catch (error) {
        this.storage.sql.exec(
          "UPDATE jobs SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE seq = ?",
          now() + jobRetryDelay(job.attempts),
          String(error instanceof Error ? error.message : error).slice(0, 500),
          job.seq,
        );
      }
    }
  }
}
