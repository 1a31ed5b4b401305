/**
 * Versioned schema migrations of the run history database. Each migration runs once, in its
 * own transaction, and is recorded in `schema_migrations`. Never edit a released migration:
 * append a new version instead.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

export interface HistoryMigration {
  /** 1, 2, 3… with no gaps. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const HISTORY_MIGRATIONS: readonly HistoryMigration[] = [
  {
    version: 1,
    name: 'create runs',
    sql: `
      CREATE TABLE runs (
        run_id                 TEXT PRIMARY KEY,
        graph                  TEXT NOT NULL,
        trigger_kind           TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'listener', 'api', 'manual')),
        trigger_id             TEXT,
        parameters             TEXT NOT NULL,    -- JSON object, secure values masked
        status                 TEXT NOT NULL CHECK (status IN ('ENQUEUED', 'RUNNING', 'FINISHED_OK', 'ERROR', 'ABORTED', 'UNKNOWN')),
        enqueued_at            INTEGER NOT NULL, -- epoch milliseconds
        started_at             INTEGER,
        finished_at            INTEGER,
        failing_component      TEXT,
        failing_component_type TEXT,
        record_no              INTEGER,
        message                TEXT,
        tracking               TEXT,             -- JSON
        log_file               TEXT
      );
      CREATE INDEX runs_by_time    ON runs (enqueued_at DESC);
      CREATE INDEX runs_by_graph   ON runs (graph, enqueued_at DESC);
      CREATE INDEX runs_by_status  ON runs (status, enqueued_at DESC);
      CREATE INDEX runs_by_trigger ON runs (trigger_kind, trigger_id, enqueued_at DESC);
    `,
  },
];

/**
 * Brings the database up to the newest migration in `migrations` and returns its version.
 * @throws TrefoilError TREFOIL_ERR_SERVER_HISTORY_VERSION when the database already has a
 *   version this Trefoil does not know (written by a newer release).
 */
export function migrateHistory(db: SqliteDatabase, file: string, migrations: readonly HistoryMigration[] = HISTORY_MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as { version: number }).version;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new TrefoilError(
      'TREFOIL_ERR_SERVER_HISTORY_VERSION',
      `run history ${file} has schema version ${current}, newer than this Trefoil's ${newest}`,
      { file },
    );
  }
  const recordMigration = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      recordMigration.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
  return newest;
}
