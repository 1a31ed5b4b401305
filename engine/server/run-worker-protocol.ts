/**
 * The messages between the server and a run's child process (IPC, JSON serialisation):
 *
 *   server                                   run process (`trefoil serve --run-worker`)
 *     │  fork ─────────────────────────────────▶ starts, loads the engine
 *     │  ◀──────────────────────────────── ready
 *     │  run { request, logFile } ──────────────▶ loads the graph, runs it
 *     │  ◀──────────────── tracking { snapshot }   every trackingIntervalMs while it runs
 *     │  abort { reason } ──────────────────────▶ (optional) aborts the run's AbortSignal
 *     │  ◀──────────────────── result { outcome }  once, then the process exits
 *
 * NOTE: the process says `ready` before it is sent the run, because a message sent before the
 * child has a 'message' listener would be lost.
 */
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import type { RunOutcome, RunRequest } from './run-types.ts';

/** Server → run process. */
export type ToRunWorker =
  | { readonly type: 'run'; readonly request: RunRequest; readonly logFile: string; readonly projectDir: string; readonly trackingIntervalMs: number }
  | { readonly type: 'abort'; readonly reason: string };

/** Run process → server. */
export type FromRunWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'tracking'; readonly snapshot: TrackingSnapshot }
  | { readonly type: 'result'; readonly outcome: RunOutcome };

/** The hidden `trefoil serve` flag that turns the process into a run process. */
export const RUN_WORKER_FLAG = '--run-worker';
