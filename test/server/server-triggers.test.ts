/**
 * Schedules and file listeners driving real runs (child processes) into the run history.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingSnapshot } from '../../engine/runtime/tracking.ts';
import { ManualClock } from '../../engine/server/manual-clock.ts';
import type { RunRecord } from '../../engine/server/run-history.ts';
import { startServer, TestProject, waitFor, type TestServer } from './server-harness.ts';

let project: TestProject;
let running: TestServer | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
  project?.cleanup();
});

function runsOf(server: TestServer, triggerId: string): RunRecord[] {
  return server.server.history.list({ triggerId }).runs.reverse(); // oldest first
}

describe('server triggers', { timeout: 40_000 }, () => {
  it('a schedule (every: 1s) fires and its run lands in the history FINISHED_OK, with tracking and the schedule parameters', async () => {
    project = new TestProject();
    project.graph('tick', 'stamp: { type: TestWriteJson, file: "out/${RUN_ID}.json", value: { id: "${EVENT_SCHEDULE_ID}", time: "${EVENT_SCHEDULE_TIME}", label: "${LABEL}" } }');
    const startedAt = Date.now();
    running = await startServer(
      project,
      `
server: { port: 0, dataDir: data }
schedules:
  - { id: tick, graph: graphs/tick.yaml, every: 1s, parameters: { LABEL: "from \${EVENT_SCHEDULE_ID}" } }
`,
    );
    const run = await waitFor('a finished scheduled run', () => runsOf(running!, 'tick').find((record) => record.status === 'FINISHED_OK'));

    expect(run.trigger).toEqual({ kind: 'schedule', id: 'tick' });
    expect(run.graph).toBe(join(project.dir, 'graphs/tick.yaml'));
    const scheduledTime = Date.parse(run.parameters.EVENT_SCHEDULE_TIME as string);
    expect(scheduledTime - startedAt).toBeGreaterThanOrEqual(900); // the first fire is one period after the start
    expect(run.parameters).toEqual({ EVENT_SCHEDULE_ID: 'tick', EVENT_SCHEDULE_TIME: new Date(scheduledTime).toISOString(), LABEL: 'from tick' });
    const tracking = run.tracking as TrackingSnapshot;
    expect(tracking.runId).toBe(run.runId);
    expect(tracking.components).toEqual([expect.objectContaining({ id: 'stamp', type: 'TestWriteJson', status: 'FINISHED_OK' })]);
    expect(JSON.parse(project.read(`out/${run.runId}.json`))).toEqual({ id: 'tick', time: run.parameters.EVENT_SCHEDULE_TIME, label: 'from tick' });
    expect(run.startedAt!.getTime()).toBeGreaterThanOrEqual(run.enqueuedAt.getTime());
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
  });

  it('a file written slowly into a listened folder triggers exactly one run, once it is stable, with the EVENT_FILE_* parameters', async () => {
    project = new TestProject();
    project.graph(
      'arrival',
      'note: { type: TestWriteJson, file: "out/${EVENT_FILE_NAME}.json", value: { path: "${EVENT_FILE_PATH}", name: "${EVENT_FILE_NAME}", urls: "${EVENT_FILE_URLS}", type: "${EVENT_FILE_EVENT_TYPE}", listener: "${EVENT_FILE_LISTENER_ID}", target: "${TARGET}" } }',
    );
    project.write('inbox/old.csv', 'there before the server started\n');
    running = await startServer(
      project,
      `
server: { port: 0, dataDir: data }
listeners:
  - id: inbox
    path: inbox
    pattern: "*.csv"
    events: [added, changed]
    stableChecks: 2
    interval: 200ms
    graph: graphs/arrival.yaml
    parameters: { TARGET: "/archive/\${EVENT_FILE_NAME}" }
`,
    );
    const file = join(project.dir, 'inbox', 'orders.csv');
    project.write('inbox/ignored.txt', 'not a csv\n');
    writeFileSync(file, 'id,amount\n');
    for (let step = 1; step <= 4; step++) {
      await new Promise((resolve) => setTimeout(resolve, 150)); // slower than one check: the file keeps changing
      appendFileSync(file, `${step},${step * 10}\n`);
    }
    const lastWrite = Date.now();

    const run = await waitFor('the listener run', () => runsOf(running!, 'inbox').find((record) => record.status === 'FINISHED_OK'));
    expect(run.enqueuedAt.getTime()).toBeGreaterThanOrEqual(lastWrite + 2 * 200 - 50); // two quiet checks after the last write
    const event = { path: file, name: 'orders.csv', urls: file, type: 'APPEARANCE', listener: 'inbox', target: '/archive/orders.csv' };
    expect(JSON.parse(project.read('out/orders.csv.json'))).toEqual(event);
    expect(run.parameters).toEqual({
      EVENT_FILE_PATH: file,
      EVENT_FILE_NAME: 'orders.csv',
      EVENT_FILE_URLS: file,
      EVENT_FILE_EVENT_TYPE: 'APPEARANCE',
      EVENT_FILE_LISTENER_ID: 'inbox',
      TARGET: '/archive/orders.csv',
    });

    await new Promise((resolve) => setTimeout(resolve, 1000)); // more checks: nothing else may fire
    expect(runsOf(running, 'inbox')).toHaveLength(1);
    const [listener] = (await running.api('GET', '/api/listeners')).body.listeners;
    expect(listener).toMatchObject({ id: 'inbox', state: 'watching', lastRunId: run.runId, path: join(project.dir, 'inbox') });
    expect(Date.parse(listener.nextCheckTime)).toBeGreaterThan(Date.parse(listener.lastCheckTime));
  });

  it('overlap policies with real runs: skip drops the second fire, queue runs it after the first, parallel runs both at once', async () => {
    project = new TestProject();
    project.graph('slow', 'wait: { type: TestSleep, ms: 1500 }');
    const clock = new ManualClock(Date.now());
    running = await startServer(
      project,
      `
server: { port: 0, dataDir: data, maxConcurrentRuns: 8 }
schedules:
  - { id: skipper, graph: graphs/slow.yaml, every: 1s, overlap: skip }
  - { id: queuer, graph: graphs/slow.yaml, every: 1s, overlap: queue }
  - { id: both, graph: graphs/slow.yaml, every: 1s, overlap: parallel }
`,
      { clock },
    );
    const server = running;
    await clock.advance(1000); // first fire of each
    await clock.advance(1000); // second fire while the first runs are still going (1.5 s each)

    const statuses = (id: string): string[] => runsOf(server, id).map((record) => record.status);
    expect(statuses('skipper')).toEqual(['RUNNING']);
    expect(statuses('queuer')).toEqual(['RUNNING', 'ENQUEUED']);
    expect(statuses('both')).toEqual(['RUNNING', 'RUNNING']);
    const schedules = (await running.api('GET', '/api/schedules')).body.schedules as Array<{ id: string; skippedFires: number }>;
    expect(schedules.map((schedule) => [schedule.id, schedule.skippedFires])).toEqual([
      ['skipper', 1],
      ['queuer', 0],
      ['both', 0],
    ]);

    // While the queued run waits, its trigger's first run is the only one of it running.
    await waitFor('the queued run to start', () => statuses('queuer')[1] === 'RUNNING', 30_000);
    expect(statuses('queuer')[0]).toBe('FINISHED_OK');
    await waitFor('every run to finish', () => running!.server.queue.activeRuns().length === 0, 30_000);
    expect(statuses('skipper')).toEqual(['FINISHED_OK']);
    expect(statuses('queuer')).toEqual(['FINISHED_OK', 'FINISHED_OK']);
    expect(statuses('both')).toEqual(['FINISHED_OK', 'FINISHED_OK']);
  });
});
