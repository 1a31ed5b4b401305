/**
 * The server's run queue: at most `maxConcurrentRuns` graphs run at once (p-queue), each
 * trigger's overlap policy decides what happens when it fires while its earlier run is still
 * active, and any enqueued or running run can be aborted. Runs are executed by an injected
 * {@link RunExecutor}, so the same queue drives child processes, worker threads or test fakes.
 *
 *   submit ──skip?──▶ rejected (the trigger's earlier run is still active)
 *     │
 *     ▼ ENQUEUED ──(queue: after the trigger's earlier runs finish)──▶ pool (p-queue)
 *                                                                       │ slot free
 *                                                                       ▼
 *                                              RUNNING ── executor.start(request).done
 *                                                                       │
 *                                                                       ▼
 *                                                       FINISHED_OK | ERROR | ABORTED
 *
 * Every transition is reported to `onChange` (the run history records it).
 */
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { systemClock, type Clock } from './clock.ts';
import type { OverlapPolicy, RunExecution, RunExecutor, RunOutcome, RunRequest, RunSnapshot, RunTrigger } from './run-types.ts';

export interface RunQueueOptions {
  readonly executor: RunExecutor;
  /** Runs executing at the same time; more wait as ENQUEUED. @default 4 */
  readonly maxConcurrentRuns?: number;
  /** Receives a snapshot at every transition (ENQUEUED, RUNNING, final). Must not throw. */
  readonly onChange?: (snapshot: RunSnapshot) => void;
  /** Called when `onChange` throws; the queue carries on. @default process.emitWarning */
  readonly onObserverError?: (error: unknown, snapshot: RunSnapshot) => void;
  /** Source of run ids. @default crypto.randomUUID */
  readonly newRunId?: () => string;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** A request to run a graph. */
export interface RunSubmission {
  readonly graph: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly secureParameterNames?: readonly string[];
  /** Params files the run reads (a trigger's `params`). */
  readonly paramsFiles?: readonly string[];
  readonly trigger: RunTrigger;
  /** How this run treats the same trigger's still-active runs. @default 'parallel' */
  readonly overlap?: OverlapPolicy;
  /** A run id chosen by the caller. @default options.newRunId() */
  readonly runId?: string;
}

export type SubmitResult =
  | {
      readonly accepted: true;
      readonly runId: string;
      /** Resolves with the final snapshot once the run has ended (never rejects). */
      readonly finished: Promise<RunSnapshot>;
    }
  | {
      readonly accepted: false;
      /** The trigger's overlap policy is `skip` and `activeRunId` is still enqueued or running. */
      readonly reason: 'overlap';
      readonly activeRunId: string;
    };

interface ActiveRun {
  snapshot: RunSnapshot;
  readonly triggerKey: string;
  /** Set once the executor has started the run. */
  execution: RunExecution | null;
  /** Set when an abort was asked for while running; the executor's outcome is then ABORTED. */
  abortReason: string | null;
  readonly finished: Promise<RunSnapshot>;
  readonly resolveFinished: (snapshot: RunSnapshot) => void;
}

export class RunQueue {
  readonly #executor: RunExecutor;
  readonly #clock: Clock;
  readonly #newRunId: () => string;
  readonly #onChange: (snapshot: RunSnapshot) => void;
  readonly #onObserverError: (error: unknown, snapshot: RunSnapshot) => void;
  readonly #pool: PQueue;
  /** Enqueued and running runs by id. Invariant: a run leaves this map exactly when it ends. */
  readonly #active = new Map<string, ActiveRun>();
  /** The same runs grouped by trigger, in submission order (overlap decisions look here). */
  readonly #activeByTrigger = new Map<string, ActiveRun[]>();
  #idleWaiters: Array<() => void> = [];

  constructor(options: RunQueueOptions) {
    this.#executor = options.executor;
    this.#clock = options.clock ?? systemClock;
    this.#newRunId = options.newRunId ?? randomUUID;
    this.#onChange = options.onChange ?? (() => {});
    this.#onObserverError =
      options.onObserverError ??
      ((error, snapshot) =>
        process.emitWarning(`run ${snapshot.request.runId}: recording status ${snapshot.status} failed: ${error instanceof Error ? error.message : String(error)}`));
    const maxConcurrentRuns = options.maxConcurrentRuns ?? 4;
    if (!Number.isInteger(maxConcurrentRuns) || maxConcurrentRuns < 1) {
      throw new RangeError(`maxConcurrentRuns must be a positive integer, got ${maxConcurrentRuns}`);
    }
    this.#pool = new PQueue({ concurrency: maxConcurrentRuns });
  }

