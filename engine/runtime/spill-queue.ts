/**
 * The channel of a buffered edge (cross-phase edges and the one edge of each split/re-join
 * cycle): it never makes the writer wait. Batches stay in memory up to `memoryRecords`; past
 * that they are appended to a temporary file and read back in order.
 *
 * ```
 *   push ─▶ memory FIFO (≤ memoryRecords) ─┐
 *        └▶ once spilling: spill file ──────┴─▶ read: memory first, then the file, in order
 * ```
 *
 * Order is kept by a simple rule: once a batch has gone to the file, every later batch goes to
 * the file too until the reader has drained it. The file is removed by `dispose()`, which the
 * run calls however it ends.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BatchFifo, createWaiter, type Batch, type BatchChannel, type Waiter } from './batch-queue.ts';
import type { BatchCodec } from './spill-codec.ts';

export interface SpillQueueOptions {
  /** Records kept in memory before spilling. */
  memoryRecords: number;
  /** Directory for the spill file (the run's temporary directory). */
  directory: string;
  /** File name stem, unique per edge. */
  name: string;
  codec: BatchCodec;
}

const FRAME_HEADER = 4;
/** Records per batch written to a buffered edge. */
const DEFAULT_SPILL_BATCH_SIZE = 1024;

export class SpillQueue implements BatchChannel {
  readonly #options: SpillQueueOptions;
  readonly #memory = new BatchFifo();
  #memoryCount = 0;
  #fileCount = 0;
  #fd: number | null = null;
  #path: string | null = null;
  #writeOffset = 0;
  #readOffset = 0;
  #ended = false;
  #cancelled = false;
  #aborted = false;
  #abortReason: unknown;
  #readerWaiting: Waiter | null = null;
  /** Total records that went through the file, for tracking and tests. */
  spilledRecords = 0;
  readonly batchSize = DEFAULT_SPILL_BATCH_SIZE;

  constructor(options: SpillQueueOptions) {
    this.#options = options;
  }

  get count(): number {
    return this.#memoryCount + this.#fileCount;
  }
  get ended(): boolean {
    return this.#ended;
  }
  get cancelled(): boolean {
    return this.#cancelled;
  }
  get drained(): boolean {
    return this.#ended && this.count === 0;
  }
  /** Path of the spill file while one exists. */
  get spillPath(): string | null {
    return this.#path;
  }

  push(batch: Batch): boolean {
    if (this.#aborted) throw this.#abortReason;
    if (this.#cancelled) return false;
    if (this.#fileCount === 0 && this.#memoryCount + batch.length <= this.#options.memoryRecords) {
      this.#memory.push(batch);
      this.#memoryCount += batch.length;
    } else {
      this.#spill(batch);
    }
    const reader = this.#readerWaiting;
    if (reader !== null) {
      this.#readerWaiting = null;
      reader.resolve();
    }
    return true;
  }

  #spill(batch: Batch): void {
    if (this.#fd === null) {
      this.#path = join(this.#options.directory, `${this.#options.name}.spill`);
      this.#fd = openSync(this.#path, 'w+', 0o600);
      this.#writeOffset = this.#readOffset = 0;
    }
    const payload = this.#options.codec.encode(batch);
    const header = Buffer.allocUnsafe(FRAME_HEADER);
    header.writeUInt32LE(payload.length, 0);
    // NOTE: synchronous writes keep the writer's per-batch path free of promise churn; a batch
    // is tens of kilobytes, so the page cache absorbs them.
    writeSync(this.#fd, header, 0, FRAME_HEADER, this.#writeOffset);
    writeSync(this.#fd, payload, 0, payload.length, this.#writeOffset + FRAME_HEADER);
    this.#writeOffset += FRAME_HEADER + payload.length;
    this.#fileCount += batch.length;
    this.spilledRecords += batch.length;
  }

  #readFromFile(): Batch {
    const fd = this.#fd!;
    const header = Buffer.allocUnsafe(FRAME_HEADER);
    readSync(fd, header, 0, FRAME_HEADER, this.#readOffset);
    const length = header.readUInt32LE(0);
    const payload = Buffer.allocUnsafe(length);
    readSync(fd, payload, 0, length, this.#readOffset + FRAME_HEADER);
    this.#readOffset += FRAME_HEADER + length;
    const batch = this.#options.codec.decode(payload);
    this.#fileCount -= batch.length;
    if (this.#fileCount === 0) this.#closeFile();
    return batch;
  }

  #closeFile(): void {
    if (this.#fd !== null) {
      closeSync(this.#fd);
      this.#fd = null;
    }
    if (this.#path !== null) {
      rmSync(this.#path, { force: true });
      this.#path = null;
    }
  }

  async read(): Promise<Batch | null> {
    for (;;) {
      if (this.#aborted) throw this.#abortReason;
      const batch = this.#memory.shift();
      if (batch !== undefined) {
        this.#memoryCount -= batch.length;
        return batch;
      }
      if (this.#fileCount > 0) return this.#readFromFile();
      if (this.#ended) return null;
      this.#readerWaiting = createWaiter();
      await this.#readerWaiting.promise;
    }
  }

  whenWritable(): Promise<void> {
    return this.#aborted ? Promise.reject(this.#abortReason) : Promise.resolve();
  }

  end(): void {
    this.#ended = true;
    const reader = this.#readerWaiting;
    if (reader !== null) {
      this.#readerWaiting = null;
      reader.resolve();
    }
  }

  cancel(): void {
    this.#cancelled = true;
    this.#memory.clear();
    this.#memoryCount = this.#fileCount = 0;
    this.#closeFile();
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#readerWaiting?.reject(reason);
    this.#readerWaiting = null;
  }

  async dispose(): Promise<void> {
    this.#memory.clear();
    this.#memoryCount = this.#fileCount = 0;
    this.#closeFile();
  }
}
