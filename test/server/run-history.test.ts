import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_MIGRATIONS } from '../../engine/server/history-migrations.ts';
import { ManualClock } from '../../engine/server/manual-clock.ts';
import { HISTORY_FILE_NAME, RunHistory } from '../../engine/server/run-history.ts';
import { RunQueue } from '../../engine/server/run-queue.ts';
import type { RunRequest, RunSnapshot, RunStatus, RunTrigger } from '../../engine/server/run-types.ts';
import { FakeExecutor } from './fake-executor.ts';

let root: string;
let dataDir: string;
const open: RunHistory[] = [];

function openHistory(): RunHistory {
  const history = RunHistory.open(dataDir);
  open.push(history);
  return history;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'trefoil-history-'));
  dataDir = join(root, 'data', '.trefoil'); // does not exist yet
});
afterEach(() => {
  for (const history of open.splice(0)) history.close();
  rmSync(root, { recursive: true, force: true });
});

const T0 = Date.parse('2026-03-02T10:00:00.000Z');

function request(runId: string, overrides: Partial<RunRequest> = {}): RunRequest {
  return { runId, graph: '/graphs/sync.yaml', parameters: {}, secureParameterNames: [], trigger: { kind: 'schedule', id: 'sync' }, ...overrides };
}

function snapshot(runId: string, status: RunStatus, at: number, overrides: Partial<RunRequest> = {}, extra: Partial<RunSnapshot> = {}): RunSnapshot {
  const final = !['ENQUEUED', 'RUNNING'].includes(status);
  return {
    request: request(runId, overrides),
    status,
    enqueuedAt: new Date(at),
    ...(status === 'ENQUEUED' ? {} : { startedAt: new Date(at + 10) }),
    ...(final ? { finishedAt: new Date(at + 100), outcome: { status: status as 'FINISHED_OK' } } : {}),
    ...extra,
  };
}

