/**
 * The server's HTTP API (node:http, no framework). JSON everywhere; a refused request gets a
 * 4xx JSON body `{ "error": { "code": "TREFOIL_ERR_…", "message": "…" } }`, never a crash.
 * Mutating calls need `Authorization: Bearer <token>` (the token of `server.token`); reads are
 * open (the server listens on 127.0.0.1 unless configured otherwise).
 *
 * Routes (`:path` is a graph path relative to the project directory, e.g.
 * `graphs/examples/hello.yaml`; its slashes may be sent as they are or as `%2F`):
 *
 *   GET  /api/status                    server: version, start time, runs running/enqueued, limits
 *   GET  /api/graphs                    { graphs: [{ path, id, description, parameters: [{ name,
 *                                       description, type, default, required, secure }], valid,
 *                                       problems }] } — graph roots plus the triggers' graphs
 *   GET  /api/graphs/:path              one graph, as above
 *   GET  /api/graphs/:path/render       the graph as a picture; ?format=svg (default) | dot | mermaid
 *   GET  /api/schedules                 { schedules: [{ id, description, graph, timing, enabled,
 *                                       overlap, parameters, nextFireTime, nextFireTimes (5),
 *                                       lastFireTime, lastRunId, skippedFires }] }
 *   GET  /api/listeners                 { listeners: [{ id, description, graph, path, pattern,
 *                                       events, intervalMs, stableChecks, group, enabled, state
 *                                       (watching | stopped | disabled), overlap, parameters,
 *                                       lastCheckTime, nextCheckTime, lastEventTime, lastRunId,
 *                                       skippedEvents }] }
 *   GET  /api/runs                      { runs, total, limit, offset }, newest first; filters
 *                                       ?graph=PATH &status=ERROR,ABORTED &trigger=KIND[:ID]
 *                                       &triggerId=ID &since=ISO-TIME &limit=1..1000 (50) &offset=N
 *   GET  /api/runs/:id                  one run, with its tracking (live while it runs)
 *   GET  /api/runs/:id/tracking         { runId, status, live, tracking }
 *   GET  /api/runs/:id/render           the run's graph as a picture with its tracking (record count on
 *                                       every edge, status on every component, the failing one
 *                                       marked); ?format= as for graphs
 *   GET  /api/runs/:id/log              { runId, live, entries, nextOffset, more }: JSON log
 *                                       lines from ?offset=BYTES (ask again from nextOffset to follow)
 *   GET  /api/runs/:id/events           Server-Sent Events: `status` (the run), `tracking` (live
 *                                       snapshots, every ~250 ms) until the run ends, then `end`
 *                                       (the run with its final tracking) and the stream closes;
 *                                       for a run that already ended, `end` at once
 *   POST /api/runs                      { graph: PATH, parameters?: { NAME: value } } → 202
 *                                       { runId, status, graph } and Location: /api/runs/:id
 *   POST /api/runs/:id/abort            → 202 { runId, status, aborting: true }; 409 when it ended
 *
 *   GET  /, /ui/*                       the web UI's files (engine/server/ui/), when present
 *
 * Status codes: 400 bad input, 401 missing or wrong token, 403 no token configured, 404 unknown
 * route/graph/run, 405 wrong method (with Allow), 409 run already ended, 413 body too large,
 * 503 shutting down.
 */
import { standInParameters } from '../params/stand-in-parameters.ts';
import { timingSafeEqual, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ErrorCode } from '../errors/registry.ts';
import { PARAMETER_NAME, type ParameterScalar } from '../params/parameter-types.ts';
import type { RenderFormat } from '../render/render-format.ts';
import type { RenderModel } from '../render/render-model.ts';
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import type { GraphCatalog, GraphInfo } from './graph-catalog.ts';
import { ApiError, readJsonObject, sendError, sendJson } from './http-json.ts';
import type { LiveRuns } from './live-runs.ts';
import { readRunLog, runLogFile } from './run-log.ts';
import { MASKED_VALUE, type RunHistory, type RunListFilter, type RunRecord } from './run-history.ts';
import { RUN_STATUSES, type RunStatus, type TriggerKind } from './run-types.ts';
import { serveUiFile } from './static-files.ts';

