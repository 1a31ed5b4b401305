import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/server/manual-clock.ts';
import { RunQueue } from '../../engine/server/run-queue.ts';
import type { OverlapPolicy, RunSnapshot } from '../../engine/server/run-types.ts';
import { compileSchedule, scheduleEventParameters } from '../../engine/server/schedule.ts';
import { Scheduler, type ScheduleFire } from '../../engine/server/scheduler.ts';
import { FakeExecutor } from './fake-executor.ts';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');

describe('Scheduler with a manual clock', () => {
  it('fires each schedule at its times, and not while stopped or disabled', async () => {
    const clock = new ManualClock(T0);
    const fires: string[] = [];
    const scheduler = new Scheduler({ clock, onFire: (fire) => fires.push(`${fire.schedule.id}@${fire.scheduledTime.getTime() - T0}`) });
    scheduler.add(compileSchedule({ id: 'fast', every: '1s' }));
    scheduler.add(compileSchedule({ id: 'cron', cron: '*/2 * * * * *', timezone: 'UTC' }));
    scheduler.add(compileSchedule({ id: 'once', at: new Date(T0 + 2500) }));
    scheduler.add(compileSchedule({ id: 'off', every: '1s', enabled: false }));
    scheduler.start();
    expect(scheduler.nextFireTime('fast')?.getTime()).toBe(T0 + 1000);
    expect(scheduler.nextFireTime('off')).toBeNull();

    await clock.advance(4000);
    // Timers due at the same instant run in the order they were set (cron's was set first).
    expect(fires).toEqual(['fast@1000', 'cron@2000', 'fast@2000', 'once@2500', 'fast@3000', 'cron@4000', 'fast@4000']);
    expect(scheduler.nextFireTime('once')).toBeNull();

    scheduler.stop();
    await clock.advance(10_000);
    expect(fires).toHaveLength(7);
    expect(clock.pendingTimers).toBe(0);
  });

  it('can enable a schedule at run time and keeps firing when a handler throws', async () => {
    const clock = new ManualClock(T0);
    const fires: number[] = [];
    const errors: unknown[] = [];
    const scheduler = new Scheduler({
      clock,
      onFire: (fire) => {
        fires.push(fire.scheduledTime.getTime() - T0);
        throw new Error('handler failed');
      },
      onError: (error) => errors.push(error),
    });
    scheduler.add(compileSchedule({ id: 's', every: '1s', enabled: false }));
    scheduler.start();
    await clock.advance(1500);
    expect(fires).toEqual([]);
    scheduler.setEnabled('s', true); // anchored at enable time (1500)
    await clock.advance(2000);
    expect(fires).toEqual([2500, 3500]);
    expect(errors).toHaveLength(2);
  });

  it('does not replay missed fires after a stall: the next fire is the first one after now', async () => {
    const clock = new ManualClock(T0);
    const fires: ScheduleFire[] = [];
    const scheduler = new Scheduler({ clock, onFire: (fire) => fires.push(fire) });
    scheduler.add(compileSchedule({ id: 's', every: '1s' }));
    scheduler.start();
    expect(clock.pendingTimers).toBe(1);
    clock.jump(3400); // suspended: the 1 s timer runs 2.4 s late
    await clock.advance(0);
    expect(fires.map((fire) => [fire.scheduledTime.getTime() - T0, fire.firedAt.getTime() - T0])).toEqual([[1000, 3400]]);
    expect(scheduler.nextFireTime('s')?.getTime()).toBe(T0 + 4000);
  });
});

