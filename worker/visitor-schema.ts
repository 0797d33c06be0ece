import { DELIVERY_MIGRATION } from "./delivery";
import { JOBS_MIGRATION } from "./jobs";
import type { Migration } from "./db";

/** The visitor object's schema ladder: append steps, never edit a shipped one. */
export const VISITOR_LADDER: readonly Migration[] = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE events (
       id TEXT PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, url TEXT, props TEXT,
       sid TEXT NOT NULL, received INTEGER NOT NULL
     )`,
    "CREATE INDEX events_order ON events (ts, id)",
    `CREATE TABLE ledger (
       seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT, rule_id TEXT NOT NULL,
       rules_version INTEGER NOT NULL, points REAL NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL
     )`,
    `CREATE TABLE transitions (
       seq INTEGER PRIMARY KEY AUTOINCREMENT, from_stage TEXT NOT NULL, to_stage TEXT NOT NULL,
       at INTEGER NOT NULL, reason TEXT NOT NULL
     )`,
    ...JOBS_MIGRATION,
  ],
  [...DELIVERY_MIGRATION],
];

/** Retention (SPEC §6): an event is kept until it is 90 days old or 1,000 newer events exist. */
export const RETENTION = { maxEvents: 1000, maxAgeMs: 90 * 86_400_000, ledgerRows: 5000 } as const;

/** Per-visitor ingest budget: a token bucket of events, refilled continuously. */
export const RATE_LIMIT = { burst: 300, perSecond: 2 } as const;