/** A schedule as `GET /api/schedules` shows it. */
export interface ScheduleView {
  readonly id: string;
  readonly description: string | null;
  readonly graph: string;
  /** `every 5m`, `cron 0 * * * *`, `at 2026-…`. */
  readonly timing: string;
  readonly enabled: boolean;
  readonly overlap: string;
  readonly parameters: Record<string, unknown>;
  readonly nextFireTime: string | null;
  readonly nextFireTimes: readonly string[];
  readonly lastFireTime: string | null;
  readonly lastRunId: string | null;
  readonly skippedFires: number;
}

/** A file listener as `GET /api/listeners` shows it. */
export interface ListenerView {
  readonly id: string;
  readonly description: string | null;
  readonly graph: string;
  readonly path: string;
  readonly pattern: string;
  readonly recursive: boolean;
  readonly events: readonly string[];
  readonly intervalMs: number;
  readonly stableChecks: number;
  readonly group: boolean;
  readonly enabled: boolean;
  readonly state: 'watching' | 'stopped' | 'disabled';
  readonly overlap: string;
  readonly parameters: Record<string, unknown>;
  readonly lastCheckTime: string | null;
  readonly nextCheckTime: string | null;
  readonly lastEventTime: string | null;
  readonly lastRunId: string | null;
  readonly skippedEvents: number;
}

/** What the API needs from the server. */
export interface ServerApiBackend {
  readonly catalog: GraphCatalog;
  readonly history: RunHistory;
  readonly liveRuns: LiveRuns;
  /** Directory of run logs (`<dataDir>/logs`). */
  readonly logDir: string;
  /** Folder of the web UI's files. */
  readonly uiDir: string;
  /** The bearer token; null when none is configured (mutating calls are then refused). */
  readonly token: string | null;
  status(): Record<string, unknown>;
  schedules(): ScheduleView[];
  listeners(): ListenerView[];
  /**
   * Enqueues a run of an absolute graph file (one of the catalog's) for the API.
   * @throws ApiError 503 while shutting down.
   */
  startRun(graphFile: string, parameters: Readonly<Record<string, ParameterScalar>>): string;
  /** Asks an enqueued or running run to stop; false when it is not active. */
  abortRun(runId: string): boolean;
}

interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly backend: ServerApiBackend;
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  /** Needs the bearer token. */
  readonly mutating?: boolean;
  handle(exchange: Exchange, parameters: readonly string[]): Promise<void> | void;
}

