/**
 * Run history (CloverDX Server "Execution History") in a SQLite database under the server's
 * `dataDir`: one row per run with its graph, trigger, parameters (secure values masked), status,
 * times, failure, tracking and log file. WAL mode, so the HTTP API can read while runs write.
 *
 * The run queue reports every transition as a {@link RunSnapshot}; {@link RunHistory.record}
 * upserts it, so the row is written at ENQUEUED and updated at RUNNING and at the end.
 */
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { TrefoilError } from '../errors/trefoil-error.ts';
import { REDACTED, Redactor } from '../params/redactor.ts';
import { migrateHistory, type HistoryMigration } from './history-migrations.ts';
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './sqlite-database.ts';
import type { RunSnapshot, RunStatus, RunTrigger, TriggerKind } from './run-types.ts';

/** What a secure parameter's value is replaced with wherever it would be recorded (`*****`). */
export const MASKED_VALUE = REDACTED;

/** The history database's file name inside `dataDir`. */
export const HISTORY_FILE_NAME = 'history.sqlite';

/** One run as the history holds it. */
export interface RunRecord {
  readonly runId: string;
  readonly graph: string;
  readonly trigger: RunTrigger;
  /** Secure values are {@link MASKED_VALUE}. */
  readonly parameters: Record<string, unknown>;
  readonly status: RunStatus;
  readonly enqueuedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly failingComponent: string | null;
  readonly failingComponentType: string | null;
  readonly recordNo: number | null;
  readonly message: string | null;
  readonly tracking: unknown;
  readonly logFile: string | null;
}

export interface RunListFilter {
  readonly graph?: string;
  readonly status?: RunStatus | readonly RunStatus[];
  readonly triggerKind?: TriggerKind;
  readonly triggerId?: string;
  /** Runs enqueued at or after this time. */
  readonly since?: Date;
  /** Page size, 1…1000. @default 50 */
  readonly limit?: number;
  /** Rows to skip. @default 0 */
  readonly offset?: number;
}

export interface RunPage {
  /** Newest first. */
  readonly runs: RunRecord[];
  /** Rows matching the filter, over all pages. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** Which finished runs to delete; either or both. Active runs are never deleted. */
export interface RetentionPolicy {
  /** Delete runs that ended more than this many days ago. */
  readonly maxAgeDays?: number;
  /** Keep at most this many runs (the newest). */
  readonly maxRuns?: number;
}

export interface RetentionResult {
  readonly deletedRuns: number;
  readonly deletedLogFiles: number;
}

interface RunRow {
  run_id: string;
  graph: string;
  trigger_kind: TriggerKind;
  trigger_id: string | null;
  parameters: string;
  status: RunStatus;
  enqueued_at: number;
  started_at: number | null;
  finished_at: number | null;
  failing_component: string | null;
  failing_component_type: string | null;
  record_no: number | null;
  message: string | null;
  tracking: string | null;
  log_file: string | null;
}

const ACTIVE_STATUSES_SQL = `('ENQUEUED', 'RUNNING')`;
const NEWEST_FIRST = 'ORDER BY enqueued_at DESC, rowid DESC';
const MAX_PAGE = 1000;

export class RunHistory {
  /** Absolute path of the database file. */
  readonly file: string;
  /** Absolute `dataDir`; only log files inside it are ever deleted by retention. */
  readonly dataDir: string;
  /** The schema version after migrations. */
  readonly schemaVersion: number;
  readonly #db: SqliteDatabase;
  readonly #upsert: SqliteStatement;
  readonly #selectOne: SqliteStatement;
  readonly #markInterrupted: SqliteStatement;
  /** Statements for list filters, compiled once per filter shape. */
  readonly #listStatements = new Map<string, SqliteStatement>();

