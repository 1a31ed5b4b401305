/**
 * `trefoil serve` (SPEC §9; CloverDX Server's Scheduling, File Event Listeners and Execution
 * History in one process):
 *
 *   schedules (Scheduler) ──fire──┐                         ┌──▶ RunHistory (SQLite, dataDir)
 *   file listeners ──────event────┼──▶ RunQueue (overlap, ──┤
 *   POST /api/runs ───────────────┘    maxConcurrentRuns)   └──▶ LiveRuns (tracking, SSE)
 *                                          │
 *                                          ▼
 *                              ChildProcessExecutor: one process per run
 *
 * Start: creates `dataDir`, opens the history (runs a previous server left ENQUEUED or RUNNING
 * become UNKNOWN), applies retention, listens (HTTP API, server-api.ts), then arms schedules
 * and listeners. Stop (SIGTERM/SIGINT): no more triggers or API runs, enqueued runs are
 * aborted, running runs may finish until the shutdown timeout, then they are aborted too.
 *
 * Secure values: a run's parameters are recorded with the graph's secure parameters (and any
 * `enc:v1:` value) masked; the run's process masks its log, messages and tracking; the API
 * reads only the history and masked live snapshots.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { TrefoilError } from '../errors/trefoil-error.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { ParameterScalar } from '../params/parameter-types.ts';
import { createRunLogger } from '../runtime/run-logger.ts';
import { ChildProcessExecutor } from './child-process-executor.ts';
import { systemClock, type Clock } from './clock.ts';
import { FileListener, type FileEvent } from './file-listener.ts';
import { GraphCatalog } from './graph-catalog.ts';
import { ApiError } from './http-json.ts';
import { LiveRuns } from './live-runs.ts';
import { maskSecureParameters, RunHistory } from './run-history.ts';
import { runLogDirectory } from './run-log.ts';
import { RunQueue, type SubmitResult } from './run-queue.ts';
import type { OverlapPolicy, RunExecutor, RunSnapshot, RunTrigger } from './run-types.ts';
import { nextFireTimes, scheduleEventParameters } from './schedule.ts';
import { Scheduler, type ScheduleFire } from './scheduler.ts';
import { createApiHandler, type ListenerView, type ScheduleView, type ServerApiBackend } from './server-api.ts';
import { resolveServerToken, type ListenerConfig, type ScheduleConfig, type ServerConfig, type TriggerConfig } from './server-config.ts';
import { expandTriggerParameters } from './trigger-parameters.ts';

export interface TrefoilServerOptions {
  readonly config: ServerConfig;
  /** PROJECT_DIR: the runs' working directory; API graph paths are relative to it. @default process.cwd() */
  readonly projectDir?: string;
  /** The server's own log. @default pino to stderr (pretty on a terminal), level info */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Runs graphs. @default a ChildProcessExecutor */
  readonly executor?: RunExecutor;
  /** For the API token and the runs' processes. @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
  /** How often a run reports live tracking. @default 250 */
  readonly trackingIntervalMs?: number;
  /** Abort message → SIGINT. @default 5000 */
  readonly abortGraceMs?: number;
  /** SIGINT → SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
  /** How long a stop lets running runs finish before aborting them. @default 30000 */
  readonly shutdownTimeoutMs?: number;
  /** Folder of the web UI's files. @default engine/server/ui */
  readonly uiDir?: string;
}

/** What a trigger did lately, for the listings. */
interface TriggerActivity {
  lastTime: Date | null;
  lastRunId: string | null;
  skipped: number;
}

const RETENTION_EVERY_MS = 60 * 60 * 1000;

export class TrefoilServer implements ServerApiBackend {
  readonly config: ServerConfig;
  readonly projectDir: string;
  readonly logger: Logger;
  readonly history: RunHistory;
  readonly liveRuns: LiveRuns;
  readonly queue: RunQueue;
  readonly catalog: GraphCatalog;
  readonly logDir: string;
  readonly uiDir: string;
  readonly token: string | null;
  readonly startedAt = new Date();

  readonly #clock: Clock;
  readonly #executor: RunExecutor;
  readonly #scheduler: Scheduler;
  readonly #schedules = new Map<string, ScheduleConfig>();
  readonly #listeners = new Map<string, { readonly config: ListenerConfig; readonly listener: FileListener; lastError: string | null }>();
  readonly #activity = new Map<string, TriggerActivity>();
  readonly #http: Server;
  readonly #shutdownTimeoutMs: number;
  #retentionTimer: NodeJS.Timeout | undefined;
  #accepting = true;
  #stopping: Promise<void> | undefined;

