/**
 * The vocabulary of a server run, shared by the run queue, the run history and (later) the
 * HTTP API and the real executor. Statuses are CloverDX Server's execution statuses.
 */

/** CloverDX execution statuses. ENQUEUED and RUNNING are active; the others are final. */
export type RunStatus = 'ENQUEUED' | 'RUNNING' | 'FINISHED_OK' | 'ERROR' | 'ABORTED' | 'UNKNOWN';

/** Every status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['ENQUEUED', 'RUNNING', 'FINISHED_OK', 'ERROR', 'ABORTED', 'UNKNOWN'];

/** The statuses a run executor can end a run with. */
export type FinalRunStatus = 'FINISHED_OK' | 'ERROR' | 'ABORTED';

/** What started a run: a schedule or listener (with its id), an API call, or a person. */
export type TriggerKind = 'schedule' | 'listener' | 'api' | 'manual';

export interface RunTrigger {
  readonly kind: TriggerKind;
  /** The schedule or listener id; for api/manual, optionally who or what asked. */
  readonly id?: string;
}

/**
 * What happens when a trigger fires while a run it started earlier is still enqueued or running:
 * `skip` drops the new run, `queue` starts it after the earlier ones finish, `parallel` runs it
 * alongside (still within `maxConcurrentRuns`).
 */
export type OverlapPolicy = 'skip' | 'queue' | 'parallel';

/** Everything an executor needs to run one graph. Immutable once submitted. */
export interface RunRequest {
  readonly runId: string;
  /** Path of the graph file (absolute, as resolved from the server config). */
  readonly graph: string;
  /** Run parameters (trigger parameters with event parameters already substituted). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Names of parameters whose values are secret: masked as `*****` wherever recorded. */
  readonly secureParameterNames: readonly string[];
  /** Params files the run reads, as `--params` (absolute paths; later files win). */
  readonly paramsFiles?: readonly string[];
  readonly trigger: RunTrigger;
}

/** Why a run failed (CloverDX: the failing component, its type, the message). */
export interface RunFailure {
  readonly message: string;
  readonly component?: string;
  readonly componentType?: string;
  /** 1-based record number, where known. */
  readonly recordNo?: number;
}

/** How a run ended, as reported by the executor. */
export interface RunOutcome {
  readonly status: FinalRunStatus;
  /** Present when status is ERROR (and, with the reason, for ABORTED). */
  readonly error?: RunFailure;
  /** The run's tracking (per component and phase); stored as JSON. */
  readonly tracking?: unknown;
  /** Where the run's log was written, if the executor wrote one. */
  readonly logFile?: string;
}

/** A run in progress, as returned by {@link RunExecutor.start}. */
export interface RunExecution {
  /** Settles when the run has ended, however it ended. Should not reject (a rejection is recorded as ERROR). */
  readonly done: Promise<RunOutcome>;
  /** Asks the run to stop; `done` then resolves with status ABORTED once it has cleaned up. */
  abort(reason?: string): void;
}

/**
 * Runs graphs for the server. The real one runs each graph in a child process or worker
 * thread; tests inject a fake. `start` must return at once (the run goes on in the background).
 */
export interface RunExecutor {
  start(request: RunRequest): RunExecution;
}

/** A run's state at one moment; the queue emits one at every transition. */
export interface RunSnapshot {
  readonly request: RunRequest;
  readonly status: RunStatus;
  readonly enqueuedAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** Present once the run has ended. */
  readonly outcome?: RunOutcome;
}