describe('overlap policies (scheduler → run queue)', () => {
  /** A schedule firing every 1s whose runs take 2.5s, observed for `observeMs`. */
  async function simulate(overlap: OverlapPolicy, observeMs: number) {
    const clock = new ManualClock(T0);
    const executor = new FakeExecutor(clock, () => 2500);
    const transitions: RunSnapshot[] = [];
    const queue = new RunQueue({ executor, maxConcurrentRuns: 4, clock, onChange: (snapshot) => transitions.push(snapshot) });
    const skipped: number[] = [];
    const scheduler = new Scheduler({
      clock,
      onFire: (fire) => {
        const result = queue.submit({
          graph: '/graphs/sync.yaml',
          trigger: { kind: 'schedule', id: fire.schedule.id },
          parameters: scheduleEventParameters(fire.schedule.id, fire.scheduledTime),
          overlap,
        });
        if (!result.accepted) skipped.push(fire.scheduledTime.getTime() - T0);
      },
    });
    scheduler.add(compileSchedule({ id: 'sync', every: '1s' }));
    scheduler.start();
    await clock.advance(observeMs);
    scheduler.stop();
    return { clock, executor, queue, skipped, transitions };
  }

  it('skip: a fire while the previous run is active is dropped', async () => {
    const { executor, skipped } = await simulate('skip', 6000);
    expect(executor.runs.map((run) => run.startedAt - T0)).toEqual([1000, 4000]);
    expect(skipped).toEqual([2000, 3000, 5000, 6000]);
    expect(executor.maxConcurrent).toBe(1);
  });

  it('queue: every fire runs, one after another, in order', async () => {
    const { clock, executor, queue, skipped } = await simulate('queue', 6000);
    expect(skipped).toEqual([]);
    await clock.advance(60_000);
    await queue.onIdle();
    expect(executor.runs.map((run) => run.startedAt - T0)).toEqual([1000, 3500, 6000, 8500, 11_000, 13_500]);
    expect(executor.runs.map((run) => run.request.parameters.EVENT_SCHEDULE_TIME)).toEqual(
      [1, 2, 3, 4, 5, 6].map((second) => new Date(T0 + second * 1000).toISOString()),
    );
    expect(executor.maxConcurrent).toBe(1);
  });

  it('parallel: every fire starts on time, alongside the earlier runs', async () => {
    const { clock, executor, queue, skipped } = await simulate('parallel', 6000);
    expect(skipped).toEqual([]);
    expect(executor.runs.map((run) => run.startedAt - T0)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect(executor.maxConcurrent).toBe(3);
    await clock.advance(10_000);
    await queue.onIdle();
    expect(executor.runs.every((run) => run.endedAt === run.startedAt + 2500)).toBe(true);
  });

  it('parallel runs still wait for a slot when maxConcurrentRuns is reached', async () => {
    const clock = new ManualClock(T0);
    const executor = new FakeExecutor(clock, () => 10_000);
    const queue = new RunQueue({ executor, maxConcurrentRuns: 2, clock });
    const scheduler = new Scheduler({ clock, onFire: () => queue.submit({ graph: 'g', trigger: { kind: 'schedule', id: 's' }, overlap: 'parallel' }) });
    scheduler.add(compileSchedule({ id: 's', every: '1s' }));
    scheduler.start();
    await clock.advance(3000);
    scheduler.stop();
    expect(executor.runs.map((run) => run.startedAt - T0)).toEqual([1000, 2000]);
    expect(queue.activeRuns().map((run) => run.status)).toEqual(['RUNNING', 'RUNNING', 'ENQUEUED']);
    await clock.advance(20_000);
    await queue.onIdle();
    expect(executor.runs.map((run) => run.startedAt - T0)).toEqual([1000, 2000, 11_000]);
  });
});

describe('Scheduler with real timers', () => {
  it('fires `every: 200ms` on time', async () => {
    const fires: ScheduleFire[] = [];
    const scheduler = new Scheduler({ onFire: (fire) => fires.push(fire) });
    const started = Date.now();
    scheduler.add(compileSchedule({ id: 'tick', every: '200ms' }));
    scheduler.start();
    const deadline = Date.now() + 3000;
    while (fires.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    scheduler.stop();
    expect(fires).toHaveLength(3);
    fires.forEach((fire, index) => {
      const due = fire.scheduledTime.getTime();
      expect(due - started).toBeGreaterThanOrEqual((index + 1) * 200);
      expect(due - started).toBeLessThan((index + 1) * 200 + 20);
      // never early, and not much late
      expect(fire.firedAt.getTime()).toBeGreaterThanOrEqual(due);
      expect(fire.firedAt.getTime() - due).toBeLessThan(150);
    });
  });
});
