/**
 * The `trefoil serve` config file (SPEC §9): parsed with positions, validated against
 * {@link SERVER_CONFIG_SCHEMA} (ajv), then checked for what a schema cannot say; every problem is
 * reported as FILE:LINE:COL CODE message, all at once. The result is typed, with defaults applied,
 * paths absolute and schedules compiled.
 *
 * ```yaml
 * server: { host: 127.0.0.1, port: 8080, dataDir: .trefoil, maxConcurrentRuns: 4, graphRoots: [graphs],
 *           retention: { maxAgeDays: 30, maxRuns: 10000 }, token: { env: TREFOIL_SERVER_TOKEN } }
 * schedules:
 *   - { id: sync, graph: graphs/dropbox/sync.yaml, every: 5m, overlap: skip }
 * listeners:
 *   - { id: outbox, path: ./outbox, pattern: "*.csv", events: [added, changed], stableChecks: 2,
 *       interval: 2s, graph: graphs/dropbox/chunked-upload.yaml,
 *       parameters: { LOCAL_FILE: "${EVENT_FILE_PATH}" } }
 * ```
 *
 * NOTE: relative paths (`graph`, `path`, `dataDir`, `graphRoots`, `paramsFile`) resolve against the working
 * directory (PROJECT_DIR), as file paths do everywhere in Trefoil, not against the config file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ErrorCode } from '../errors/registry.ts';
import { TrefoilError, isTrefoilError, type ErrorLocation } from '../errors/trefoil-error.ts';
import { formatProblem, Problems, type Problem, type ProblemPath } from '../loader/problems.ts';
import { checkSchema } from '../loader/schema-check.ts';
import { YamlSource } from '../loader/yaml-source.ts';
import { splitReferences } from '../params/parameter-references.ts';
import type { ParameterScalar } from '../params/parameter-types.ts';
import { readParamsFile } from '../params/params-file.ts';
import { masterPasswordFromEnvironment } from '../params/secure-value.ts';
import { compileFileNamePattern } from './file-name-pattern.ts';
import type { FileEventKind, FileListenerOptions } from './file-listener.ts';
import { parseInterval } from './parse-interval.ts';
import type { RetentionPolicy } from './run-history.ts';
import type { OverlapPolicy } from './run-types.ts';
import { compileSchedule, type Schedule, type ScheduleSpecLocations } from './schedule.ts';
import { SERVER_CONFIG_SCHEMA } from './server-config-schema.ts';

/** Where the API token comes from; the token itself is resolved by {@link resolveServerToken}. */
export type TokenSource = { readonly kind: 'env'; readonly variable: string } | { readonly kind: 'param'; readonly name: string; readonly paramsFile: string };

export interface ServerSettings {
  /** @default '127.0.0.1' */
  readonly host: string;
  /** @default 8080 */
  readonly port: number;
  /** Absolute; created by the server when missing. @default '.trefoil' */
  readonly dataDir: string;
  /** @default 4 */
  readonly maxConcurrentRuns: number;
  /** Absolute directories whose graphs the API lists and runs (besides the triggers' graphs). @default ['graphs'] */
  readonly graphRoots: readonly string[];
  /** @default {} (history kept forever) */
  readonly retention: RetentionPolicy;
  /** Null: no token configured, so the mutating API calls are refused. */
  readonly token: TokenSource | null;
}

/** What schedules and listeners share. */
export interface TriggerConfig {
  readonly id: string;
  readonly description?: string;
  /** Absolute path of the graph file. */
  readonly graph: string;
  /** As configured; `${EVENT_…}` references are expanded per event (see trigger-parameters.ts). */
  readonly parameters: Readonly<Record<string, ParameterScalar>>;
  /** Params files (absolute paths) every run of the trigger reads, as `--params`. */
  readonly params: readonly string[];
  readonly overlap: OverlapPolicy;
  readonly enabled: boolean;
  /** Position of the trigger in the config file. */
  readonly location: ErrorLocation;
}

export interface ScheduleConfig extends TriggerConfig {
  /** Compiled timing. `overlap` defaults to `skip`. */
  readonly schedule: Schedule;
}

export interface ListenerConfig extends TriggerConfig {
  /** Options for `new FileListener(...)`, `path` absolute. `overlap` defaults to `queue`. */
  readonly listener: FileListenerOptions;
}