  private constructor(dataDir: string, file: string, db: SqliteDatabase, schemaVersion: number) {
    this.dataDir = dataDir;
    this.file = file;
    this.#db = db;
    this.schemaVersion = schemaVersion;
    this.#upsert = db.prepare(`
      INSERT INTO runs (run_id, graph, trigger_kind, trigger_id, parameters, status, enqueued_at, started_at, finished_at,
                        failing_component, failing_component_type, record_no, message, tracking, log_file)
      VALUES (@runId, @graph, @triggerKind, @triggerId, @parameters, @status, @enqueuedAt, @startedAt, @finishedAt,
              @failingComponent, @failingComponentType, @recordNo, @message, @tracking, @logFile)
      ON CONFLICT (run_id) DO UPDATE SET
        status = excluded.status,
        started_at = COALESCE(excluded.started_at, runs.started_at),
        finished_at = excluded.finished_at,
        failing_component = excluded.failing_component,
        failing_component_type = excluded.failing_component_type,
        record_no = excluded.record_no,
        message = excluded.message,
        tracking = COALESCE(excluded.tracking, runs.tracking),
        log_file = COALESCE(excluded.log_file, runs.log_file)`);
    this.#selectOne = db.prepare('SELECT * FROM runs WHERE run_id = ?');
    this.#markInterrupted = db.prepare(`
      UPDATE runs SET status = 'UNKNOWN',
        finished_at = COALESCE(finished_at, @now),
        message = COALESCE(message, CASE status
          WHEN 'RUNNING' THEN 'the server stopped while the run was running; its outcome is unknown'
          ELSE 'the server stopped while the run was enqueued; it never started' END)
      WHERE status IN ${ACTIVE_STATUSES_SQL}`);
  }

  /**
   * Opens the history in `dataDir` (created if missing), switches it to WAL mode and applies
   * pending migrations.
   * @throws TrefoilError TREFOIL_ERR_SERVER_HISTORY_OPEN (unwritable directory, better-sqlite3
   *   not loadable, corrupt file) or TREFOIL_ERR_SERVER_HISTORY_VERSION.
   */
  static open(dataDir: string, options: { migrations?: readonly HistoryMigration[] } = {}): RunHistory {
    const directory = resolve(dataDir);
    const file = join(directory, HISTORY_FILE_NAME);
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new TrefoilError(
        'TREFOIL_ERR_SERVER_HISTORY_OPEN',
        `cannot create the server data directory ${directory}: ${error instanceof Error ? error.message : String(error)}`,
        { file: directory },
        { cause: error },
      );
    }
    const db = openSqliteDatabase(file);
    try {
      db.pragma('journal_mode = WAL');
      // NOTE: NORMAL is durable across process crashes in WAL mode (only an OS crash can lose
      // the last transactions), and much faster than FULL for the small writes the queue makes.
      db.pragma('synchronous = NORMAL');
      const version = migrateHistory(db, file, options.migrations);
      return new RunHistory(directory, file, db, version);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Writes a run's current state (insert at ENQUEUED, update afterwards). */
  record(snapshot: RunSnapshot): void {
    const { request, outcome } = snapshot;
    // Defence in depth: the executor should already have redacted its message and tracking.
    const redactor = new Redactor().addAll(secureValues(request.parameters, request.secureParameterNames));
    const message = outcome?.error?.message;
    this.#upsert.run({
      runId: request.runId,
      graph: request.graph,
      triggerKind: request.trigger.kind,
      triggerId: request.trigger.id ?? null,
      parameters: JSON.stringify(maskSecureParameters(request.parameters, request.secureParameterNames)),
      status: snapshot.status,
      enqueuedAt: snapshot.enqueuedAt.getTime(),
      startedAt: snapshot.startedAt?.getTime() ?? null,
      finishedAt: snapshot.finishedAt?.getTime() ?? null,
      failingComponent: outcome?.error?.component ?? null,
      failingComponentType: outcome?.error?.componentType ?? null,
      recordNo: outcome?.error?.recordNo ?? null,
      message: message === undefined ? null : redactor.redact(message),
      tracking: outcome?.tracking === undefined ? null : JSON.stringify(redactor.redactValue(outcome.tracking)),
      logFile: outcome?.logFile ?? null,
    });
  }

  /** One run, or undefined. */
  get(runId: string): RunRecord | undefined {
    const row = this.#selectOne.get(runId) as RunRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Runs matching `filter`, newest first, one page at a time. */
  list(filter: RunListFilter = {}): RunPage {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), MAX_PAGE);
    const offset = Math.max(Math.trunc(filter.offset ?? 0), 0);
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.graph !== undefined) {
      conditions.push('graph = ?');
      values.push(filter.graph);
    }
    if (filter.status !== undefined) {
      const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
      if (statuses.length === 0) return { runs: [], total: 0, limit, offset };
      conditions.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      values.push(...statuses);
    }
    if (filter.triggerKind !== undefined) {
      conditions.push('trigger_kind = ?');
      values.push(filter.triggerKind);
    }
    if (filter.triggerId !== undefined) {
      conditions.push('trigger_id = ?');
      values.push(filter.triggerId);
    }
    if (filter.since !== undefined) {
      conditions.push('enqueued_at >= ?');
      values.push(filter.since.getTime());
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = this.#statement(`SELECT * FROM runs ${where} ${NEWEST_FIRST} LIMIT ? OFFSET ?`).all(...values, limit, offset) as RunRow[];
    const { total } = this.#statement(`SELECT COUNT(*) AS total FROM runs ${where}`).get(...values) as { total: number };
    return { runs: rows.map(toRecord), total, limit, offset };
  }

  /**
   * At server start: runs still ENQUEUED or RUNNING belonged to a server that stopped without
   * finishing them; they become UNKNOWN (CloverDX does the same). Returns how many.
   */
  markInterruptedRunsUnknown(now: Date = new Date()): number {
    return this.#markInterrupted.run({ now: now.getTime() }).changes;
  }

  /**
   * Deletes finished runs older than `maxAgeDays` (by end time) and beyond the newest
   * `maxRuns`, then their log files. Only log files inside `dataDir` are deleted (a run may
   * name a log elsewhere that the user owns).
   */
  async applyRetention(policy: RetentionPolicy, now: Date = new Date()): Promise<RetentionResult> {
    const doomed: Array<{ run_id: string; log_file: string | null }> = [];
    const final = `status NOT IN ${ACTIVE_STATUSES_SQL}`;
    if (policy.maxAgeDays !== undefined) {
      const cutoff = now.getTime() - policy.maxAgeDays * 86_400_000;
      doomed.push(
        ...(this.#statement(`SELECT run_id, log_file FROM runs WHERE ${final} AND COALESCE(finished_at, enqueued_at) < ?`).all(cutoff) as typeof doomed),
      );
    }
    if (policy.maxRuns !== undefined) {
      doomed.push(
        ...(this.#statement(
          `SELECT run_id, log_file FROM runs WHERE ${final} AND run_id IN (SELECT run_id FROM runs ${NEWEST_FIRST} LIMIT -1 OFFSET ?)`,
        ).all(Math.max(0, Math.trunc(policy.maxRuns))) as typeof doomed),
      );
    }
    const unique = new Map(doomed.map((row) => [row.run_id, row.log_file]));
    const remove = this.#statement('DELETE FROM runs WHERE run_id = ?');
    this.#db.transaction(() => {
      for (const runId of unique.keys()) remove.run(runId);
    })();

    let deletedLogFiles = 0;
    const root = this.dataDir + sep;
    for (const logFile of unique.values()) {
      if (logFile === null) continue;
      const absolute = resolve(this.dataDir, logFile);
      if (!absolute.startsWith(root)) continue;
      try {
        await rm(absolute);
        deletedLogFiles++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return { deletedRuns: unique.size, deletedLogFiles };
  }

  /** Closes the database (checkpointing the WAL). The history cannot be used afterwards. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #statement(sql: string): SqliteStatement {
    let statement = this.#listStatements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#listStatements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * A copy of `parameters` with each secure value replaced by {@link MASKED_VALUE}: those named in
 * `secureNames`, and any value still in encrypted form (`enc:v1:…`).
 */
export function maskSecureParameters(parameters: Readonly<Record<string, unknown>>, secureNames: readonly string[]): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    masked[name] = secureNames.includes(name) || (typeof value === 'string' && value.startsWith('enc:v1:')) ? MASKED_VALUE : value;
  }
  return masked;
}

function secureValues(parameters: Readonly<Record<string, unknown>>, secureNames: readonly string[]): string[] {
  const values: string[] = [];
  for (const name of secureNames) {
    const value = parameters[name];
    if (value !== undefined && value !== null) values.push(String(value));
  }
  return values;
}

function toRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    graph: row.graph,
    trigger: row.trigger_id === null ? { kind: row.trigger_kind } : { kind: row.trigger_kind, id: row.trigger_id },
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    status: row.status,
    enqueuedAt: new Date(row.enqueued_at),
    startedAt: row.started_at === null ? null : new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    failingComponent: row.failing_component,
    failingComponentType: row.failing_component_type,
    recordNo: row.record_no,
    message: row.message,
    tracking: row.tracking === null ? null : (JSON.parse(row.tracking) as unknown),
    logFile: row.log_file,
  };
}