  /**
   * Enqueues a run, or rejects it when its trigger's policy is `skip` and an earlier run of the
   * same trigger (same kind and id) is still enqueued or running.
   */
  submit(submission: RunSubmission): SubmitResult {
    const triggerKey = `${submission.trigger.kind}\u0000${submission.trigger.id ?? ''}`;
    const earlier = this.#activeByTrigger.get(triggerKey) ?? [];
    const overlap = submission.overlap ?? 'parallel';
    if (overlap === 'skip' && earlier.length > 0) {
      return { accepted: false, reason: 'overlap', activeRunId: earlier[0]!.snapshot.request.runId };
    }
    const request: RunRequest = {
      runId: submission.runId ?? this.#newRunId(),
      graph: submission.graph,
      parameters: { ...submission.parameters },
      secureParameterNames: [...(submission.secureParameterNames ?? [])],
      ...(submission.paramsFiles && submission.paramsFiles.length > 0 ? { paramsFiles: [...submission.paramsFiles] } : {}),
      trigger: { ...submission.trigger },
    };
    if (this.#active.has(request.runId)) throw new Error(`run id ${request.runId} is already active`);

    let resolveFinished!: (snapshot: RunSnapshot) => void;
    const finished = new Promise<RunSnapshot>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = {
      snapshot: { request, status: 'ENQUEUED', enqueuedAt: new Date(this.#clock.now()) },
      triggerKey,
      execution: null,
      abortReason: null,
      finished,
      resolveFinished,
    };
    this.#active.set(request.runId, run);
    this.#activeByTrigger.set(triggerKey, [...earlier, run]);
    this.#emit(run.snapshot);

    if (overlap === 'queue' && earlier.length > 0) {
      // Each queued run waits for every earlier run of its trigger, so they run one after another.
      void Promise.all(earlier.map((previous) => previous.finished)).then(() => this.#enterPool(run));
    } else {
      this.#enterPool(run);
    }
    return { accepted: true, runId: request.runId, finished };
  }

  /**
   * Aborts an enqueued run (it never starts; status ABORTED at once) or a running one (the
   * executor is asked to stop; status ABORTED when it has). Returns false for an unknown or
   * already finished run.
   */
  abort(runId: string, reason = 'aborted on request'): boolean {
    const run = this.#active.get(runId);
    if (run === undefined) return false;
    if (run.execution === null) {
      this.#finish(run, { status: 'ABORTED', error: { message: reason } });
    } else if (run.abortReason === null) {
      run.abortReason = reason;
      run.execution.abort(reason);
    }
    return true;
  }

  /** Aborts every active run (server shutdown). */
  abortAll(reason = 'the server is shutting down'): void {
    for (const runId of [...this.#active.keys()]) this.abort(runId, reason);
  }

  /** The current snapshot of an active run, or undefined once it has ended (see the history). */
  get(runId: string): RunSnapshot | undefined {
    return this.#active.get(runId)?.snapshot;
  }

  /** Snapshots of all enqueued and running runs, in submission order. */
  activeRuns(): RunSnapshot[] {
    return [...this.#active.values()].map((run) => run.snapshot);
  }

  /** Number of runs executing now. */
  get runningCount(): number {
    let count = 0;
    for (const run of this.#active.values()) if (run.snapshot.status === 'RUNNING') count++;
    return count;
  }

  /** Resolves when no run is enqueued or running. */
  onIdle(): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #enterPool(run: ActiveRun): void {
    if (!this.#active.has(run.snapshot.request.runId)) return; // aborted while it waited
    void this.#pool.add(() => this.#execute(run));
  }

  async #execute(run: ActiveRun): Promise<void> {
    if (this.#active.get(run.snapshot.request.runId) !== run) return; // aborted while enqueued
    run.snapshot = { ...run.snapshot, status: 'RUNNING', startedAt: new Date(this.#clock.now()) };
    this.#emit(run.snapshot);
    let outcome: RunOutcome;
    try {
      const execution = this.#executor.start(run.snapshot.request);
      run.execution = execution;
      outcome = await execution.done;
    } catch (error) {
      outcome = { status: 'ERROR', error: { message: error instanceof Error ? error.message : String(error) } };
    }
    if (run.abortReason !== null && outcome.status !== 'FINISHED_OK') {
      outcome = { ...outcome, status: 'ABORTED', error: outcome.error ?? { message: run.abortReason } };
    }
    this.#finish(run, outcome);
  }

  #finish(run: ActiveRun, outcome: RunOutcome): void {
    const { runId } = run.snapshot.request;
    this.#active.delete(runId);
    const siblings = this.#activeByTrigger.get(run.triggerKey)?.filter((other) => other !== run) ?? [];
    if (siblings.length === 0) this.#activeByTrigger.delete(run.triggerKey);
    else this.#activeByTrigger.set(run.triggerKey, siblings);

    run.snapshot = { ...run.snapshot, status: outcome.status, finishedAt: new Date(this.#clock.now()), outcome };
    this.#emit(run.snapshot);
    run.resolveFinished(run.snapshot);
    if (this.#active.size === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #emit(snapshot: RunSnapshot): void {
    try {
      this.#onChange(snapshot);
    } catch (error) {
      this.#onObserverError(error, snapshot);
    }
  }
}
