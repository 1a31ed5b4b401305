/**
 * Turns the streaming extractor's matches into records on JSONExtract's ports, applying the
 * data policy (SPEC §2) to matches that do not fit their metadata:
 *
 * | policy     | a match with a value that does not convert                                       |
 * |------------|----------------------------------------------------------------------------------|
 * | strict     | fails the component (`TREFOIL_ERR_JSON_DATA`: source, select, byte offset, field) |
 * | controlled | goes to the error port (`recordNo, fieldName, originalData, errorMessage, source`), or is logged and skipped when no error port is connected |
 * | lenient    | the bad field is null (or its default); a non-nullable field left null skips the record with a warning |
 *
 * Records are written when the extractor reports their match, i.e. children before their
 * parent. A child's `parentKey` needs its parent's record before the parent is reported, so
 * the parent's record is built then (once) and kept until the parent itself is reported: at
 * most one record per level of `children` is held.
 *
 * Everything here runs synchronously inside `StreamingJsonExtractor.write`; `room` tells the
 * read loop to await `ready()` before feeding more bytes.
 */
import type { Logger } from 'pino';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { writeJsonText } from '../../engine/metadata/json-text.ts';
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';
import type { MappingPlan } from './extract-mapping.ts';
import type { ExtractionSelect } from './extraction-plan.ts';
import { withFieldExactNumbers } from './field-conversion.ts';
import { MatchRecordBuilder, type MatchProblem } from './match-record-builder.ts';
import type { ExtractedMatch } from './streaming-extractor.ts';

export type DataPolicy = 'strict' | 'controlled' | 'lenient';

/** What each select of the extraction carries: its plan, record builder and port. */
export interface MappingRun {
  readonly plan: MappingPlan;
  readonly builder: MatchRecordBuilder;
  readonly output: OutputPort;
  /** The select as written and where it is (`$.items[*]` at mapping[0].children[0]), for messages. */
  readonly label: string;
}

export interface MatchEmitterOptions {
  readonly plans: readonly MappingPlan[];
  /** The component's output ports, by index. */
  readonly outputs: readonly OutputPort[];
  /** The error port under `controlled`, when connected. */
  readonly errorPort: OutputPort | undefined;
  readonly policy: DataPolicy;
  /** The input edge's metadata (top-level parentKey), undefined without one. */
  readonly inputMetadata: RecordType | undefined;
  /** Copy same-named input fields onto every record. */
  readonly inputFields: boolean;
  readonly log: Logger;
  /** Builds an error-port record (the context's `errorRecord`). */
  readonly errorRecord: (port: OutputPort, input: DataRecord | null, extra: Record<string, unknown>) => DataRecord;
}

/**
 * The members of an object match that its record and its children read, or null when they may
 * read anything. NOTE: lets the extractor skip the other members (validated, not decoded) —
 * on the JSON benchmark (test/bench/json-bench.ts, 6 of 10 members mapped) measured ~15% faster (best of 6 warm runs on 50 MB: 1.00 s against 1.19 s).
 */
function membersRead(builder: MatchRecordBuilder, plan: MappingPlan): readonly string[] | null {
  if (builder.members === null) return null;
  const names = new Set(builder.members);
  for (const child of plan.children) {
    const first = child.query.segments[0];
    if (first === undefined || first.descendant || !first.selectors.every((selector) => selector.kind === 'name')) return null;
    for (const selector of first.selectors) names.add((selector as { name: string }).name);
  }
  return [...names];
}

/** Held for a parent whose record a child needed before the parent was reported. */
interface EarlyRecord {
  readonly record: DataRecord;
  readonly problem: MatchProblem | null;
  readonly missing: MatchProblem | null;
}

export class MatchEmitter {
  /** The mapping tree as the extractor takes it (compile it once per run). */
  readonly selects: readonly ExtractionSelect<MappingRun>[];
  /** False once an edge is full: await `ready()` before feeding more. */
  room = true;
  /** Records (matches) of the current document so far, rejected ones included: the 1-based `recordNo`. */
  recordNo = 0;

  readonly #options: MatchEmitterOptions;
  readonly #ports: readonly OutputPort[];
  #source = '';
  #input: DataRecord | null = null;
  #offset: () => number = () => 0;
  readonly #early = new Map<ExtractedMatch<MappingRun>, EarlyRecord>();

