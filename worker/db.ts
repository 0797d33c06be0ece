/**
 * Schema migrations for a Durable Object's SQLite database.
 *
 * Durable Object SQLite refuses `PRAGMA user_version` (SQLITE_AUTH), so the ladder keeps the same
 * idea in a one-row table: the version is the number of ladder steps applied, and each step runs
 * with its version bump in one transaction, so a crash mid-migration leaves the old schema intact.
 */
export type Migration = readonly string[];

export function migrate(storage: DurableObjectStorage, ladder: readonly Migration[]): number {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec("INSERT INTO schema_version (version) VALUES (0)");
  while (version < ladder.length) {
    const step = ladder[version]!;
    storage.transactionSync(() => {
      for (const statement of step) sql.exec(statement);
      sql.exec("UPDATE schema_version SET version = ?", version + 1);
    });
    version += 1;
  }
  return version;
}

/** Reads one JSON value from a key/value `meta` table; undefined when absent. */
export function readMeta<T>(sql: SqlStorage, key: string): T | undefined {
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeMeta(sql: SqlStorage, key: string, value: unknown): void {
  sql.exec(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    key,
    JSON.stringify(value),
  );
}
