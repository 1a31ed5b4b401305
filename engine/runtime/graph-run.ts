/**
 * Runs a GraphPlan: phases in ascending order; all components of a phase start together and
 * the next phase starts only when every one of them finished successfully (SPEC §3).
 *
 * Failure: the first component error aborts the phase — every component's AbortSignal fires and
 * every edge of the phase wakes its waiters with the error — later phases do not start, the
 * run's `onRunEnd` actions run with ok=false (partial outputs removed), spill files and the
 * temporary directory are removed however the run ends.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ComponentContext } from '../component/define-component.ts';
import { isTrefoilError, TrefoilError, type ErrorLocation } from '../errors/trefoil-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { RecordType, type DataRecord } from '../metadata/record-type.ts';
import type { EdgePlan, GraphPlan, NodePlan } from '../model/graph-plan.ts';
import type { Redactor } from '../params/redactor.ts';
import { BoundedQueue, type BatchChannel } from './batch-queue.ts';
import { DEFAULT_BATCH_SIZE, InputPort, OutputPort } from './ports.ts';
import { batchCodecFor } from './spill-codec.ts';
import { SpillQueue } from './spill-queue.ts';
import { compileTemplate } from './template.ts';
import { RunTracker, type RunStatus, type TrackingSnapshot } from './tracking.ts';

/** Records a buffered edge keeps in memory before spilling to its temporary file. */
export const DEFAULT_SPILL_THRESHOLD = 100_000;

export interface RunError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly component?: string;
  readonly componentType?: string;
  readonly recordNo?: number;
}

/** What `runGraph` resolves to (SPEC §8). It never rejects for a failed run. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly error?: RunError;
  readonly dictionary: Record<string, unknown>;
  readonly tracking: TrackingSnapshot;
}

export interface GraphRunOptions {
  readonly runId: string;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly dictionary: Record<string, unknown>;
  readonly signal?: AbortSignal;
  readonly tempDir: string;
  readonly spillThreshold?: number;
  /** Called with the tracker once the run has started (live views poll it). */
  readonly onStart?: (tracker: RunTracker) => void;
}

export class GraphRun {
  readonly #plan: GraphPlan;
  readonly #options: GraphRunOptions;
  readonly #tracker: RunTracker;
  readonly #channels = new Map<EdgePlan, BatchChannel>();
  readonly #endActions: ((ok: boolean) => Promise<void> | void)[] = [];
  readonly #dictionaryType: RecordType;

  constructor(plan: GraphPlan, options: GraphRunOptions) {
    this.#plan = plan;
    this.#options = options;
    this.#tracker = new RunTracker(plan, options.runId);
    this.#dictionaryType = new RecordType('dictionary', plan.dictionary);
  }

  get tracker(): RunTracker {
    return this.#tracker;
  }