  constructor(options: MatchEmitterOptions) {
    this.#options = options;
    const ports = new Set<OutputPort>();
    const toSelect = (plan: MappingPlan): ExtractionSelect<MappingRun> => {
      const output = options.outputs[plan.port]!;
      ports.add(output);
      const parentMetadata = plan.parent === null ? options.inputMetadata : options.outputs[plan.parent.port]!.metadata;
      const builder = new MatchRecordBuilder(plan, output.metadata, parentMetadata, options.inputFields ? options.inputMetadata : undefined);
      const where = plan.configPath.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('').slice(1);
      const children = plan.children.map(toSelect);
      // NOTE: error records carry the whole match as `originalData`, so no member is left out then.
      const members = options.policy === 'controlled' && options.errorPort !== undefined ? null : membersRead(builder, plan);
      return { select: plan.query, tag: { plan, builder, output, label: `${plan.select} (${where})` }, children, ...(members === null ? {} : { members }) };
    };
    this.selects = options.plans.map(toSelect);
    this.#ports = [...ports];
  }

  /** The callback for `StreamingJsonExtractor`. */
  readonly onMatch = (match: ExtractedMatch<MappingRun>): void => {
    const run = match.tag;
    this.recordNo++;
    let record: DataRecord;
    let problem: MatchProblem | null;
    let missing: MatchProblem | null;
    const early = this.#early.size > 0 ? this.#early.get(match) : undefined;
    if (early !== undefined) {
      this.#early.delete(match);
      ({ record, problem, missing } = early);
    } else {
      const builder = run.builder;
      record = builder.build(match.value, match.position, builder.usesParent ? this.#parentRecord(match) : null, this.#input);
      problem = builder.problem;
      missing = builder.missing;
    }
    if (problem === null && missing === null) {
      if (!run.output.write(record)) this.room = false;
      return;
    }
    if (this.#options.policy === 'lenient' && missing === null) {
      if (!run.output.write(record)) this.room = false;
      return;
    }
    this.#reject(match, (this.#options.policy === 'lenient' ? missing : problem ?? missing)!);
  };

  /** True when every port a mapping writes to has lost its reader: nothing more is wanted. */
  get done(): boolean {
    return this.#ports.every((port) => port.closed);
  }

  /**
   * Starts a document.
   * @param source the name used in messages and in error records (a path, `input record 3 (content)`)
   * @param input the input record the document came from, or null
   * @param offset reads the byte offset where the match being reported ended (the extractor's `offset`)
   */
  startDocument(source: string, input: DataRecord | null, offset: () => number): void {
    this.#source = source;
    this.#input = input;
    this.#offset = offset;
    this.recordNo = 0;
    this.#early.clear();
  }

  /** Resolves when every port has room again. */
  async ready(): Promise<void> {
    this.room = true;
    for (const port of this.#ports) await port.ready();
    if (this.#options.errorPort !== undefined) await this.#options.errorPort.ready();
  }

  /** The record of `match`'s parent (built now and kept if the parent has not been reported yet). */
  #parentRecord(match: ExtractedMatch<MappingRun>): DataRecord | null {
    const parent = match.parent;
    if (parent === null) return this.#input;
    const held = this.#early.get(parent);
    if (held !== undefined) return held.record;
    const builder = parent.tag.builder;
    const record = builder.build(parent.value, parent.position, builder.usesParent ? this.#parentRecord(parent) : null, this.#input);
    this.#early.set(parent, { record, problem: builder.problem, missing: builder.missing });
    return record;
  }

  #reject(match: ExtractedMatch<MappingRun>, problem: MatchProblem): void {
    const { policy, errorPort, log } = this.#options;
    const run = match.tag;
    const offset = this.#offset();
    const where = `${this.#source}: match ${match.position} of ${run.label} (record ${this.recordNo}, ending by byte ${offset}), field ${problem.fieldName}`;
    if (policy === 'strict') {
      throw new TrefoilError('TREFOIL_ERR_JSON_DATA', `${where}: ${problem.message}`, { file: this.#source, offset, recordNo: this.recordNo });
    }
    if (policy === 'controlled' && errorPort !== undefined) {
      const record = this.#options.errorRecord(errorPort, this.#input, {
        recordNo: this.recordNo,
        fieldName: problem.fieldName,
        originalData: writeJsonText(withFieldExactNumbers(match.value)),
        errorMessage: problem.message,
        source: this.#source,
      });
      if (!errorPort.write(record)) this.room = false;
      return;
    }
    log.warn({ source: this.#source, recordNo: this.recordNo, offset, fieldName: problem.fieldName }, `match skipped (dataPolicy ${policy}): ${where}: ${problem.message}`);
  }
}
