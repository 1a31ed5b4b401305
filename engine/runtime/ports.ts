/**
 * The two ends of an edge as a component sees them.
 *
 * Writing is synchronous and batched: `write(record)` checks the record against the edge's
 * metadata (compiled code, see RecordType) and appends it to the current batch; a full batch
 * goes to the edge's queue. The tail of a burst is flushed in a microtask, i.e. as soon as the
 * component awaits anything, so a component never has to think about partial batches.
 * `write` returns false when the edge is full: the component then awaits `ready()` (as with
 * Node streams' `write`/`drain`).
 *
 * Reading is one promise per batch: `for await (const batch of port)` or `read()`.
 */
import type { DataRecord, RecordType } from '../metadata/record-type.ts';
import { describe } from '../metadata/record-type.ts';
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
  readonly #channel: BatchChannel | null;
  readonly #batchSize: number;
  /** The bound of the attached queue; buffered edges have none. */
  readonly #capacity: number;
  readonly #component: string;
  /** True when records read from an edge of this metadata may be forwarded unchecked. */
  readonly #forwardChecked: (from: RecordType) => boolean;
  #batch: Batch = [];
  #flushScheduled = false;
  #ended = false;
  readonly #flushTask = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  constructor(options: {
    index: number;
    name: string;
    metadata: RecordType;
    channel: BatchChannel | null;
    component: string;
    batchSize?: number;
  }) {
    this.index = options.index;
    this.name = options.name;
    this.metadata = options.metadata;
    this.#channel = options.channel;
    this.#component = options.component;
    // A batch never exceeds the edge's bound, so the bound holds to the record.
    this.#capacity = (options.channel as { capacity?: number } | null)?.capacity ?? Number.POSITIVE_INFINITY;
    this.#batchSize = Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, this.#capacity);
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
   * Writes one record, checked against the port's metadata.
   * @returns false when the edge is full; await `ready()` before writing more.
   * @throws TrefoilError naming the field, value and record number when the record does not conform.
   */
  write(record: DataRecord): boolean {
    const problem = this.metadata.conform(record);
    if (problem !== null) {
      throw new TrefoilError(
        'TREFOIL_ERR_RUN_RECORD_METADATA',
        `record ${this.counters.records + 1} written to port ${this.index} (${this.name}) does not match metadata ${this.metadata.name}: field ${problem.field} ${problem.message}`,
        { component: this.#component, recordNo: this.counters.records + 1 },
      );
    }
    return this.#append(record);
  }

  /**
   * Writes a record read from an input edge without re-checking it, when the input's metadata
   * is accepted by this port's (the common pass-through case: Filter, SimpleCopy, …).
   */
  forward(record: DataRecord, from: RecordType): boolean {
    return this.#forwardChecked(from) ? this.#append(record) : this.write(record);
  }

  #append(record: DataRecord): boolean {
    if (this.#channel === null) return true;
    const batch = this.#batch;
    batch.push(record);
    this.counters.records++;
    if (batch.length >= this.#batchSize) return this.#flush();
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flushTask);
    }
    return this.#channel.count + batch.length < this.#capacity;
  }

  #flush(): boolean {
    const channel = this.#channel;
    if (channel === null || this.#batch.length === 0) return channel === null || channel.count < this.#capacity;
    const batch = this.#batch;
    this.#batch = [];
    return channel.push(batch);
  }

  /** Flushes the current batch and resolves when the edge has room again. */
  async ready(): Promise<void> {
    if (this.#channel === null) return;
    this.#flush();
    await this.#channel.whenWritable();
  }

  /** Flushes and marks the end of this port's stream. Called by the engine when `run` returns. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#flush();
    this.#channel?.end();
  }

  describeRecord(record: DataRecord): string {
    return Object.entries(record)
      .map(([key, value]) => `${key}=${describe(value)}`)
      .join(', ');
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
