/**
 * The server's real {@link RunExecutor}: every run in a child process of its own
 * (`trefoil serve --run-worker`, see run-worker.ts), so a CPU-heavy, hanging or crashing graph
 * never stalls the server. The child streams tracking snapshots over IPC and reports the
 * outcome; its log goes to `<logDir>/<runId>.log` as JSON lines.
 *
 * Abort (CloverDX "abort execution"): an `abort` message first (the run's AbortSignal fires,
 * components clean up, the run ends ABORTED); SIGINT after `abortGraceMs` if it has not ended;
 * SIGKILL after a further `killGraceMs`. A child that ends without reporting an outcome (a crash,
 * `process.exit`, the OOM killer) makes the run ERROR with the child's last error output.
 *
 * NOTE: the child is the CLI (engine/cli/bin.mjs), which loads the cached esbuild bundle of the
 * engine: about 0.3 s to a ready child, against about 1 s when TypeScript sources load through
 * tsx (`--import tsx` or `register()`). The bundle is the same code the server runs from the
 * CLI; when the server runs from sources (tests), the bundle is rebuilt from those sources when
 * any of them is newer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import { Redactor } from '../params/redactor.ts';
import { decryptSecureValue, isSecureValue, masterPasswordFromEnvironment } from '../params/secure-value.ts';
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import { runLogFile } from './run-log.ts';
import { RUN_WORKER_FLAG, type FromRunWorker, type ToRunWorker } from './run-worker-protocol.ts';
import type { RunExecution, RunExecutor, RunOutcome, RunRequest } from './run-types.ts';

/** The command the child runs: the CLI, which loads the engine bundle. */
const CLI_ENTRY = join(PACKAGE_ROOT, 'engine', 'cli', 'bin.mjs');
/** How much of a child's error output is kept for the message of a crashed run. */
const STDERR_TAIL_BYTES = 4096;

export interface ChildProcessExecutorOptions {
  /** Working directory of the runs (PROJECT_DIR; relative paths in graphs resolve against it). */
  readonly projectDir: string;
  /** Where run logs go: `<logDir>/<runId>.log`. */
  readonly logDir: string;
  /** How often a running child reports tracking. @default 250 */
  readonly trackingIntervalMs?: number;
  /** Time between the abort message and SIGINT. @default 5000 */
  readonly abortGraceMs?: number;
  /** Time between SIGINT and SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
  /** Receives every live snapshot (already masked). Must not throw. */
  readonly onTracking?: (runId: string, snapshot: TrackingSnapshot) => void;
  /** Environment of the children (TREFOIL_MASTER_PASSWORD decrypts `enc:v1:` values). @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
}

export class ChildProcessExecutor implements RunExecutor {
  readonly #options: Required<Omit<ChildProcessExecutorOptions, 'onTracking'>> & Pick<ChildProcessExecutorOptions, 'onTracking'>;
  readonly #children = new Set<ChildProcess>();

  constructor(options: ChildProcessExecutorOptions) {
    this.#options = {
      trackingIntervalMs: 250,
      abortGraceMs: 5000,
      killGraceMs: 5000,
      environment: process.env,
      ...options,
    };
  }

  /** Child processes alive now. */
  get childCount(): number {
    return this.#children.size;
  }