/** Keep-alive comments on an idle event stream, so proxies and browsers do not time it out. */
const SSE_HEARTBEAT_MS = 15_000;
const TRIGGER_KINDS: readonly TriggerKind[] = ['schedule', 'listener', 'api', 'manual'];

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/api\/status$/, handle: ({ response, backend }) => sendJson(response, 200, backend.status()) },
  {
    method: 'GET',
    pattern: /^\/api\/graphs$/,
    handle: async ({ response, backend }) => sendJson(response, 200, { graphs: (await backend.catalog.list()).map(presentGraph) }),
  },
  { method: 'GET', pattern: /^\/api\/graphs\/(.+)\/render$/, handle: renderGraph },
  {
    method: 'GET',
    pattern: /^\/api\/graphs\/(.+)$/,
    handle: async ({ response, backend }, [path]) => {
      const info = await backend.catalog.describe(graphFile(backend, path!));
      if (info === undefined) throw graphNotFound(path!);
      sendJson(response, 200, presentGraph(info));
    },
  },
  { method: 'GET', pattern: /^\/api\/schedules$/, handle: ({ response, backend }) => sendJson(response, 200, { schedules: backend.schedules() }) },
  { method: 'GET', pattern: /^\/api\/listeners$/, handle: ({ response, backend }) => sendJson(response, 200, { listeners: backend.listeners() }) },
  { method: 'GET', pattern: /^\/api\/runs$/, handle: listRuns },
  { method: 'POST', pattern: /^\/api\/runs$/, mutating: true, handle: startRun },
  { method: 'GET', pattern: /^\/api\/runs\/([^/]+)$/, handle: ({ response, backend }, [runId]) => sendJson(response, 200, presentRun(backend, knownRun(backend, runId!), true)) },
  {
    method: 'GET',
    pattern: /^\/api\/runs\/([^/]+)\/tracking$/,
    handle: ({ response, backend }, [runId]) => {
      const record = knownRun(backend, runId!);
      const live = backend.liveRuns.has(record.runId);
      sendJson(response, 200, { runId: record.runId, status: record.status, live, tracking: trackingOf(backend, record) ?? null });
    },
  },
  { method: 'GET', pattern: /^\/api\/runs\/([^/]+)\/render$/, handle: renderRun },
  { method: 'GET', pattern: /^\/api\/runs\/([^/]+)\/log$/, handle: runLog },
  { method: 'GET', pattern: /^\/api\/runs\/([^/]+)\/events$/, handle: runEvents },
  { method: 'POST', pattern: /^\/api\/runs\/([^/]+)\/abort$/, mutating: true, handle: abortRun },
];

/**
 * The server's request handler: the API routes, then the UI's files. Never throws; unexpected
 * failures are logged and answered with 500 JSON.
 */
export function createApiHandler(backend: ServerApiBackend, logger: Logger): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(request, response, backend).catch((error: unknown) => {
      if (!(error instanceof ApiError)) logger.error({ err: error, method: request.method, url: request.url }, 'API request failed');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendError(
        response,
        error instanceof ApiError ? error : new ApiError(500, 'TREFOIL_ERR_SERVER_API_REQUEST', `internal error: ${(error as Error)?.message ?? String(error)}`),
      );
    });
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, backend: ServerApiBackend): Promise<void> {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://localhost');
  } catch {
    throw new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', 'malformed request URL');
  }
  const { pathname } = url;
  if (!pathname.startsWith('/api/')) {
    if (await serveUiFile(request, response, pathname, backend.uiDir)) return;
    if (pathname === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      sendJson(response, 200, { name: 'trefoil', ui: false, api: ['/api/status', '/api/graphs', '/api/schedules', '/api/listeners', '/api/runs'] });
      return;
    }
    throw new ApiError(404, 'TREFOIL_ERR_SERVER_API_ROUTE', `no such page: ${pathname}`);
  }
  const matching = ROUTES.filter((route) => route.pattern.test(pathname));
  const route = matching.find((candidate) => candidate.method === request.method);
  if (route === undefined) {
    if (matching.length === 0) throw new ApiError(404, 'TREFOIL_ERR_SERVER_API_ROUTE', `no API route ${pathname}`);
    const allowed = [...new Set(matching.map((candidate) => candidate.method))].join(', ');
    throw new ApiError(405, 'TREFOIL_ERR_SERVER_API_ROUTE', `${pathname} takes ${allowed}, not ${request.method}`, { allow: allowed });
  }
  if (route.mutating) authorize(request, backend.token);
  const parameters = route.pattern.exec(pathname)!.slice(1).map(decodeSegment);
  await route.handle({ request, response, url, backend }, parameters);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', `malformed percent-encoding in ${JSON.stringify(segment)}`);
  }
}