  private constructor(options: TrefoilServerOptions, history: RunHistory, token: string | null) {
    const { config } = options;
    this.config = config;
    this.projectDir = options.projectDir ?? process.cwd();
    this.logger = options.logger ?? createRunLogger({ level: 'info' }, (text) => text, { name: 'trefoil-server' });
    this.history = history;
    this.token = token;
    this.logDir = runLogDirectory(config.server.dataDir);
    this.uiDir = options.uiDir ?? join(PACKAGE_ROOT, 'engine', 'server', 'ui');
    this.#clock = options.clock ?? systemClock;
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
    this.liveRuns = new LiveRuns((error) => this.logger.warn({ err: error }, 'a run watcher failed'));
    this.catalog = new GraphCatalog({
      projectDir: this.projectDir,
      roots: config.server.graphRoots,
      graphs: [...config.schedules, ...config.listeners].map((trigger) => trigger.graph),
    });
    this.#executor =
      options.executor ??
      new ChildProcessExecutor({
        projectDir: this.projectDir,
        logDir: this.logDir,
        environment: options.environment ?? process.env,
        ...(options.trackingIntervalMs === undefined ? {} : { trackingIntervalMs: options.trackingIntervalMs }),
        ...(options.abortGraceMs === undefined ? {} : { abortGraceMs: options.abortGraceMs }),
        ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
        onTracking: (runId, snapshot) => this.liveRuns.trackingChanged(runId, snapshot),
      });
    this.queue = new RunQueue({
      executor: this.#executor,
      maxConcurrentRuns: config.server.maxConcurrentRuns,
      clock: this.#clock,
      onChange: (snapshot) => this.#runChanged(snapshot),
      onObserverError: (error, snapshot) => this.logger.error({ err: error, runId: snapshot.request.runId }, `recording run status ${snapshot.status} failed`),
    });
    this.#scheduler = new Scheduler({
      clock: this.#clock,
      onFire: (fire) => this.#scheduleFired(fire),
      onError: (error, schedule) => this.logger.error({ err: error, schedule: schedule.id }, 'schedule fire failed'),
    });
    for (const schedule of config.schedules) {
      this.#schedules.set(schedule.id, schedule);
      this.#scheduler.add(schedule.schedule);
    }
    for (const listenerConfig of config.listeners) {
      const entry = {
        config: listenerConfig,
        lastError: null as string | null,
        listener: new FileListener(listenerConfig.listener, {
          clock: this.#clock,
          onEvent: (event) => this.#fileEvent(listenerConfig, event),
          onError: (error) => {
            // A missing directory fails every check: say so once, not every interval.
            const message = error instanceof Error ? error.message : String(error);
            if (message === entry.lastError) return;
            entry.lastError = message;
            this.logger.warn({ listener: listenerConfig.id }, `file listener ${listenerConfig.id}: ${message}`);
          },
        }),
      };
      this.#listeners.set(listenerConfig.id, entry);
    }
    this.#http = createServer(createApiHandler(this, this.logger));
  }

  /**
   * Starts a server: history, HTTP API, schedules and listeners.
   * @throws TrefoilError TREFOIL_ERR_SERVER_HISTORY_OPEN / _VERSION, TREFOIL_ERR_SERVER_TOKEN,
   *   TREFOIL_ERR_SERVER_LISTEN.
   */
  static async start(options: TrefoilServerOptions): Promise<TrefoilServer> {
    const { config } = options;
    const token = config.server.token === null ? null : resolveServerToken(config.server.token, options.environment ?? process.env);
    const history = RunHistory.open(config.server.dataDir);
    let server: TrefoilServer;
    try {
      server = new TrefoilServer(options, history, token);
      const interrupted = history.markInterruptedRunsUnknown(new Date(server.#clock.now()));
      if (interrupted > 0) server.logger.warn(`${interrupted} run(s) were active when the server last stopped; marked UNKNOWN`);
      if (token === null) server.logger.warn('no API token configured (server.token): the API is read-only');
      await server.#applyRetention();
      await server.#listen();
    } catch (error) {
      history.close();
      throw error;
    }
    server.#retentionTimer = setInterval(() => void server.#applyRetention(), RETENTION_EVERY_MS).unref();
    server.#scheduler.start();
    await Promise.all([...server.#listeners.values()].filter((entry) => entry.config.enabled).map((entry) => entry.listener.start()));
    server.logger.info({ url: server.url, schedules: config.schedules.length, listeners: config.listeners.length }, `trefoil server listening on ${server.url}`);
    return server;
  }

  /** The port listened on (the real one when the config says 0). */
  get port(): number {
    return (this.#http.address() as AddressInfo).port;
  }

  /** `http://host:port` of the API. */
  get url(): string {
    const host = this.config.server.host.includes(':') ? `[${this.config.server.host}]` : this.config.server.host;
    return `http://${host}:${this.port}`;
  }

  /** True once `stop()` was called. */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /**
   * Graceful stop: triggers stop, the API refuses new runs, enqueued runs are aborted, running
   * runs may finish until `timeoutMs` and are aborted after; then the HTTP server and the
   * history close. Calling it again returns the same promise.
   */
  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#shutDown(options.timeoutMs ?? this.#shutdownTimeoutMs);
    return this.#stopping;
  }

  /** Aborts every active run now (a second Ctrl+C while stopping). */
  abortAllRuns(reason = 'the server is shutting down'): void {
    this.queue.abortAll(reason);
  }

  // ---- ServerApiBackend ----

  status(): Record<string, unknown> {
    const active = this.queue.activeRuns();
    return {
      name: 'trefoil',
      version: packageVersion(),
      startedAt: this.startedAt.toISOString(),
      projectDir: this.projectDir,
      maxConcurrentRuns: this.config.server.maxConcurrentRuns,
      running: active.filter((run) => run.status === 'RUNNING').length,
      enqueued: active.filter((run) => run.status === 'ENQUEUED').length,
      schedules: this.config.schedules.length,
      listeners: this.config.listeners.length,
      acceptingRuns: this.#accepting,
      readOnly: this.token === null,
    };
  }

  schedules(): ScheduleView[] {
    return this.#scheduler.states().map(({ schedule, enabled, nextFireTime }) => {
      const config = this.#schedules.get(schedule.id)!;
      const activity = this.#activity.get(activityKey('schedule', schedule.id));
      const upcoming = nextFireTime === null ? [] : [nextFireTime, ...nextFireTimes(schedule, 4, nextFireTime)];
      return {
        id: schedule.id,
        description: config.description ?? null,
        graph: this.catalog.pathOf(config.graph),
        timing: schedule.description,
        enabled,
        overlap: config.overlap,
        parameters: this.#maskedTriggerParameters(config),
        nextFireTime: nextFireTime?.toISOString() ?? null,
        nextFireTimes: upcoming.map((time) => time.toISOString()),
        lastFireTime: activity?.lastTime?.toISOString() ?? null,
        lastRunId: activity?.lastRunId ?? null,
        skippedFires: activity?.skipped ?? 0,
      };
    });
  }

  listeners(): ListenerView[] {
    return [...this.#listeners.values()].map(({ config, listener }) => {
      const activity = this.#activity.get(activityKey('listener', config.id));
      const options = config.listener;
      return {
        id: config.id,
        description: config.description ?? null,
        graph: this.catalog.pathOf(config.graph),
        path: listener.directory,
        pattern: options.pattern ?? '*',
        recursive: options.recursive ?? false,
        events: [...(options.events ?? ['added'])],
        intervalMs: options.intervalMs,
        stableChecks: options.stableChecks ?? 0,
        group: options.group ?? false,
        enabled: config.enabled,
        state: !config.enabled ? 'disabled' : listener.running ? 'watching' : 'stopped',
        overlap: config.overlap,
        parameters: this.#maskedTriggerParameters(config),
        lastCheckTime: listener.lastCheckTime?.toISOString() ?? null,
        nextCheckTime: listener.nextCheckTime?.toISOString() ?? null,
        lastEventTime: activity?.lastTime?.toISOString() ?? null,
        lastRunId: activity?.lastRunId ?? null,
        skippedEvents: activity?.skipped ?? 0,
      };
    });
  }

  startRun(graphFile: string, parameters: Readonly<Record<string, ParameterScalar>>): string {
    if (!this.#accepting) throw new ApiError(503, 'TREFOIL_ERR_SERVER_API_REQUEST', 'the server is shutting down and starts no more runs');
    const result = this.#submit({ kind: 'api' }, graphFile, parameters, 'parallel');
    if (!result.accepted) throw new Error('unreachable: parallel runs are always accepted');
    return result.runId;
  }

  abortRun(runId: string): boolean {
    return this.queue.abort(runId, 'aborted through the API');
  }

  // ---- internals ----

  #submit(trigger: RunTrigger, graph: string, parameters: Readonly<Record<string, unknown>>, overlap: OverlapPolicy, paramsFiles: readonly string[] = []): SubmitResult {
    return this.queue.submit({ graph, parameters, paramsFiles, secureParameterNames: this.catalog.secureParameterNames(graph), trigger, overlap });
  }

  #scheduleFired(fire: ScheduleFire): void {
    const config = this.#schedules.get(fire.schedule.id)!;
    const parameters = expandTriggerParameters(config.parameters, scheduleEventParameters(config.id, fire.scheduledTime));
    this.#triggered(config, 'schedule', this.#submit({ kind: 'schedule', id: config.id }, config.graph, parameters, config.overlap, config.params), new Date(fire.firedAt));
  }

  #fileEvent(config: ListenerConfig, event: FileEvent): void {
    const parameters = expandTriggerParameters(config.parameters, { ...event.parameters });
    this.#triggered(config, 'listener', this.#submit({ kind: 'listener', id: config.id }, config.graph, parameters, config.overlap, config.params), event.detectedAt);
  }

  #triggered(config: TriggerConfig, kind: 'schedule' | 'listener', result: SubmitResult, at: Date): void {
    const key = activityKey(kind, config.id);
    const activity = this.#activity.get(key) ?? { lastTime: null, lastRunId: null, skipped: 0 };
    this.#activity.set(key, activity);
    activity.lastTime = at;
    if (result.accepted) {
      activity.lastRunId = result.runId;
      this.logger.info({ runId: result.runId, [kind]: config.id }, `${kind} ${config.id} started run ${result.runId} of ${this.catalog.pathOf(config.graph)}`);
    } else {
      activity.skipped++;
      this.logger.info({ [kind]: config.id, activeRunId: result.activeRunId }, `${kind} ${config.id} skipped a run: run ${result.activeRunId} is still active (overlap: skip)`);
    }
  }

  #runChanged(snapshot: RunSnapshot): void {
    try {
      this.history.record(snapshot);
    } finally {
      // Even when recording failed (the queue reports that), watchers must hear the run end.
      this.liveRuns.statusChanged(snapshot);
    }
    const { runId } = snapshot.request;
    if (snapshot.status === 'FINISHED_OK') this.logger.info({ runId, status: snapshot.status }, `run ${runId} finished`);
    else if (snapshot.outcome !== undefined) {
      this.logger.warn({ runId, status: snapshot.status }, `run ${runId} ended ${snapshot.status}: ${this.history.get(runId)?.message ?? ''}`);
    }
  }

  #maskedTriggerParameters(config: TriggerConfig): Record<string, unknown> {
    return maskSecureParameters(config.parameters, this.catalog.secureParameterNames(config.graph));
  }

  async #applyRetention(): Promise<void> {
    const policy = this.config.server.retention;
    if (policy.maxAgeDays === undefined && policy.maxRuns === undefined) return;
    try {
      const result = await this.history.applyRetention(policy, new Date(this.#clock.now()));
      if (result.deletedRuns > 0) this.logger.info(result, `retention deleted ${result.deletedRuns} run(s)`);
    } catch (error) {
      this.logger.error({ err: error }, 'applying run history retention failed');
    }
  }

  #listen(): Promise<void> {
    const { host, port } = this.config.server;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          new TrefoilError(
            'TREFOIL_ERR_SERVER_LISTEN',
            `cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
            {},
            { cause: error },
          ),
        );
      };
      this.#http.once('error', onError);
      this.#http.listen(port, host, () => {
        this.#http.off('error', onError);
        resolve();
      });
    });
  }

  async #shutDown(timeoutMs: number): Promise<void> {
    this.#accepting = false;
    this.logger.info('stopping: no more schedules, file events or API runs');
    this.#scheduler.stop();
    for (const { listener } of this.#listeners.values()) listener.stop();
    clearInterval(this.#retentionTimer);
    for (const run of this.queue.activeRuns()) {
      if (run.status === 'ENQUEUED') this.queue.abort(run.request.runId, 'the server stopped before the run started');
    }
    const idle = this.queue.onIdle();
    if (this.queue.activeRuns().length > 0) {
      this.logger.info(`waiting up to ${timeoutMs} ms for ${this.queue.activeRuns().length} running run(s)`);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([idle.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        this.logger.warn('shutdown timeout: aborting the running runs');
        this.queue.abortAll('the server is shutting down');
        await idle;
      }
    }
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
    this.history.close();
    this.logger.info('server stopped');
  }
}

function activityKey(kind: 'schedule' | 'listener', id: string): string {
  return `${kind}\u0000${id}`;
}

let version: string | undefined;

function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
