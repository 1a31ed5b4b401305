/**
 * The library entry points (SPEC §8): `loadGraph` validates and plans a graph; `runGraph`
 * loads and runs it. `runGraph` resolves to the run result and never rejects for a failed run;
 * an invalid graph rejects with a GraphValidationError whose `problems` list every problem.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BUILTIN_COMPONENTS } from '../components/index.ts';
import { ComponentRegistry } from './component/component-registry.ts';
import type { ComponentDefinition } from './component/define-component.ts';
import { loadGraphPlan, type LoadOptions } from './loader/load-graph.ts';
import type { ParameterSources } from './loader/graph-parameters.ts';
import { GraphValidationError } from './loader/problems.ts';
import { compileTextCodec } from './metadata/text-codec.ts';
import type { GraphPlan } from './model/graph-plan.ts';
import { Redactor } from './params/redactor.ts';
import { GraphRun, type RunResult } from './runtime/graph-run.ts';
import { createRunLogger, type RunLogOptions } from './runtime/run-logger.ts';
import type { RunTracker } from './runtime/tracking.ts';

let builtins: ComponentRegistry | undefined;

/** The environment with every built-in component (an explicit list, components/index.ts). */
export function builtinRegistry(): ComponentRegistry {
  builtins ??= new ComponentRegistry(BUILTIN_COMPONENTS as unknown as ComponentDefinition[]);
  return builtins;
}

export interface LoadGraphOptions extends ParameterSources {
  /** Components to use instead of the built-ins (plugins are added on top). */
  registry?: ComponentRegistry;
  runId?: string;
  /** Base for relative paths. @default process.cwd() */
  projectDir?: string;
}

export interface RunGraphOptions extends LoadGraphOptions {
  /** Initial dictionary entries (`-D`); text converts to each entry's type. */
  dictionary?: Record<string, unknown>;
  /** Aborts the run (status ABORTED). */
  signal?: AbortSignal;
  /** Logging options, or a pino logger to use as the parent. @default { level: 'warn' } */
  log?: RunLogOptions | Logger;
  /** Records a buffered edge keeps in memory before spilling. */
  spillThreshold?: number;
  /** Called once the run starts, with its live tracker. */
  onStart?: (tracker: RunTracker) => void;
}

/** Loads, validates and plans a graph from a file path or YAML text. */
export async function loadGraph(pathOrYaml: string, options: LoadGraphOptions = {}): Promise<GraphPlan> {
  const loadOptions: LoadOptions = { ...options, registry: options.registry ?? builtinRegistry() };
  return loadGraphPlan(pathOrYaml, loadOptions);
}

/** Loads and runs a graph. */
export async function runGraph(pathOrYaml: string, options: RunGraphOptions = {}): Promise<RunResult> {
  const runId = options.runId ?? randomUUID();
  const plan = await loadGraph(pathOrYaml, { ...options, runId });
  return runPlan(plan, { ...options, runId });
}

/** Runs an already loaded plan (the server and CLI load first to report problems). */
export async function runPlan(plan: GraphPlan, options: RunGraphOptions & { runId: string }): Promise<RunResult> {
  const redactor = new Redactor();
  redactor.addAll(plan.secrets);
  const dictionary = initialDictionary(plan, options.dictionary ?? {});
  const base = { runId: options.runId, graph: plan.id };
  const logger = isLogger(options.log)
    ? options.log.child(base)
    : createRunLogger({ level: 'warn', ...(options.log ?? {}) }, (text) => redactor.redact(text), base);
  const tempDir = String(plan.parameters.get('TMP_DIR')?.value);
  const run = new GraphRun(plan, {
    runId: options.runId,
    logger,
    redactor,
    dictionary,
    tempDir,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.spillThreshold !== undefined ? { spillThreshold: options.spillThreshold } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
  });
  const result = await run.run();
  return { ...result, tracking: redactor.redactValue(result.tracking), dictionary: redactor.redactValue(result.dictionary) };
}

/**
 * The dictionary of one run: declared entries only (sealed, so a typo in `dict.NAME` throws
 * in strict-mode transforms), defaults first, `-D` values converted to the entry's type.
 */
function initialDictionary(plan: GraphPlan, given: Record<string, unknown>): Record<string, unknown> {
  const dictionary: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const field of plan.dictionary) dictionary[field.name] = field.default ?? null;
  for (const [name, value] of Object.entries(given)) {
    const field = plan.dictionary.find((candidate) => candidate.name === name);
    if (!field) {
      problems.push(`-D ${name}: the graph declares no dictionary entry ${name}${plan.dictionary.length ? ` (declared: ${plan.dictionary.map((f) => f.name).join(', ')})` : ''}`);
      continue;
    }
    try {
      dictionary[name] = typeof value === 'string' && field.type !== 'string' ? compileTextCodec(field).parse(value) : value;
    } catch (error) {
      problems.push(`-D ${name}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new GraphValidationError(problems.map((message) => ({ file: plan.file, line: 1, column: 1, code: 'TREFOIL_ERR_GRAPH_DICTIONARY', message })));
  }
  return Object.seal(dictionary);
}

function isLogger(value: unknown): value is Logger {
  return typeof (value as Logger | undefined)?.child === 'function' && typeof (value as Logger).info === 'function';
}
