/**
 * The slice of better-sqlite3 the run history uses, typed here because the package ships no
 * TypeScript types (and @types/better-sqlite3 is not a dependency). Loading goes through
 * `createRequire` so a missing or mis-built native module becomes one clear TrefoilError.
 */
import { createRequire } from 'node:module';
import { TrefoilError } from '../errors/trefoil-error.ts';

export interface SqliteRunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...parameters: unknown[]): SqliteRunResult;
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in BEGIN/COMMIT (ROLLBACK when it throws). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
  readonly open: boolean;
}

type SqliteConstructor = new (file: string, options?: { timeout?: number }) => SqliteDatabase;

let constructorCache: SqliteConstructor | undefined;

/**
 * Opens (creating if needed) a SQLite database file.
 * @throws TrefoilError TREFOIL_ERR_SERVER_HISTORY_OPEN when better-sqlite3 cannot load or the
 *   file cannot be opened.
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  try {
    constructorCache ??= createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
    // `timeout`: wait up to 5 s for another connection's write lock instead of failing at once.
    return new constructorCache(file, { timeout: 5000 });
  } catch (error) {
    throw new TrefoilError(
      'TREFOIL_ERR_SERVER_HISTORY_OPEN',
      `cannot open the run history database ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { file },
      { cause: error },
    );
  }
}
