import type { TrackedEvent } from "../shared/events";
import type { LedgerEntry, Transition } from "../shared/engine";
import { RETENTION } from "./visitor-schema";

/** A stored event as the API shows it (the wire format plus the session it came in). */
export interface StoredEvent extends TrackedEvent {
  sid: string;
}

interface EventRow {
  id: string;
  ts: number;
  type: string;
  url: string | null;
  props: string | null;
  sid: string;
  [key: string]: SqlStorageValue;
}

function toEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = { id: row.id, type: row.type, ts: row.ts, sid: row.sid };
  if (row.url !== null) event.url = row.url;
  if (row.props !== null) event.props = JSON.parse(row.props);
  return event;
}

/**
 * The visitor object's row-level storage: typed statements over its SQLite tables, so the object
 * itself reads as the ingest/read protocol and not as SQL.
 */
export class VisitorStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Ids among `ids` already stored: the idempotency check (one bound parameter, any count). */
  knownIds(ids: readonly string[]): Set<string> {
    const rows = this.sql
      .exec<{ id: string }>("SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids))
      .toArray();
    return new Set(rows.map((r) => r.id));
  }

  insertEvent(event: TrackedEvent, sid: string, received: number): void {
    this.sql.exec(
      "INSERT INTO events (id, ts, type, url, props, sid, received) VALUES (?, ?, ?, ?, ?, ?, ?)",
      event.id, event.ts, event.type, event.url ?? null, event.props ? JSON.stringify(event.props) : null, sid, received,
    );
  }

  /** The session of the latest stored event: where a batch without sid continues. */
  latestSid(): string | null {
    const row = this.sql.exec<{ sid: string }>("SELECT sid FROM events ORDER BY ts DESC, id DESC LIMIT 1").toArray()[0];
    return row?.sid ?? null;
  }

  eventCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events").one().n;
  }

  /** Every stored event in scoring order (ts, id): the input of a re-score. */
  allEvents(): StoredEvent[] {
    return this.sql.exec<EventRow>("SELECT id, ts, type, url, props, sid FROM events ORDER BY ts, id").toArray().map(toEvent);
  }

  recentEvents(limit: number): StoredEvent[] {
    return this.sql
      .exec<EventRow>("SELECT id, ts, type, url, props, sid FROM events ORDER BY ts DESC, id DESC LIMIT ?", limit)
      .toArray()
      .map(toEvent);
  }

  /**
   * Removes the events past retention and returns them oldest first, so the caller can fold them
   * into the base score before they are gone. Cheap when nothing is due: one indexed MIN and a count.
   */
  takeExpired(now: number, count: number): StoredEvent[] {
    const cutoff = now - RETENTION.maxAgeMs;
    const oldest = this.sql.exec<{ ts: number | null }>("SELECT MIN(ts) AS ts FROM events").one().ts;
    if (count <= RETENTION.maxEvents && (oldest === null || oldest >= cutoff)) return [];
    const expired = this.sql
      .exec<EventRow>(
        `SELECT id, ts, type, url, props, sid FROM events
         WHERE ts < ? OR id IN (SELECT id FROM events ORDER BY ts DESC, id DESC LIMIT -1 OFFSET ?)
         ORDER BY ts, id`,
        cutoff, RETENTION.maxEvents,
      )
      .toArray();
    this.sql.exec(
      "DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))",
      JSON.stringify(expired.map((e) => e.id)),
    );
    return expired.map(toEvent);
  }

  appendLedger(entries: readonly LedgerEntry[], rulesVersion: number): void {
    for (const e of entries) {
      this.sql.exec(
        "INSERT INTO ledger (event_id, rule_id, rules_version, points, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
        e.eventId, e.ruleId, rulesVersion, e.points, e.at, e.reason,
      );
    }
    if (entries.length) {
      this.sql.exec("DELETE FROM ledger WHERE seq <= (SELECT MAX(seq) FROM ledger) - ?", RETENTION.ledgerRows);
    }
  }

  ledgerPage(limit: number, before: number | null) {
    const rows = this.sql
      .exec<{ seq: number; event_id: string | null; rule_id: string; rules_version: number; points: number; at: number; reason: string }>(
        "SELECT * FROM ledger WHERE (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?",
        before, before, limit + 1,
      )
      .toArray();
    const items = rows.slice(0, limit).map((r) => ({
      seq: r.seq,
      eventId: r.event_id,
      ruleId: r.rule_id,
      rulesVersion: r.rules_version,
      points: r.points,
      at: new Date(r.at).toISOString(),
      reason: r.reason,
    }));
    return { items, next: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
  }

  /** Appends transitions and returns their sequence numbers, which webhook ids are built from. */
  appendTransitions(transitions: readonly Transition[]): number[] {
    return transitions.map(
      (t) =>
        this.sql
          .exec<{ seq: number }>(
            "INSERT INTO transitions (from_stage, to_stage, at, reason) VALUES (?, ?, ?, ?) RETURNING seq",
            t.from, t.to, t.at, t.reason,
          )
          .one().seq,
    );
  }

  transitions() {
    return this.sql
      .exec<{ from_stage: string; to_stage: string; at: number; reason: string }>(
        "SELECT from_stage, to_stage, at, reason FROM transitions ORDER BY seq",
      )
      .toArray()
      .map((r) => ({ from: r.from_stage, to: r.to_stage, at: new Date(r.at).toISOString(), reason: r.reason }));
  }
}
