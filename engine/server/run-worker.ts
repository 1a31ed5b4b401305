/**
 * The run process: `trefoil serve --run-worker`, forked by {@link ChildProcessExecutor} for one
 * run. It loads the graph with the run's parameters, runs it with its log written as JSON lines
 * to the file the server chose, streams tracking snapshots while the run goes, reports the
 * outcome and exits (protocol: run-worker-protocol.ts).
 *
 * NOTE: one process per run, so a CPU-bound transform, a memory blow-up or a component that
 * kills its process cannot stall the server or another run.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { isTrefoilError } from '../errors/trefoil-error.ts';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import type { GraphPlan } from '../model/graph-plan.ts';
import type { ParameterScalar } from '../params/parameter-types.ts';
import { Redactor } from '../params/redactor.ts';
import { loadGraph, runPlan } from '../run-graph.ts';
import type { RunTracker } from '../runtime/tracking.ts';
import type { FromRunWorker, ToRunWorker } from './run-worker-protocol.ts';
import type { RunOutcome } from './run-types.ts';

/** How long the process may linger after reporting (open sockets of a component, say) before it exits anyway. */
const EXIT_GRACE_MS = 1000;

type RunMessage = Extract<ToRunWorker, { type: 'run' }>;

/**
 * Serves one run over the IPC channel and resolves with the process exit status (0 whenever a
 * result was reported, whatever the run's status). Requires an IPC channel (`process.send`).
 */
export async function runWorker(): Promise<number> {
  const send = (message: FromRunWorker): Promise<void> =>
    new Promise((resolve) => {
      if (!process.connected) return resolve();
      process.send!(message, undefined, {}, () => resolve());
    });

  const controller = new AbortController();
  const abort = (reason: string): void => {
    if (!controller.signal.aborted) controller.abort(new Error(reason));
  };
  let interrupts = 0;
  const onSigint = (): void => {
    // The server sends SIGINT when an abort message was not enough; a second one ends the process.
    if (++interrupts > 1) process.exit(130);
    abort('interrupted');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  process.on('disconnect', () => abort('the server went away'));

  const run = await new Promise<RunMessage>((resolve) => {
    process.on('message', (message: ToRunWorker) => {
      if (message.type === 'run') resolve(message);
      else if (message.type === 'abort') abort(message.reason);
    });
    void send({ type: 'ready' });
  });

  const outcome = await execute(run, controller.signal, (snapshot) => void send({ type: 'tracking', snapshot }));
  await send({ type: 'result', outcome });
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  if (process.connected) process.disconnect();
  // Whatever a component left open (keep-alive sockets, timers) must not keep the process alive.
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}

/** Loads and runs the graph; never throws (every failure is an outcome). */
async function execute(run: RunMessage, signal: AbortSignal, onTracking: (snapshot: ReturnType<RunTracker['snapshot']>) => void): Promise<RunOutcome> {
  const { request, logFile, projectDir } = run;
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  try {
    let plan: GraphPlan;
    try {
      plan = await loadGraph(request.graph, {
        parameters: request.parameters as Readonly<Record<string, ParameterScalar>>,
        params: request.paramsFiles ?? [],
        runId: request.runId,
        projectDir,
      });
    } catch (error) {
      // The loader has already masked secure values in its problems.
      const message =
        error instanceof GraphValidationError
          ? `the graph is invalid:\n${error.problems.map(formatProblem).join('\n')}`
          : `the graph cannot be loaded: ${isTrefoilError(error) ? `${error.code} ` : ''}${(error as Error)?.message ?? String(error)}`;
      writeLogLine(log, { level: 50, runId: request.runId, msg: message });
      return { status: signal.aborted ? 'ABORTED' : 'ERROR', error: { message }, logFile };
    }
    if (signal.aborted) {
      const message = `aborted before it started: ${(signal.reason as Error).message}`;
      writeLogLine(log, { level: 40, runId: request.runId, graph: plan.id, msg: message });
      return { status: 'ABORTED', error: { message }, logFile };
    }

    // Live snapshots carry component messages: mask the run's secrets as the final tracking is.
    const redactor = new Redactor().addAll(plan.secrets);
    let timer: NodeJS.Timeout | undefined;
    let tracker: RunTracker | undefined;
    const report = (): void => onTracking(redactor.redactValue(tracker!.snapshot()));
    try {
      const result = await runPlan(plan, {
        runId: request.runId,
        signal,
        log: { level: 'info', stream: log },
        onStart: (started) => {
          tracker = started;
          report();
          timer = setInterval(report, run.trackingIntervalMs);
        },
      });
      const error = result.error;
      // Say why it was aborted (the API, a shutdown, the server going away).
      const reason = result.status === 'ABORTED' && signal.aborted ? ` (${(signal.reason as Error).message})` : '';
      return {
        status: result.status,
        ...(error === undefined
          ? {}
          : {
              error: {
                message: error.message + reason,
                ...(error.component === undefined ? {} : { component: error.component }),
                ...(error.componentType === undefined ? {} : { componentType: error.componentType }),
                ...(error.recordNo === undefined ? {} : { recordNo: error.recordNo }),
              },
            }),
        tracking: result.tracking,
        logFile,
      };
    } finally {
      clearInterval(timer);
    }
  } catch (error) {
    const message = `the run failed unexpectedly: ${(error as Error)?.message ?? String(error)}`;
    writeLogLine(log, { level: 60, runId: request.runId, msg: message });
    return { status: 'ERROR', error: { message }, logFile };
  } finally {
    // The log is complete on disk before the server hears the outcome.
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

/** A log line in pino's shape, for what happens outside the engine's own logger. */
function writeLogLine(log: WriteStream, fields: Record<string, unknown>): void {
  log.write(JSON.stringify({ time: new Date().toISOString(), ...fields }) + '\n');
}