export interface ServerConfig {
  /** The config file. */
  readonly file: string;
  readonly server: ServerSettings;
  readonly schedules: readonly ScheduleConfig[];
  readonly listeners: readonly ListenerConfig[];
}

/** An invalid server config: `problems` lists each positioned problem; the message has one line per problem. */
export class ServerConfigError extends TrefoilError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const first = problems[0]!;
    super(first.code, problems.map(formatProblem).join('\n'), { file: first.file, line: first.line, column: first.column });
    this.name = 'ServerConfigError';
    this.problems = problems;
  }
}

export interface ServerConfigOptions {
  /** Directory relative paths resolve against. @default process.cwd() */
  readonly baseDir?: string;
}

/** Defaults that are not obvious from the schema. */
const DEFAULT_LISTENER_INTERVAL = '10s';
const SCHEDULE_EVENT_PARAMETERS = new Set(['EVENT_SCHEDULE_ID', 'EVENT_SCHEDULE_TIME']);
const LISTENER_EVENT_PARAMETERS = new Set(['EVENT_FILE_PATH', 'EVENT_FILE_NAME', 'EVENT_FILE_URLS', 'EVENT_FILE_EVENT_TYPE', 'EVENT_FILE_LISTENER_ID']);
const GROUPED_LISTENER_EVENT_PARAMETERS = new Set(['EVENT_FILE_URLS', 'EVENT_FILE_EVENT_TYPE', 'EVENT_FILE_LISTENER_ID']);

/**
 * Reads and validates a server config file.
 * @throws ServerConfigError listing every problem (unreadable file, YAML, schema, semantics).
 */
export function loadServerConfig(file: string, options: ServerConfigOptions = {}): ServerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ServerConfigError([{ file, line: 1, column: 1, code: 'TREFOIL_ERR_SERVER_CONFIG_READ', message: `cannot read server config ${file}: ${reason}` }]);
  }
  return parseServerConfig(text, file, options);
}

/**
 * Validates config text (`file` names it in messages).
 * @throws ServerConfigError listing every problem.
 */
