/**
 * The channel behind every edge: a FIFO of record batches shared by one writer and one reader.
 *
 * ```
 *   writer ──push(batch)──▶ [ b0 | b1 | b2 | … ] ──shift()──▶ reader
 *                            ▲head             ▲tail
 * ```
 *
 * `BoundedQueue` (edges inside a phase) counts the records it holds; `push` reports when the
 * count reaches `capacity`, and the writer then waits in `whenWritable()` until the reader has
 * taken it down to the low-water mark. That is the backpressure: a slow reader keeps its
 * writer's buffered records at the bound, whatever the data volume.
 *
 * Invariants: batches are never empty; `count` is the sum of queued batch lengths; after
 * `end()` nothing more is pushed; after `abort()` every wait rejects with the abort reason.
 */
import type { DataRecord } from '../metadata/record-type.ts';

export type Batch = DataRecord[];

/** What both kinds of edge queue offer the ports. */
export interface BatchChannel {
  /** Enqueues a non-empty batch; false when the writer should wait for `whenWritable()` before the next one. */
  push(batch: Batch): boolean;
  /** Records per batch the writer should use. */
  readonly batchSize: number;
  /** Marks the end of the stream (the writer is done). */
  end(): void;
  /** Next batch; null at end of stream. */
  read(): Promise<Batch | null>;
  /** Resolves when the writer may push again (immediately when there is room). */
  whenWritable(): Promise<void>;
  /** The reader is gone: further pushes are dropped (the writer may stop early). */
  cancel(): void;
  /** Wakes every waiter with `reason` (the phase is failing). */
  abort(reason: unknown): void;
  /** Records currently held. */
  readonly count: number;
  readonly ended: boolean;
  readonly cancelled: boolean;
  /** True when nothing is held and the writer has ended. */
  readonly drained: boolean;
  /** Releases resources (spill files); idempotent. */
  dispose(): Promise<void>;
}

/** A growable FIFO with a head index: no `shift()` on a large array. */
export class BatchFifo {
  #items: (Batch | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(batch: Batch): void {
    this.#items.push(batch);
  }

  shift(): Batch | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const batch = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    // Compact once the dead prefix dominates, keeping shift O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/** A promise with its settle functions, for one waiter. */
export interface Waiter {
  promise: Promise<void>;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export function createWaiter(): Waiter {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A waiter that is aborted while nobody awaits it must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class BoundedQueue implements BatchChannel {
  readonly capacity: number;
  readonly #lowWater: number;
  readonly #fifo = new BatchFifo();
  #count = 0;
  #ended = false;
  #cancelled = false;
  #abortReason: unknown = undefined;
  #aborted = false;
  #readerWaiting: Waiter | null = null;
  #writerWaiting: Waiter | null = null;

  /** Records per batch its writer uses (at most the capacity). */
  readonly batchSize: number;

  /**
   * @param capacity records held at most: the writer pushes a batch only while
   *   `count + batchSize <= capacity`, otherwise it waits.
   * @param batchSize the writer's batch size (clamped to the capacity)
   */
  constructor(capacity: number, batchSize: number) {
    this.capacity = Math.max(1, capacity);
    this.batchSize = Math.max(1, Math.min(batchSize, this.capacity));
    // Wake the writer at half capacity (or when a whole batch fits again, for small edges) so
    // it refills in bursts rather than batch by batch.
    this.#lowWater = Math.max(0, Math.min(Math.floor(this.capacity / 2), this.capacity - this.batchSize));
  }

  get count(): number {
    return this.#count;
  }
  get ended(): boolean {
    return this.#ended;
  }
  get cancelled(): boolean {
    return this.#cancelled;
  }
  get drained(): boolean {
    return this.#ended && this.#count === 0;
  }

  push(batch: Batch): boolean {
    if (this.#aborted) throw this.#abortReason;
    if (this.#cancelled) return false;
    this.#fifo.push(batch);
    this.#count += batch.length;
    const reader = this.#readerWaiting;
    if (reader !== null) {
      this.#readerWaiting = null;
      reader.resolve();
    }
    return this.#count + this.batchSize <= this.capacity;
  }

  end(): void {
    this.#ended = true;
    const reader = this.#readerWaiting;
    if (reader !== null) {
      this.#readerWaiting = null;
      reader.resolve();
    }
  }

  async read(): Promise<Batch | null> {
    for (;;) {
      if (this.#aborted) throw this.#abortReason;
      const batch = this.#fifo.shift();
      if (batch !== undefined) {
        this.#count -= batch.length;
        const writer = this.#writerWaiting;
        if (writer !== null && this.#count <= this.#lowWater) {
          this.#writerWaiting = null;
          writer.resolve();
        }
        return batch;
      }
      if (this.#ended) return null;
      this.#readerWaiting = createWaiter();
      await this.#readerWaiting.promise;
    }
  }

  whenWritable(): Promise<void> {
    if (this.#aborted) return Promise.reject(this.#abortReason);
    if (this.#cancelled || this.#count + this.batchSize <= this.capacity) return Promise.resolve();
    this.#writerWaiting ??= createWaiter();
    return this.#writerWaiting.promise;
  }

  cancel(): void {
    this.#cancelled = true;
    this.#fifo.clear();
    this.#count = 0;
    const writer = this.#writerWaiting;
    if (writer !== null) {
      this.#writerWaiting = null;
      writer.resolve();
    }
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#readerWaiting?.reject(reason);
    this.#writerWaiting?.reject(reason);
    this.#readerWaiting = this.#writerWaiting = null;
  }

  async dispose(): Promise<void> {
    this.#fifo.clear();
    this.#count = 0;
  }
}