  async run(): Promise<RunResult> {
    const { signal, logger } = this.#options;
    mkdirSync(this.#options.tempDir, { recursive: true, mode: 0o700 });
    this.#options.onStart?.(this.#tracker);
    let status: RunStatus = 'FINISHED_OK';
    let error: RunError | undefined;
    logger.info({ phases: this.#plan.phases }, `graph ${this.#plan.id} started`);
    try {
      for (const phase of this.#plan.phases) {
        if (signal?.aborted) {
          status = 'ABORTED';
          error = abortedError();
          break;
        }
        const failure = await this.#runPhase(phase);
        if (failure) {
          status = failure.aborted ? 'ABORTED' : 'ERROR';
          error = failure.error;
          break;
        }
        const problem = this.#dictionaryType.conform(this.#options.dictionary);
        if (problem) {
          status = 'ERROR';
          error = { code: 'TREFOIL_ERR_RUN_DICTIONARY', message: `dictionary entry ${problem.field} ${problem.message} after phase ${phase}` };
          break;
        }
      }
    } finally {
      await this.#finish(status === 'FINISHED_OK');
    }
    this.#tracker.runEnded(status);
    if (error) error = { ...error, message: this.#options.redactor.redact(error.message) };
    if (status === 'FINISHED_OK') logger.info(`graph ${this.#plan.id} finished`);
    else logger.error({ component: error?.component, code: error?.code }, `graph ${this.#plan.id} ${status === 'ABORTED' ? 'aborted' : 'failed'}: ${error?.message}`);
    return {
      runId: this.#options.runId,
      status,
      ...(error ? { error } : {}),
      dictionary: { ...this.#options.dictionary },
      tracking: this.#tracker.snapshot(),
    };
  }

  async #finish(ok: boolean): Promise<void> {
    for (const action of this.#endActions.reverse()) {
      try {
        await action(ok);
      } catch (cause) {
        this.#options.logger.error({ err: cause }, 'cleanup after the run failed');
      }
    }
    await Promise.all([...this.#channels.values()].map((channel) => channel.dispose()));
    rmSync(this.#options.tempDir, { recursive: true, force: true });
  }

  #channelFor(edge: EdgePlan): BatchChannel {
    let channel = this.#channels.get(edge);
    if (!channel) {
      channel =
        edge.kind === 'direct'
          ? new BoundedQueue(edge.capacity, DEFAULT_BATCH_SIZE)
          : new SpillQueue({
              memoryRecords: this.#options.spillThreshold ?? DEFAULT_SPILL_THRESHOLD,
              directory: this.#options.tempDir,
              name: edge.id.replace(/[^A-Za-z0-9_.-]+/g, '_'),
              codec: batchCodecFor(edge.metadata),
            });
      this.#channels.set(edge, channel);
    }
    return channel;
  }

  /** Runs one phase; resolves with the failure, if any. */
  async #runPhase(phase: number): Promise<{ error: RunError; aborted: boolean } | undefined> {
    const nodes = this.#plan.nodes.filter((node) => node.phase === phase);
    const controller = new AbortController();
    const external = this.#options.signal;
    const onExternalAbort = () => controller.abort(new TrefoilError('TREFOIL_ERR_RUN_ABORTED', 'the run was interrupted'));
    external?.addEventListener('abort', onExternalAbort, { once: true });
    const phaseChannels = new Set<BatchChannel>();
    let failure: { error: RunError; aborted: boolean } | undefined;

    // Every edge of the phase wakes its waiters (and refuses writes) once the phase aborts.
    controller.signal.addEventListener('abort', () => {
      for (const channel of phaseChannels) channel.abort(controller.signal.reason);
    });
    const fail = (node: NodePlan, cause: unknown) => {
      if (failure) return;
      const aborted = external?.aborted === true;
      failure = { error: aborted ? abortedError() : this.#describeFailure(node, cause), aborted };
      controller.abort(cause);
    };

    this.#tracker.phaseStarted(phase);
    this.#options.logger.debug({ phase }, `phase ${phase} started`);
    const runs = nodes.map((node) => {
      const context = this.#context(node, controller.signal, phaseChannels);
      this.#tracker.componentStarted(node.id);
      return Promise.resolve()
        .then(() => node.definition.run(context))
        .then(() => this.#completeNode(node, context))
        .then(
          () => this.#tracker.componentEnded(node.id, 'FINISHED_OK'),
          (cause: unknown) => {
            const first = !failure;
            fail(node, cause);
            const mine = first && !failure!.aborted;
            this.#tracker.componentEnded(node.id, mine ? 'ERROR' : 'ABORTED', mine ? failure!.error.message : undefined);
          },
        );
    });
    if (external?.aborted) onExternalAbort();
    await Promise.all(runs);
    external?.removeEventListener('abort', onExternalAbort);
    this.#tracker.phaseEnded(phase, failure ? (failure.aborted ? 'ABORTED' : 'ERROR') : 'FINISHED_OK');
    return failure;
  }

  /** After `run` returned: end outputs, enforce the unread-input rule (SPEC §3). */
  #completeNode(node: NodePlan, context: ComponentContext<unknown>): void {
    for (const input of context.inputs) {
      if (input.drained) continue;
      if (node.definition.stopsEarly) {
        input.cancel();
        continue;
      }
      input.cancel();
      throw new TrefoilError(
        'TREFOIL_ERR_RUN_UNREAD_INPUT',
        `finished while input port ${input.index} (${input.name}) still held unread records`,
      );
    }
    for (const output of context.outputs) output.end();
  }

  #describeFailure(node: NodePlan, cause: unknown): RunError {
    const location: ErrorLocation = isTrefoilError(cause) ? cause.location : {};
    const code: ErrorCode = isTrefoilError(cause) ? cause.code : 'TREFOIL_ERR_RUN_COMPONENT';
    const component = location.component ?? node.id;
    const failing = this.#plan.nodes.find((candidate) => candidate.id === component) ?? node;
    const raw = cause instanceof Error ? cause.message : String(cause);
    const recordNo = location.recordNo;
    const message = `${failing.id} (${failing.type}) failed${recordNo !== undefined && !/\brecord \d/.test(raw) ? ` at record ${recordNo}` : ''}: ${raw}`;
    return {
      code,
      message,
      component: failing.id,
      componentType: failing.type,
      ...(recordNo !== undefined ? { recordNo } : {}),
    };
  }

  #context(node: NodePlan, signal: AbortSignal, phaseChannels: Set<BatchChannel>): ComponentContext<unknown> {
    const attach = (edge: EdgePlan | undefined): BatchChannel | null => {
      if (!edge) return null;
      const channel = this.#channelFor(edge);
      phaseChannels.add(channel);
      return channel;
    };
    const inputs = node.inputs.map((port) => new InputPort({ index: port.index, name: port.name, metadata: port.metadata, channel: attach(port.edge) }));
    const outputs = node.outputs.map(
      (port) => new OutputPort({ index: port.index, name: port.name, metadata: port.metadata, channel: attach(port.edge), component: node.id }),
    );
    this.#tracker.attach(
      node.id,
      inputs.map((port) => port.counters),
      outputs.map((port) => port.counters),
    );
    const parameters: Record<string, unknown> = {};
    for (const [name, parameter] of this.#plan.parameters) parameters[name] = parameter.value;
    const redactor = this.#options.redactor;
    // Relative paths resolve against the project directory: the working directory unless the
    // caller (library `projectDir`, or a PROJECT_DIR parameter) says otherwise.
    const projectDir = String(this.#plan.parameters.get('PROJECT_DIR')?.value ?? process.cwd());
    return {
      id: node.id,
      type: node.type,
      phase: node.phase,
      config: node.config,
      inputs,
      outputs,
      log: this.#options.logger.child({ component: node.id, phase: node.phase }),
      signal,
      dictionary: this.#options.dictionary,
      parameters: Object.freeze(parameters),
      graphDir: this.#plan.dir,
      tempDir: this.#options.tempDir,
      compileTemplate,
      resolvePath: (path) => resolve(projectDir, path),
      addSecret: (value) => redactor.add(value),
      onRunEnd: (action) => {
        this.#endActions.push(action);
      },
      errorRecord: buildErrorRecord,
    };
  }
}

/** Error-port record (SPEC §7): the failing input's fields by name, then the extra fields. */
function buildErrorRecord(port: OutputPort, input: DataRecord | null, extra: Record<string, unknown>): DataRecord {
  const record = port.newRecord();
  const metadata = port.metadata;
  if (input) for (const name of Object.keys(input)) if (metadata.has(name)) record[name] = input[name];
  for (const [name, value] of Object.entries(extra)) if (metadata.has(name)) record[name] = value;
  return record;
}

function abortedError(): RunError {
  return { code: 'TREFOIL_ERR_RUN_ABORTED', message: 'the run was interrupted' };
}