export function parseServerConfig(text: string, file: string, options: ServerConfigOptions = {}): ServerConfig {
  const baseDir = options.baseDir ?? process.cwd();
  const problems = new Problems();

  const syntax = new Problems();
  const source = YamlSource.parse(file, text, syntax);
  for (const problem of syntax.list) problems.add({ ...problem, code: 'TREFOIL_ERR_SERVER_CONFIG_YAML' });
  throwIfAny(problems);

  const raw = (source.value ?? {}) as RawConfig;
  for (const problem of checkSchema(SERVER_CONFIG_SCHEMA, raw)) {
    problems.add({ file, ...source.locate(problem.path, { key: problem.atKey }), code: 'TREFOIL_ERR_SERVER_CONFIG_SCHEMA', message: problem.message });
  }
  throwIfAny(problems);

  const at = (path: ProblemPath, key = false): ErrorLocation => ({ file, ...source.locate(path, { key }) });
  const report = (path: ProblemPath, code: ErrorCode, message: string, key = false): void => {
    problems.add({ file, ...source.locate(path, { key }), code, message });
  };
  /** Runs a check that throws TrefoilError; its problem is recorded at the error's location. */
  const collect = <T>(fallback: ProblemPath, check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!isTrefoilError(error)) throw error;
      const location = error.location.line === undefined ? at(fallback) : error.location;
      problems.add({ file, line: location.line!, column: location.column ?? 1, code: error.code, message: error.message });
      return undefined;
    }
  };

  const server = readServerSettings(raw.server ?? {}, baseDir, report);

  const schedules: ScheduleConfig[] = [];
  const seenSchedules = new Set<string>();
  (raw.schedules ?? []).forEach((spec, index) => {
    const path = ['schedules', index];
    checkUniqueId(spec.id, seenSchedules, 'schedule', [...path, 'id'], report);
    const locations: ScheduleSpecLocations = {
      id: at([...path, 'id']),
      every: at([...path, 'every']),
      cron: at([...path, 'cron']),
      at: at([...path, 'at']),
      timezone: at([...path, 'timezone']),
    };
    const schedule = collect(path, () => compileSchedule(spec, locations));
    const parameters = spec.parameters ?? {};
    checkEventReferences(parameters, SCHEDULE_EVENT_PARAMETERS, `schedule "${spec.id}"`, [...path, 'parameters'], report, 'a schedule provides EVENT_SCHEDULE_ID and EVENT_SCHEDULE_TIME');
    if (schedule === undefined) return;
    schedules.push({
      id: spec.id,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      graph: resolve(baseDir, spec.graph),
      parameters,
      params: (spec.params ?? []).map((file) => resolve(baseDir, file)),
      overlap: spec.overlap ?? 'skip',
      enabled: spec.enabled ?? true,
      location: at(path),
      schedule,
    });
  });

  const listeners: ListenerConfig[] = [];
  const seenListeners = new Set<string>();
  (raw.listeners ?? []).forEach((spec, index) => {
    const path = ['listeners', index];
    checkUniqueId(spec.id, seenListeners, 'listener', [...path, 'id'], report);
    const intervalMs = collect([...path, 'interval'], () => parseInterval(spec.interval ?? DEFAULT_LISTENER_INTERVAL, at([...path, 'interval'])));
    if (spec.pattern !== undefined) collect([...path, 'pattern'], () => compileFileNamePattern(spec.pattern!, at([...path, 'pattern'])));
    const group = spec.group ?? false;
    const parameters = spec.parameters ?? {};
    checkEventReferences(
      parameters,
      group ? GROUPED_LISTENER_EVENT_PARAMETERS : LISTENER_EVENT_PARAMETERS,
      `listener "${spec.id}"`,
      [...path, 'parameters'],
      report,
      group
        ? 'a grouped listener provides EVENT_FILE_URLS (";"-separated), EVENT_FILE_EVENT_TYPE and EVENT_FILE_LISTENER_ID, not EVENT_FILE_PATH or EVENT_FILE_NAME'
        : 'a listener provides EVENT_FILE_PATH, EVENT_FILE_NAME, EVENT_FILE_URLS, EVENT_FILE_EVENT_TYPE and EVENT_FILE_LISTENER_ID',
    );
    if (intervalMs === undefined) return;
    listeners.push({
      id: spec.id,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      graph: resolve(baseDir, spec.graph),
      parameters,
      params: (spec.params ?? []).map((file) => resolve(baseDir, file)),
      overlap: spec.overlap ?? 'queue',
      enabled: spec.enabled ?? true,
      location: at(path),
      listener: {
        id: spec.id,
        path: resolve(baseDir, spec.path),
        pattern: spec.pattern ?? '*',
        recursive: spec.recursive ?? false,
        events: spec.events ?? ['added'],
        intervalMs,
        stableChecks: spec.stableChecks ?? 0,
        ignoreEmpty: spec.ignoreEmpty ?? false,
        group,
      },
    });
  });

  throwIfAny(problems);
  return { file, server, schedules, listeners };
}

/**
 * The API token from its configured source: the environment variable, or a secure (`enc:v1:`)
 * entry of a params file decrypted with TREFOIL_MASTER_PASSWORD.
 * @throws TrefoilError TREFOIL_ERR_SERVER_TOKEN when unset, empty or not stored securely, or the
 *   params file's own error (e.g. a wrong master password).
 */
export function resolveServerToken(
  source: TokenSource,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (source.kind === 'env') {
    const token = environment[source.variable];
    if (token === undefined || token === '') {
      throw new TrefoilError('TREFOIL_ERR_SERVER_TOKEN', `the API token variable ${source.variable} is not set`);
    }
    return token;
  }
  const paramsFile = readParamsFile(source.paramsFile, { masterPassword: masterPasswordFromEnvironment(environment) });
  const entry = paramsFile.entries.find((candidate) => candidate.name === source.name);
  if (entry === undefined) {
    throw new TrefoilError('TREFOIL_ERR_SERVER_TOKEN', `the params file ${source.paramsFile} has no entry ${source.name} for the API token`, { file: source.paramsFile });
  }
  if (entry.value === undefined) {
    // The entry could not be read (a wrong master password, say): report the params file's own problem.
    const problem = paramsFile.problems.find((candidate) => candidate.line === entry.line);
    if (problem !== undefined) throw new TrefoilError(problem.code, problem.message, { file: entry.file, line: entry.line, column: entry.column });
    throw new TrefoilError('TREFOIL_ERR_SERVER_TOKEN', `the API token ${source.name} in ${source.paramsFile} cannot be read`, { file: entry.file, line: entry.line, column: entry.column });
  }
  if (!entry.secure) {
    throw new TrefoilError(
      'TREFOIL_ERR_SERVER_TOKEN',
      `the API token ${source.name} is stored in plain text; store it with \`trefoil params set ${source.paramsFile} ${source.name} --secure\``,
      { file: entry.file, line: entry.line, column: entry.column },
    );
  }
  return String(entry.value);
}