  start(request: RunRequest): RunExecution {
    const options = this.#options;
    const logFile = runLogFile(options.logDir, request.runId);
    mkdirSync(options.logDir, { recursive: true });
    const redactor = runRedactor(request, options.environment);

    const child = fork(CLI_ENTRY, ['serve', RUN_WORKER_FLAG], {
      cwd: options.projectDir,
      env: options.environment,
      // NOTE: not the server's own execArgv (a test runner's loaders, --inspect ports).
      execArgv: [],
      // NOTE: a process group of its own, so a Ctrl+C in the server's terminal (or a signal to
      // the server's group) does not abort runs the server means to let finish; the server
      // decides. A server that dies anyway closes the IPC channel, and the child then aborts.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#children.add(child);

    let ready = false;
    let result: RunOutcome | undefined;
    let lastTracking: TrackingSnapshot | undefined;
    let abortReason: string | undefined;
    let spawnError: Error | undefined;
    const timers: NodeJS.Timeout[] = [];
    let stderrTail = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });

    const send = (message: ToRunWorker): void => {
      if (child.connected) child.send(message, (error) => void error); // a child that just died is handled by 'close'
    };

    child.on('message', (message: FromRunWorker) => {
      if (message.type === 'ready') {
        ready = true;
        send({ type: 'run', request, logFile, projectDir: options.projectDir, trackingIntervalMs: options.trackingIntervalMs });
        if (abortReason !== undefined) send({ type: 'abort', reason: abortReason });
      } else if (message.type === 'tracking') {
        lastTracking = redactor.redactValue(message.snapshot);
        options.onTracking?.(request.runId, lastTracking);
      } else if (message.type === 'result') {
        result = message.outcome;
      }
    });
    child.on('error', (error) => {
      spawnError = error;
    });

    const done = new Promise<RunOutcome>((resolve) => {
      child.on('close', (code, signal) => {
        this.#children.delete(child);
        for (const timer of timers) clearTimeout(timer);
        if (result !== undefined) {
          resolve({
            ...result,
            ...(result.error ? { error: { ...result.error, message: redactor.redact(result.error.message) } } : {}),
            ...(result.tracking === undefined ? {} : { tracking: redactor.redactValue(result.tracking) }),
          });
          return;
        }
        const how = spawnError !== undefined ? `could not start: ${spawnError.message}` : signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        const output = redactor.redact(stderrTail.trim());
        const message =
          abortReason !== undefined
            ? `aborted (${abortReason}); the run's process ${how}`
            : `the run's process ${how} without reporting an outcome${output === '' ? '' : `: ${output}`}`;
        appendLogLine(logFile, { level: abortReason !== undefined ? 40 : 60, runId: request.runId, code: 'TREFOIL_ERR_SERVER_RUN_PROCESS', msg: message });
        resolve({
          status: abortReason !== undefined ? 'ABORTED' : 'ERROR',
          error: { message },
          ...(lastTracking === undefined ? {} : { tracking: lastTracking }),
          logFile,
        });
      });
    });

    return {
      done,
      abort: (reason = 'aborted on request') => {
        if (abortReason !== undefined || child.exitCode !== null || child.signalCode !== null) return;
        abortReason = reason;
        if (!ready) {
          // Still starting: nothing to clean up yet.
          child.kill('SIGKILL');
          return;
        }
        send({ type: 'abort', reason });
        timers.push(setTimeout(() => child.kill('SIGINT'), options.abortGraceMs));
        timers.push(setTimeout(() => child.kill('SIGKILL'), options.abortGraceMs + options.killGraceMs));
      },
    };
  }

  /** Kills every child at once (last resort when the server must exit now). */
  killAll(): void {
    for (const child of this.#children) child.kill('SIGKILL');
  }
}

/**
 * Secrets of a run the server knows before the child does: values of secure parameters and
 * the plain text of `enc:v1:` values (when the master password is available).
 */
function runRedactor(request: RunRequest, environment: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  const masterPassword = masterPasswordFromEnvironment(environment);
  for (const [name, value] of Object.entries(request.parameters)) {
    if (value === undefined || value === null) continue;
    if (request.secureParameterNames.includes(name)) redactor.add(String(value));
    if (isSecureValue(value)) {
      try {
        redactor.add(decryptSecureValue(value, masterPassword));
      } catch {
        // Undecryptable: the child reports that as an invalid graph; nothing to mask here.
      }
    }
  }
  return redactor;
}

function appendLogLine(file: string, fields: Record<string, unknown>): void {
  try {
    appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), ...fields }) + '\n');
  } catch {
    // The log is a convenience here; the outcome carries the message.
  }
}
