import { describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/server/clock.ts';
import { ManualClock } from '../../engine/server/manual-clock.ts';
import { RunQueue } from '../../engine/server/run-queue.ts';
import type { RunExecutor, RunSnapshot } from '../../engine/server/run-types.ts';
import { FakeExecutor } from './fake-executor.ts';

describe('RunQueue', () => {
  it('runs 20 queued runs to completion with nothing lost, never more than maxConcurrentRuns at once', async () => {
    const executor = new FakeExecutor(systemClock, () => 5 + Math.floor(Math.random() * 15));
    const transitions = new Map<string, string[]>();
    const queue = new RunQueue({
      executor,
      maxConcurrentRuns: 3,
      onChange: (snapshot) => transitions.set(snapshot.request.runId, [...(transitions.get(snapshot.request.runId) ?? []), snapshot.status]),
    });
    const submitted = Array.from({ length: 20 }, (_, index) =>
      queue.submit({ graph: `/graphs/g${index}.yaml`, trigger: { kind: 'api' }, parameters: { N: index } }),
    );
    expect(queue.activeRuns().filter((run) => run.status === 'ENQUEUED').length).toBeGreaterThanOrEqual(17);
    const finals = await Promise.all(submitted.map((result) => (result.accepted ? result.finished : Promise.reject(new Error('rejected')))));
    await queue.onIdle();

    expect(finals.map((snapshot) => snapshot.status)).toEqual(Array(20).fill('FINISHED_OK'));
    expect(new Set(finals.map((snapshot) => snapshot.request.runId)).size).toBe(20);
    expect(executor.runs.map((run) => run.request.parameters.N).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(20).keys()]);
    expect(executor.maxConcurrent).toBe(3);
    for (const statuses of transitions.values()) expect(statuses).toEqual(['ENQUEUED', 'RUNNING', 'FINISHED_OK']);
    expect(transitions.size).toBe(20);
    expect(queue.activeRuns()).toEqual([]);
    for (const snapshot of finals) {
      expect(snapshot.startedAt!.getTime()).toBeGreaterThanOrEqual(snapshot.enqueuedAt.getTime());
      expect(snapshot.finishedAt!.getTime()).toBeGreaterThanOrEqual(snapshot.startedAt!.getTime());
    }
  });

  it('overlap queue: 20 runs of one trigger run strictly one after another, in order', async () => {
    const executor = new FakeExecutor(systemClock, () => 2);
    const queue = new RunQueue({ executor, maxConcurrentRuns: 8 });
    for (let index = 0; index < 20; index++) {
      queue.submit({ graph: 'g', trigger: { kind: 'listener', id: 'outbox' }, parameters: { N: index }, overlap: 'queue' });
    }
    await queue.onIdle();
    expect(executor.runs.map((run) => run.request.parameters.N)).toEqual([...Array(20).keys()]);
    expect(executor.maxConcurrent).toBe(1);
    for (let index = 1; index < 20; index++) expect(executor.runs[index]!.startedAt).toBeGreaterThanOrEqual(executor.runs[index - 1]!.endedAt!);
  });

  it('overlap skip: rejects while the trigger has an active run; other triggers are unaffected', async () => {
    const clock = new ManualClock(0);
    const queue = new RunQueue({ executor: new FakeExecutor(clock, () => 1000), clock });
    const first = queue.submit({ graph: 'g', trigger: { kind: 'schedule', id: 'a' }, overlap: 'skip' });
    const second = queue.submit({ graph: 'g', trigger: { kind: 'schedule', id: 'a' }, overlap: 'skip' });
    const other = queue.submit({ graph: 'g', trigger: { kind: 'schedule', id: 'b' }, overlap: 'skip' });
    expect(first.accepted && other.accepted).toBe(true);
    expect(second).toEqual({ accepted: false, reason: 'overlap', activeRunId: first.accepted ? first.runId : '' });
    await clock.advance(1000);
    expect(queue.submit({ graph: 'g', trigger: { kind: 'schedule', id: 'a' }, overlap: 'skip' }).accepted).toBe(true);
  });

  it('aborts an enqueued run without starting it, and a running one through the executor', async () => {
    const clock = new ManualClock(0);
    const executor = new FakeExecutor(clock, () => 10_000);
    const queue = new RunQueue({ executor, maxConcurrentRuns: 1, clock });
    const running = queue.submit({ graph: 'long', trigger: { kind: 'manual' } });
    const waiting = queue.submit({ graph: 'next', trigger: { kind: 'manual' } });
    if (!running.accepted || !waiting.accepted) throw new Error('not accepted');
    await clock.advance(0);
    expect(queue.get(running.runId)?.status).toBe('RUNNING');
    expect(queue.get(waiting.runId)?.status).toBe('ENQUEUED');

    expect(queue.abort(waiting.runId, 'not needed')).toBe(true);
    const waitingFinal = await waiting.finished;
    expect(waitingFinal).toMatchObject({ status: 'ABORTED', outcome: { status: 'ABORTED', error: { message: 'not needed' } } });
    expect(waitingFinal.startedAt).toBeUndefined();

    await clock.advance(100);
    expect(queue.abort(running.runId)).toBe(true);
    expect((await running.finished).status).toBe('ABORTED');
    expect(executor.runs.map((run) => [run.request.graph, run.aborted])).toEqual([['long', true]]);
    expect(queue.abort(running.runId)).toBe(false);
    await queue.onIdle();
  });

  it('records an executor that throws or rejects as ERROR, and keeps the executor failure details', async () => {
    const failing: RunExecutor = {
      start(request) {
        if (request.graph === 'throws') throw new Error('cannot spawn worker');
        if (request.graph === 'rejects') return { done: Promise.reject(new Error('worker crashed')), abort() {} };
        return {
          done: Promise.resolve({ status: 'ERROR', error: { message: 'bad amount', component: 'total', componentType: 'Reformat', recordNo: 7 } }),
          abort() {},
        };
      },
    };
    const queue = new RunQueue({ executor: failing });
    const results: RunSnapshot[] = [];
    for (const graph of ['throws', 'rejects', 'fails']) {
      const submitted = queue.submit({ graph, trigger: { kind: 'api' } });
      if (submitted.accepted) results.push(await submitted.finished);
    }
    expect(results.map((snapshot) => [snapshot.status, snapshot.outcome?.error?.message])).toEqual([
      ['ERROR', 'cannot spawn worker'],
      ['ERROR', 'worker crashed'],
      ['ERROR', 'bad amount'],
    ]);
    expect(results[2]!.outcome?.error).toMatchObject({ component: 'total', componentType: 'Reformat', recordNo: 7 });
  });

  it('a throwing observer does not break the queue', async () => {
    const clock = new ManualClock(0);
    const observerErrors: unknown[] = [];
    const queue = new RunQueue({
      executor: new FakeExecutor(clock, () => 10),
      clock,
      onChange: () => {
        throw new Error('disk full');
      },
      onObserverError: (error) => observerErrors.push(error),
    });
    const result = queue.submit({ graph: 'g', trigger: { kind: 'api' } });
    await clock.advance(10);
    expect(result.accepted && (await result.finished).status).toBe('FINISHED_OK');
    expect(observerErrors).toHaveLength(3);
  });
});