// ---- raw shapes (after schema validation) ----

interface RawTrigger {
  id: string;
  description?: string;
  graph: string;
  parameters?: Record<string, ParameterScalar>;
  params?: string[];
  overlap?: OverlapPolicy;
  enabled?: boolean;
}

interface RawConfig {
  server?: {
    host?: string;
    port?: number;
    dataDir?: string;
    maxConcurrentRuns?: number;
    graphRoots?: string[];
    retention?: { maxAgeDays?: number; maxRuns?: number };
    token?: { env?: string; param?: string; paramsFile?: string };
  };
  schedules?: Array<RawTrigger & { every?: string | number; cron?: string; at?: string; timezone?: string }>;
  listeners?: Array<
    RawTrigger & {
      path: string;
      pattern?: string;
      recursive?: boolean;
      events?: FileEventKind[];
      stableChecks?: number;
      interval?: string | number;
      ignoreEmpty?: boolean;
      group?: boolean;
    }
  >;
}

function throwIfAny(problems: Problems): void {
  if (problems.count > 0) throw new ServerConfigError(problems.list);
}

type Report = (path: ProblemPath, code: ErrorCode, message: string, key?: boolean) => void;

function readServerSettings(raw: NonNullable<RawConfig['server']>, baseDir: string, report: Report): ServerSettings {
  let token: TokenSource | null = null;
  if (raw.token !== undefined) {
    const { env, param, paramsFile } = raw.token;
    if ((env === undefined) === (param === undefined)) {
      report(['server', 'token'], 'TREFOIL_ERR_SERVER_TOKEN', 'server.token needs exactly one of env (a variable name) or param (a secure parameter, with paramsFile)');
    } else if (env !== undefined) {
      token = { kind: 'env', variable: env };
    } else if (paramsFile === undefined) {
      report(['server', 'token'], 'TREFOIL_ERR_SERVER_TOKEN', 'server.token.param needs paramsFile, the params file holding the secure value');
    } else {
      token = { kind: 'param', name: param!, paramsFile: resolve(baseDir, paramsFile) };
    }
  }
  return {
    host: raw.host ?? '127.0.0.1',
    port: raw.port ?? 8080,
    dataDir: resolve(baseDir, raw.dataDir ?? '.trefoil'),
    maxConcurrentRuns: raw.maxConcurrentRuns ?? 4,
    graphRoots: (raw.graphRoots ?? ['graphs']).map((root) => resolve(baseDir, root)),
    retention: { ...raw.retention },
    token,
  };
}

function checkUniqueId(id: string, seen: Set<string>, kind: string, path: ProblemPath, report: Report): void {
  if (seen.has(id)) report(path, 'TREFOIL_ERR_SERVER_DUPLICATE_ID', `another ${kind} already has the id "${id}"`);
  seen.add(id);
}

/** `${EVENT_…}` references the trigger will not provide would fail every run; report them now. */
function checkEventReferences(
  parameters: Readonly<Record<string, ParameterScalar>>,
  provided: ReadonlySet<string>,
  trigger: string,
  path: ProblemPath,
  report: Report,
  hint: string,
): void {
  for (const [name, value] of Object.entries(parameters)) {
    if (typeof value !== 'string') continue;
    for (const part of splitReferences(value) ?? []) {
      if (typeof part === 'string' || !part.name.startsWith('EVENT_') || provided.has(part.name)) continue;
      report([...path, name], 'TREFOIL_ERR_SERVER_EVENT_PARAMETER', `${trigger} does not provide ${part.name}: ${hint}`);
    }
  }
}