describe('RunHistory', () => {
  it('creates dataDir, uses WAL, and records a run through its transitions', () => {
    const history = openHistory();
    expect(history.file).toBe(join(dataDir, HISTORY_FILE_NAME));
    expect(history.schemaVersion).toBe(HISTORY_MIGRATIONS.at(-1)!.version);
    history.record(snapshot('r1', 'ENQUEUED', T0, { parameters: { LOCAL_DIR: './mirror' } }));
    expect(existsSync(`${history.file}-wal`)).toBe(true);
    history.record(snapshot('r1', 'RUNNING', T0));
    history.record({
      ...snapshot('r1', 'ERROR', T0),
      outcome: {
        status: 'ERROR',
        error: { message: 'amount is not a number', component: 'total', componentType: 'Reformat', recordNo: 3 },
        tracking: { phases: [{ phase: 0, status: 'ERROR' }] },
        logFile: join(dataDir, 'logs', 'r1.log'),
      },
    });
    expect(history.get('r1')).toEqual({
      runId: 'r1',
      graph: '/graphs/sync.yaml',
      trigger: { kind: 'schedule', id: 'sync' },
      parameters: { LOCAL_DIR: './mirror' },
      status: 'ERROR',
      enqueuedAt: new Date(T0),
      startedAt: new Date(T0 + 10),
      finishedAt: new Date(T0 + 100),
      failingComponent: 'total',
      failingComponentType: 'Reformat',
      recordNo: 3,
      message: 'amount is not a number',
      tracking: { phases: [{ phase: 0, status: 'ERROR' }] },
      logFile: join(dataDir, 'logs', 'r1.log'),
    });
    expect(history.get('nope')).toBeUndefined();
  });

  it('survives reopening, and marks runs interrupted by a stop UNKNOWN at restart', () => {
    const first = openHistory();
    first.record(snapshot('done', 'FINISHED_OK', T0));
    first.record(snapshot('running', 'RUNNING', T0 + 1000));
    first.record(snapshot('waiting', 'ENQUEUED', T0 + 2000));
    first.close(); // the server stops (or dies) here

    const second = openHistory();
    expect(second.list().total).toBe(3);
    expect(second.markInterruptedRunsUnknown(new Date(T0 + 5000))).toBe(2);
    expect(second.get('done')!.status).toBe('FINISHED_OK');
    expect(second.get('running')).toMatchObject({ status: 'UNKNOWN', startedAt: new Date(T0 + 1010), finishedAt: new Date(T0 + 5000) });
    expect(second.get('running')!.message).toMatch(/server stopped while the run was running/);
    expect(second.get('waiting')).toMatchObject({ status: 'UNKNOWN', startedAt: null });
    expect(second.get('waiting')!.message).toMatch(/never started/);
    expect(second.markInterruptedRunsUnknown()).toBe(0);
  });

  it('masks secure parameters, and secure values inside messages and tracking', () => {
    const history = openHistory();
    const secret = 'sl.u.AbCdEf-123_token';
    history.record({
      ...snapshot('r1', 'ERROR', T0, {
        parameters: { DROPBOX_TOKEN: secret, LOCAL_DIR: './mirror', STORED: 'enc:v1:AAAA' },
        secureParameterNames: ['DROPBOX_TOKEN'],
      }),
      outcome: {
        status: 'ERROR',
        error: { message: `401 for Bearer ${secret}` },
        tracking: { request: { authorization: `Bearer ${secret}`, url: `https://x/?t=${encodeURIComponent(secret)}` } },
      },
    });
    const record = history.get('r1')!;
    expect(record.parameters).toEqual({ DROPBOX_TOKEN: '*****', LOCAL_DIR: './mirror', STORED: '*****' });
    expect(record.message).toBe('401 for Bearer *****');
    expect(JSON.stringify(record.tracking)).not.toContain('AbCdEf');
  });

  it('lists newest first with filters and paging', () => {
    const history = openHistory();
    const triggers: RunTrigger[] = [{ kind: 'schedule', id: 'sync' }, { kind: 'listener', id: 'outbox' }, { kind: 'api' }];
    const statuses: RunStatus[] = ['FINISHED_OK', 'ERROR', 'ABORTED'];
    for (let index = 0; index < 30; index++) {
      history.record(
        snapshot(`r${String(index).padStart(2, '0')}`, statuses[index % 3]!, T0 + index * 60_000, {
          graph: index % 2 === 0 ? '/graphs/a.yaml' : '/graphs/b.yaml',
          trigger: triggers[index % 3]!,
        }),
      );
    }
    const all = history.list();
    expect(all.total).toBe(30);
    expect(all.limit).toBe(50);
    expect(all.runs.map((run) => run.runId).slice(0, 3)).toEqual(['r29', 'r28', 'r27']);

    expect(history.list({ graph: '/graphs/a.yaml' }).total).toBe(15);
    expect(history.list({ status: 'ERROR' }).runs.every((run) => run.status === 'ERROR')).toBe(true);
    expect(history.list({ status: ['ERROR', 'ABORTED'] }).total).toBe(20);
    expect(history.list({ status: [] }).total).toBe(0);
    expect(history.list({ triggerKind: 'listener', triggerId: 'outbox' }).runs.map((run) => run.trigger)).toEqual(Array(10).fill({ kind: 'listener', id: 'outbox' }));
    expect(history.list({ triggerKind: 'api' }).runs[0]!.trigger).toEqual({ kind: 'api' });
    expect(history.list({ since: new Date(T0 + 25 * 60_000) }).runs.map((run) => run.runId)).toEqual(['r29', 'r28', 'r27', 'r26', 'r25']);

    const page = history.list({ graph: '/graphs/b.yaml', status: 'FINISHED_OK', limit: 2, offset: 1 });
    // b.yaml = odd indices; FINISHED_OK = index % 3 == 0 → 3, 9, 15, 21, 27; newest first, skip 1
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(page.runs.map((run) => run.runId)).toEqual(['r21', 'r15']);
  });

  it('retention deletes old and surplus finished runs with their log files, never active runs or foreign logs', async () => {
    const history = openHistory();
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    const day = 86_400_000;
    const now = T0 + 100 * day;
    const outsideLog = join(root, 'user-owned.log');
    writeFileSync(outsideLog, 'mine');
    const withLog = (runId: string, at: number, status: RunStatus, logFile?: string): RunSnapshot => {
      const base = snapshot(runId, status, at);
      return logFile === undefined ? base : { ...base, outcome: { status: status as 'FINISHED_OK', logFile } };
    };
    for (const runId of ['old1', 'old2', 'mid', 'new1', 'new2']) writeFileSync(join(dataDir, 'logs', `${runId}.log`), runId);
    history.record(withLog('old1', now - 40 * day, 'FINISHED_OK', join(dataDir, 'logs', 'old1.log')));
    history.record(withLog('old2', now - 35 * day, 'ERROR', join(dataDir, 'logs', 'old2.log')));
    history.record(withLog('oldForeign', now - 35 * day, 'FINISHED_OK', outsideLog));
    history.record(snapshot('oldRunning', 'RUNNING', now - 50 * day));
    history.record(withLog('mid', now - 10 * day, 'FINISHED_OK', join(dataDir, 'logs', 'mid.log')));
    history.record(withLog('new1', now - 2 * day, 'FINISHED_OK', join(dataDir, 'logs', 'new1.log')));
    history.record(withLog('new2', now - 1 * day, 'FINISHED_OK', join(dataDir, 'logs', 'new2.log')));

    expect(await history.applyRetention({ maxAgeDays: 30 }, new Date(now))).toEqual({ deletedRuns: 3, deletedLogFiles: 2 });
    expect(existsSync(join(dataDir, 'logs', 'old1.log'))).toBe(false);
    expect(existsSync(outsideLog)).toBe(true);
    expect(history.list().runs.map((run) => run.runId)).toEqual(['new2', 'new1', 'mid', 'oldRunning']);

    expect(await history.applyRetention({ maxRuns: 2 }, new Date(now))).toEqual({ deletedRuns: 1, deletedLogFiles: 1 });
    expect(history.list().runs.map((run) => run.runId)).toEqual(['new2', 'new1', 'oldRunning']);
    expect(existsSync(join(dataDir, 'logs', 'mid.log'))).toBe(false);
    expect(existsSync(join(dataDir, 'logs', 'new1.log'))).toBe(true);
  });

  it('applies only pending migrations, and refuses a database from a newer Trefoil', () => {
    openHistory().close();
    const extended = [...HISTORY_MIGRATIONS, { version: HISTORY_MIGRATIONS.length + 1, name: 'add note', sql: 'ALTER TABLE runs ADD COLUMN note TEXT' }];
    const upgraded = RunHistory.open(dataDir, { migrations: extended });
    expect(upgraded.schemaVersion).toBe(extended.length);
    upgraded.close();
    const again = RunHistory.open(dataDir, { migrations: extended }); // nothing left to apply: no "duplicate column"
    again.close();

    const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
      prepare(sql: string): { all(): unknown[] };
      close(): void;
    };
    const raw = new Database(join(dataDir, HISTORY_FILE_NAME));
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'create runs' },
      { version: 2, name: 'add note' },
    ]);
    raw.close();

    expect(() => RunHistory.open(dataDir)).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_HISTORY_VERSION' }));
  });

  it('reports a data directory that cannot be created', () => {
    writeFileSync(join(root, 'blocker'), '');
    expect(() => RunHistory.open(join(root, 'blocker', 'data'))).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_HISTORY_OPEN' }));
  });

  it('records every transition of runs going through the run queue', async () => {
    const history = openHistory();
    const clock = new ManualClock(T0);
    const executor = new FakeExecutor(clock, () => 500);
    const queue = new RunQueue({ executor, clock, maxConcurrentRuns: 1, onChange: (s) => history.record(s) });
    queue.submit({ graph: '/g/a.yaml', trigger: { kind: 'listener', id: 'outbox' }, parameters: { EVENT_FILE_NAME: 'x.csv' }, runId: 'q1' });
    queue.submit({ graph: '/g/a.yaml', trigger: { kind: 'listener', id: 'outbox' }, runId: 'q2' });
    await clock.advance(0);
    expect([history.get('q1')!.status, history.get('q2')!.status]).toEqual(['RUNNING', 'ENQUEUED']);
    await clock.advance(1000);
    await queue.onIdle();
    expect(history.list({ status: 'FINISHED_OK' }).runs.map((run) => [run.runId, run.startedAt!.getTime() - T0, run.finishedAt!.getTime() - T0])).toEqual([
      ['q2', 500, 1000],
      ['q1', 0, 500],
    ]);
    expect(history.get('q1')!.parameters).toEqual({ EVENT_FILE_NAME: 'x.csv' });
  });
});
