/**
 * What the server knows about its active runs beyond the history row: the latest tracking
 * snapshot each run's process streamed, and who is watching (Server-Sent Events clients).
 * A run is live from ENQUEUED until its final status; then watchers get `end` and are dropped.
 */
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import type { RunSnapshot } from './run-types.ts';

/** What a watcher of a live run is told. */
export type LiveRunEvent =
  | { readonly type: 'status'; readonly snapshot: RunSnapshot }
  | { readonly type: 'tracking'; readonly tracking: TrackingSnapshot }
  | { readonly type: 'end'; readonly snapshot: RunSnapshot };

export type LiveRunWatcher = (event: LiveRunEvent) => void;

interface LiveRun {
  tracking: TrackingSnapshot | undefined;
  readonly watchers: Set<LiveRunWatcher>;
}

export class LiveRuns {
  /** Invariant: holds exactly the runs whose last reported status was ENQUEUED or RUNNING. */
  readonly #runs = new Map<string, LiveRun>();
  readonly #onWatcherError: (error: unknown) => void;

  /** @param onWatcherError called when a watcher throws (the others are still told). */
  constructor(onWatcherError: (error: unknown) => void = () => {}) {
    this.#onWatcherError = onWatcherError;
  }

  /** Feeds a run queue transition (call after the history has recorded it). */
  statusChanged(snapshot: RunSnapshot): void {
    const { runId } = snapshot.request;
    let run = this.#runs.get(runId);
    const final = snapshot.status !== 'ENQUEUED' && snapshot.status !== 'RUNNING';
    if (run === undefined) {
      if (final) return;
      run = { tracking: undefined, watchers: new Set() };
      this.#runs.set(runId, run);
    }
    if (final) {
      this.#runs.delete(runId);
      this.#tell(run, { type: 'end', snapshot });
      run.watchers.clear();
    } else {
      this.#tell(run, { type: 'status', snapshot });
    }
  }

  /** Feeds a tracking snapshot from a run's process. Ignored once the run has ended. */
  trackingChanged(runId: string, tracking: TrackingSnapshot): void {
    const run = this.#runs.get(runId);
    if (run === undefined) return;
    run.tracking = tracking;
    this.#tell(run, { type: 'tracking', tracking });
  }

  /** True while the run is enqueued or running. */
  has(runId: string): boolean {
    return this.#runs.has(runId);
  }

  /** The latest tracking of a live run (undefined before its first snapshot or once it ended). */
  tracking(runId: string): TrackingSnapshot | undefined {
    return this.#runs.get(runId)?.tracking;
  }

  /**
   * Watches a live run until it ends; returns the function that stops watching, or undefined
   * when the run is not live (finished or unknown: look in the history).
   */
  watch(runId: string, watcher: LiveRunWatcher): (() => void) | undefined {
    const run = this.#runs.get(runId);
    if (run === undefined) return undefined;
    run.watchers.add(watcher);
    return () => run.watchers.delete(watcher);
  }

  #tell(run: LiveRun, event: LiveRunEvent): void {
    for (const watcher of [...run.watchers]) {
      try {
        watcher(event);
      } catch (error) {
        this.#onWatcherError(error);
      }
    }
  }
}