/** Compares tokens in constant time (hashes first, so lengths do not leak either). */
function authorize(request: IncomingMessage, token: string | null): void {
  const challenge = { 'www-authenticate': 'Bearer realm="trefoil"' };
  if (token === null) {
    throw new ApiError(403, 'TREFOIL_ERR_SERVER_API_UNAUTHORIZED', 'no API token is configured (server.token in the server config), so this call is refused');
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
  if (match === null) throw new ApiError(401, 'TREFOIL_ERR_SERVER_API_UNAUTHORIZED', 'this call needs an Authorization: Bearer <token> header', challenge);
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(match[1]!), digest(token))) {
    throw new ApiError(401, 'TREFOIL_ERR_SERVER_API_UNAUTHORIZED', 'the bearer token is wrong', challenge);
  }
}

function badRequest(message: string): ApiError {
  return new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', message);
}

function graphNotFound(path: string): ApiError {
  return new ApiError(404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND', `no graph ${JSON.stringify(path)} in this project (see GET /api/graphs)`);
}

function graphFile(backend: ServerApiBackend, path: string): string {
  const file = backend.catalog.resolveGraph(path);
  if (file === undefined) throw graphNotFound(path);
  return file;
}

function knownRun(backend: ServerApiBackend, runId: string): RunRecord {
  const record = backend.history.get(runId);
  if (record === undefined) throw new ApiError(404, 'TREFOIL_ERR_SERVER_RUN_NOT_FOUND', `no run ${JSON.stringify(runId)}`);
  return record;
}

function presentGraph(info: GraphInfo): Omit<GraphInfo, 'file'> {
  const { file: _file, ...shown } = info;
  return shown;
}

function trackingOf(backend: ServerApiBackend, record: RunRecord): TrackingSnapshot | undefined {
  return backend.liveRuns.tracking(record.runId) ?? (record.tracking as TrackingSnapshot | null) ?? undefined;
}

/** A run as the API shows it (parameters are masked by the history already). */
function presentRun(backend: ServerApiBackend, record: RunRecord, withTracking: boolean): Record<string, unknown> {
  const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
  const end = record.finishedAt ?? (record.startedAt === null ? null : new Date());
  return {
    runId: record.runId,
    graph: backend.catalog.pathOf(record.graph),
    trigger: record.trigger,
    parameters: record.parameters,
    status: record.status,
    enqueuedAt: iso(record.enqueuedAt),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
    durationMs: record.startedAt === null || end === null ? null : end.getTime() - record.startedAt.getTime(),
    failingComponent: record.failingComponent,
    failingComponentType: record.failingComponentType,
    recordNo: record.recordNo,
    message: record.message,
    ...(withTracking ? { tracking: trackingOf(backend, record) ?? null } : {}),
  };
}

async function renderGraph({ response, url, backend }: Exchange, [path]: readonly string[]): Promise<void> {
  const file = graphFile(backend, path!);
  const format = await pictureFormat(url);
  // Loaded on first use: the renderer pulls in elkjs, which most servers never need.
  const { graphModel } = await import('../cli/render-command.ts');
  const { model } = await graphModel(file, await drawingParameters(backend, file, {}));
  await sendPicture(response, model, format);
}

/**
 * A run's picture: the graph as the run loaded it (its recorded parameters, secure ones left to
 * stand-ins) with the run's tracking. Every edge carries a record count and every component a
 * status from the start (0 and READY before the first snapshot), so a client can update the
 * picture in place from the live tracking.
 */
async function renderRun({ response, url, backend }: Exchange, [runId]: readonly string[]): Promise<void> {
  const record = knownRun(backend, runId!);
  const format = await pictureFormat(url);
  const [{ graphModel }, { renderModelFromPlan }, { loadGraph }, { GraphValidationError }] = await Promise.all([
    import('../cli/render-command.ts'),
    import('../render/graph-render-model.ts'),
    import('../run-graph.ts'),
    import('../loader/problems.ts'),
  ]);
  if (!existsSync(record.graph)) throw new ApiError(404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND', `the graph file of run ${record.runId} no longer exists: ${backend.catalog.pathOf(record.graph)}`);
  const parameters = await drawingParameters(backend, record.graph, record.parameters);
  let model: RenderModel;
  try {
    const plan = await loadGraph(record.graph, { parameters, projectDir: backend.catalog.projectDir });
    model = renderModelFromPlan(plan, trackingOf(backend, record));
    for (const edge of model.edges) edge.records ??= 0;
    for (const node of model.nodes) if (node.enabled) node.status ??= 'READY';
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    ({ model } = await graphModel(record.graph, parameters)); // changed since the run: drawn with its problems
  }
  await sendPicture(response, model, format);
}

async function pictureFormat(url: URL): Promise<RenderFormat> {
  const { isRenderFormat, RENDER_FORMATS } = await import('../render/render-format.ts');
  const format = url.searchParams.get('format') ?? 'svg';
  if (!isRenderFormat(format)) throw badRequest(`format must be one of ${RENDER_FORMATS.join(', ')}`);
  return format;
}

async function sendPicture(response: ServerResponse, model: RenderModel, format: RenderFormat): Promise<void> {
  const { renderGraphAs } = await import('../render/index.ts');
  const picture = await renderGraphAs(model, format);
  const type = format === 'svg' ? 'image/svg+xml; charset=utf-8' : format === 'dot' ? 'text/vnd.graphviz; charset=utf-8' : 'text/plain; charset=utf-8';
  response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(picture), 'cache-control': 'no-store' });
  response.end(picture);
}

