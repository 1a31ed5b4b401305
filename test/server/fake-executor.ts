/**
 * A RunExecutor for server tests: each run takes `durationMs` on the given clock (real or
 * manual), records when it started and ended, and honours abort.
 */
import type { Clock } from '../../engine/server/clock.ts';
import type { RunExecutor, RunOutcome, RunRequest } from '../../engine/server/run-types.ts';

export interface FakeRun {
  readonly request: RunRequest;
  readonly startedAt: number;
  endedAt?: number;
  aborted: boolean;
}

export class FakeExecutor implements RunExecutor {
  readonly runs: FakeRun[] = [];
  #running = 0;
  /** Highest number of runs that were executing at the same time. */
  maxConcurrent = 0;

  constructor(
    readonly clock: Clock,
    readonly durationMs: (request: RunRequest) => number,
    readonly outcomeOf: (request: RunRequest) => RunOutcome = () => ({ status: 'FINISHED_OK' }),
  ) {}

  get running(): number {
    return this.#running;
  }

  start(request: RunRequest) {
    const run: FakeRun = { request, startedAt: this.clock.now(), aborted: false };
    this.runs.push(run);
    this.#running++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#running);
    let settle!: (outcome: RunOutcome) => void;
    const done = new Promise<RunOutcome>((resolve) => (settle = resolve));
    const end = (outcome: RunOutcome): void => {
      if (run.endedAt !== undefined) return;
      run.endedAt = this.clock.now();
      this.#running--;
      settle(outcome);
    };
    const cancel = this.clock.setTimer(() => end(this.outcomeOf(request)), this.durationMs(request));
    return {
      done,
      abort: (reason?: string) => {
        run.aborted = true;
        cancel();
        end({ status: 'ABORTED', error: { message: reason ?? 'aborted' } });
      },
    };
  }
}
