/**
 * The two ends of an edge as a component sees them.
 *
 * Writing is synchronous and batched. Two ways to write:
 * - `writeBatch(records)` / `forwardBatch(records, from)`: the fast path for components that
 *   produce records in batches (generators, transforms, filters). Records are checked against
 *   the edge's metadata in one tight loop and the array itself becomes the edge's batch.
 * - `write(record)` / `forward(record, from)`: one record at a time (parsers, HTTP responses).
 *   Records gather into a batch that goes to the edge when full; the tail of a burst is flushed
 *   in a microtask, i.e. as soon as the component awaits anything.
 * Every write returns false when the edge is full: the component then awaits `ready()` (as with
 * Node streams' `write`/`drain`). Batch writers that honour it keep an edge at or under its
 * capacity; record writers may exceed it by at most one batch.
 *
 * Reading is one promise per batch: `for await (const batch of port)` or `read()`.
 */
import type { DataRecord, RecordType, ConformanceProblem } from '../metadata/record-type.ts';
import { TrefoilError } from '../errors/trefoil-error.ts';
import type { Batch, BatchChannel } from './batch-queue.ts';

/** Records per batch between components. */
export const DEFAULT_BATCH_SIZE = 1024;

/** Counters the tracking reports per port. */
export class PortCounters {
  records = 0;
  bytes = 0;
}