/**
 * Parameter values to draw a graph with: `given` (values equal to the mask left out) on top of
 * stand-ins for declared parameters without a default (see stand-in-parameters.ts); without them
 * a graph that needs a token would be drawn as invalid.
 */
async function drawingParameters(backend: ServerApiBackend, file: string, given: Readonly<Record<string, unknown>>): Promise<Record<string, string>> {
  const parameters: Record<string, string> = {};
  const declared = (await backend.catalog.describe(file))?.parameters ?? [];
  for (const [name, value] of Object.entries(standInParameters(declared))) parameters[name] = String(value);
  for (const [name, value] of Object.entries(given)) {
    if (value !== MASKED_VALUE && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) parameters[name] = String(value);
  }
  return parameters;
}

function listRuns({ response, url, backend }: Exchange): void {
  const query = url.searchParams;
  const known = new Set(['graph', 'status', 'trigger', 'triggerId', 'since', 'limit', 'offset']);
  for (const name of query.keys()) if (!known.has(name)) throw badRequest(`unknown filter ${JSON.stringify(name)} (known: ${[...known].join(', ')})`);
  const filter: { -readonly [K in keyof RunListFilter]: RunListFilter[K] } = {};
  const graph = query.get('graph');
  if (graph !== null) filter.graph = resolve(backend.catalog.projectDir, graph); // history keeps absolute paths
  const status = query.get('status');
  if (status !== null) {
    const statuses = status.split(',').map((value) => value.trim().toUpperCase());
    const unknown = statuses.filter((value) => !(RUN_STATUSES as readonly string[]).includes(value));
    if (unknown.length > 0) throw badRequest(`unknown status ${unknown.join(', ')} (known: ${RUN_STATUSES.join(', ')})`);
    filter.status = statuses as RunStatus[];
  }
  const trigger = query.get('trigger');
  if (trigger !== null) {
    const [kind, id] = trigger.split(/:(.*)/s) as [string, string | undefined];
    if (!(TRIGGER_KINDS as readonly string[]).includes(kind)) throw badRequest(`trigger must be one of ${TRIGGER_KINDS.join(', ')} (optionally KIND:ID), got ${JSON.stringify(trigger)}`);
    filter.triggerKind = kind as TriggerKind;
    if (id !== undefined && id !== '') filter.triggerId = id;
  }
  const triggerId = query.get('triggerId');
  if (triggerId !== null) filter.triggerId = triggerId;
  const since = query.get('since');
  if (since !== null) {
    const time = Date.parse(since);
    if (Number.isNaN(time)) throw badRequest(`since must be an ISO-8601 time, got ${JSON.stringify(since)}`);
    filter.since = new Date(time);
  }
  filter.limit = integerQuery(query, 'limit', 1, 1000) ?? 50;
  filter.offset = integerQuery(query, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const page = backend.history.list(filter);
  sendJson(response, 200, { runs: page.runs.map((record) => presentRun(backend, record, false)), total: page.total, limit: page.limit, offset: page.offset });
}

function integerQuery(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw badRequest(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

async function startRun({ request, response, backend }: Exchange): Promise<void> {
  const body = await readJsonObject(request);
  for (const key of Object.keys(body)) if (key !== 'graph' && key !== 'parameters') throw badRequest(`unknown field ${JSON.stringify(key)}; a run takes graph and parameters`);
  if (typeof body.graph !== 'string' || body.graph === '') throw badRequest('graph must be the path of a graph file (see GET /api/graphs)');
  const parameters: Record<string, ParameterScalar> = {};
  if (body.parameters !== undefined) {
    if (body.parameters === null || typeof body.parameters !== 'object' || Array.isArray(body.parameters)) {
      throw badRequest('parameters must be an object of NAME: value');
    }
    for (const [name, value] of Object.entries(body.parameters as Record<string, unknown>)) {
      if (!PARAMETER_NAME.test(name)) throw badRequest(`parameter name ${JSON.stringify(name)} is invalid: use letters, digits and underscores`);
      if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
        throw badRequest(`parameter ${name} must be a string, number or boolean`);
      }
      parameters[name] = value;
    }
  }
  const file = graphFile(backend, body.graph);
  const runId = backend.startRun(file, parameters);
  sendJson(response, 202, { runId, status: 'ENQUEUED', graph: backend.catalog.pathOf(file) }, { location: `/api/runs/${runId}` });
}

function abortRun({ response, backend }: Exchange, [runId]: readonly string[]): void {
  const record = knownRun(backend, runId!);
  if (!backend.abortRun(record.runId)) {
    const code: ErrorCode = 'TREFOIL_ERR_SERVER_RUN_FINISHED';
    throw new ApiError(409, code, `run ${record.runId} has already ended (${backend.history.get(record.runId)?.status ?? record.status})`);
  }
  sendJson(response, 202, { runId: record.runId, status: backend.history.get(record.runId)?.status ?? record.status, aborting: true });
}

async function runLog({ response, url, backend }: Exchange, [runId]: readonly string[]): Promise<void> {
  const record = knownRun(backend, runId!);
  const offset = integerQuery(url.searchParams, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const page = await readRunLog(record.logFile ?? runLogFile(backend.logDir, record.runId), offset);
  sendJson(response, 200, { runId: record.runId, live: backend.liveRuns.has(record.runId), ...page });
}

function runEvents({ request, response, backend }: Exchange, [runId]: readonly string[]): void {
  const record = knownRun(backend, runId!);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (event: string, data: unknown): void => {
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const current = (): RunRecord => backend.history.get(record.runId) ?? record;
  let heartbeat: NodeJS.Timeout | undefined;
  const stopWatching = backend.liveRuns.watch(record.runId, (event) => {
    if (event.type === 'tracking') send('tracking', event.tracking);
    else if (event.type === 'status') send('status', presentRun(backend, current(), false));
    else {
      send('end', presentRun(backend, current(), true));
      finish();
    }
  });
  const finish = (): void => {
    clearInterval(heartbeat);
    stopWatching?.();
    response.end();
  };
  if (stopWatching === undefined) {
    send('end', presentRun(backend, record, true));
    response.end();
    return;
  }
  send('status', presentRun(backend, record, false));
  const tracking = backend.liveRuns.tracking(record.runId);
  if (tracking !== undefined) send('tracking', tracking);
  heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  request.on('close', () => {
    clearInterval(heartbeat);
    stopWatching();
  });
}