export class OutputPort {
  readonly index: number;
  readonly name: string;
  readonly metadata: RecordType;
  readonly counters = new PortCounters();
  /** Records per batch this port's edge wants. */
  readonly batchSize: number;
  readonly #channel: BatchChannel | null;
  readonly #component: string;
  readonly #conform: (record: DataRecord) => ConformanceProblem | null;
  /** True when records read from an edge of this metadata may be forwarded unchecked. */
  readonly #forwardChecked: (from: RecordType) => boolean;
  #batch: Batch = [];
  #flushScheduled = false;
  #ended = false;
  #room = true;
  readonly #flushTask = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  constructor(options: { index: number; name: string; metadata: RecordType; channel: BatchChannel | null; component: string }) {
    this.index = options.index;
    this.name = options.name;
    this.metadata = options.metadata;
    this.#conform = options.metadata.conform;
    this.#channel = options.channel;
    this.#component = options.component;
    this.batchSize = options.channel?.batchSize ?? DEFAULT_BATCH_SIZE;
    // Almost always the same input metadata record after record: remember the last answer.
    let lastFrom: RecordType | undefined;
    let lastAnswer = false;
    this.#forwardChecked = (from) => {
      if (from !== lastFrom) {
        lastFrom = from;
        lastAnswer = this.metadata.accepts(from);
      }
      return lastAnswer;
    };
  }

  /** False when no edge is attached: writes are dropped. */
  get connected(): boolean {
    return this.#channel !== null;
  }

  /** True when the reader has gone (it stopped early): the writer may stop producing. */
  get closed(): boolean {
    return this.#channel === null || this.#channel.cancelled;
  }

  /** A fresh record of this port's metadata, fields null or default. */
  newRecord(): DataRecord {
    return this.metadata.create();
  }

  /**
   * Checks one record against the port's metadata (normalising it in place, see RecordType).
   * `offset` is its position after the records already written, for the record number.
   * @throws TrefoilError naming the field, the value and the record number.
   */
  check(record: DataRecord, offset = 0): void {
    const problem = this.#conform(record);
    if (problem !== null) throw this.#mismatch(problem, this.counters.records + offset + 1);
  }

  /**
   * The error `check` throws, for code that runs the metadata's `conform` itself (compiled
   * per-component loops): `offset` as for `check`.
   */
  mismatchError(problem: ConformanceProblem, offset: number): TrefoilError {
    return this.#mismatch(problem, this.counters.records + offset + 1);
  }

  /**
   * Writes one record, checked against the port's metadata.
   * @returns false when the edge is full; await `ready()` before writing more.
   */
  write(record: DataRecord): boolean {
    const problem = this.#conform(record);
    if (problem !== null) throw this.#mismatch(problem, this.counters.records + 1);
    return this.#append(record);
  }

  /**
   * Writes a record read from an input edge without re-checking it, when the input's metadata
   * is accepted by this port's (the common pass-through case: Filter, SimpleCopy, …).
   */
  forward(record: DataRecord, from: RecordType): boolean {
    return this.#forwardChecked(from) ? this.#append(record) : this.write(record);
  }

  /**
   * Writes a batch of records, each checked. The array is handed to the edge as it is: the
   * caller must not touch it afterwards.
   * @returns false when the edge is full; await `ready()` before writing more.
   */
  writeBatch(records: DataRecord[]): boolean {
    const conform = this.#conform;
    for (let i = 0; i < records.length; i++) {
      const problem = conform(records[i]!);
      if (problem !== null) throw this.#mismatch(problem, this.counters.records + i + 1);
    }
    return this.#appendBatch(records);
  }

  /** `writeBatch` for records that came from an edge of metadata `from` (or were checked with `check`). */
  forwardBatch(records: DataRecord[], from: RecordType): boolean {
    return this.#forwardChecked(from) ? this.#appendBatch(records) : this.writeBatch(records);
  }

  #mismatch(problem: ConformanceProblem, recordNo: number): TrefoilError {
    return new TrefoilError(
      'TREFOIL_ERR_RUN_RECORD_METADATA',
      `record ${recordNo} written to port ${this.index} (${this.name}) does not match metadata ${this.metadata.name}: field ${problem.field} ${problem.message}`,
      { component: this.#component, recordNo },
    );
  }

  #appendBatch(records: DataRecord[]): boolean {
    const channel = this.#channel;
    if (channel === null || records.length === 0) return this.#room;
    this.counters.records += records.length;
    if (this.#batch.length > 0) this.#flush();
    this.#room = channel.push(records);
    return this.#room;
  }

  #append(record: DataRecord): boolean {
    if (this.#channel === null) return true;
    const batch = this.#batch;
    batch.push(record);
    this.counters.records++;
    if (batch.length >= this.batchSize) return this.#flush();
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flushTask);
    }
    return this.#room;
  }

  #flush(): boolean {
    const channel = this.#channel;
    if (channel === null || this.#batch.length === 0) return this.#room;
    const batch = this.#batch;
    this.#batch = [];
    this.#room = channel.push(batch);
    return this.#room;
  }

  /** Flushes the current batch and resolves when the edge has room again. */
  async ready(): Promise<void> {
    if (this.#channel === null) return;
    this.#flush();
    await this.#channel.whenWritable();
    this.#room = true;
  }

  /** Flushes and marks the end of this port's stream. Called by the engine when `run` returns. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#flush();
    this.#channel?.end();
  }
}

export class InputPort implements AsyncIterable<Batch> {
  readonly index: number;
  readonly name: string;
  readonly metadata: RecordType;
  readonly counters = new PortCounters();
  readonly #channel: BatchChannel | null;

  constructor(options: { index: number; name: string; metadata: RecordType; channel: BatchChannel | null }) {
    this.index = options.index;
    this.name = options.name;
    this.metadata = options.metadata;
    this.#channel = options.channel;
  }

  get connected(): boolean {
    return this.#channel !== null;
  }

  /** The next batch (never empty), or null at the end of the stream. The caller owns the batch. */
  async read(): Promise<Batch | null> {
    if (this.#channel === null) return null;
    const batch = await this.#channel.read();
    if (batch !== null) this.counters.records += batch.length;
    return batch;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    for (;;) {
      const batch = await this.read();
      if (batch === null) return;
      yield batch;
    }
  }

  /** Every remaining record, one at a time (convenience for record-at-a-time components). */
  async *records(): AsyncIterable<DataRecord> {
    for await (const batch of this) yield* batch;
  }

  /** True when the writer has ended and every record was read. */
  get drained(): boolean {
    return this.#channel === null || this.#channel.drained;
  }

  /** Records still waiting in the edge. */
  get pending(): number {
    return this.#channel?.count ?? 0;
  }

  /** Stops reading: the writer's further records are dropped and it may stop early. */
  cancel(): void {
    this.#channel?.cancel();
  }
}
