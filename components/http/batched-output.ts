/**
 * Gathers records that arrive one at a time from I/O callbacks (HTTP responses) into batches
 * for an output port. OutputPort.write flushes the tail of a burst in a microtask, so records
 * that arrive in separate callbacks travel one per batch; here every record that arrives within
 * one turn of the event loop goes in one batch, flushed by `setImmediate` (after the poll phase
 * that delivered the responses) or as soon as the port's batch size is reached.
 *
 * NOTE: measured on test/bench/http-bench.ts: one-record batches cost the pipeline ~2 µs per
 * response (a batch, a channel push and a reader wake-up each).
 *
 * Backpressure: a flush that finds the edge full sets `mustWait`; the producer awaits `ready()`
 * before handing over more records.
 */
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';

export class BatchedOutput {
  readonly #port: OutputPort;
  #batch: DataRecord[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #full = false;
  readonly #flushTask = (): void => {
    this.#scheduled = undefined;
    this.#flush();
  };

  constructor(port: OutputPort) {
    this.#port = port;
  }

  /**
   * Adds one record, checked against the port's metadata now (so a bad record fails the caller,
   * not a later flush).
   * @throws TrefoilError naming the field, the value and the record number
   */
  add(record: DataRecord): void {
    const batch = this.#batch;
    this.#port.check(record, batch.length);
    batch.push(record);
    if (batch.length >= this.#port.batchSize) this.#flush();
    else this.#scheduled ??= setImmediate(this.#flushTask);
  }

  /** True when the edge was full at the last flush: await `ready()` before adding more. */
  get mustWait(): boolean {
    return this.#full;
  }

  /** Writes what is gathered and resolves when the edge has room. */
  async ready(): Promise<void> {
    this.#flush();
    if (!this.#full) return;
    await this.#port.ready();
    this.#full = false;
  }

  /** Writes what is gathered now (at the end of the run). */
  flush(): void {
    this.#flush();
  }

  /** Drops what is gathered and the scheduled flush (after a failure). */
  discard(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#batch = [];
  }

  #flush(): void {
    if (this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    // Checked one by one in add(): forwarded as records of the port's own metadata, unchecked.
    if (!this.#port.forwardBatch(batch, this.#port.metadata)) this.#full = true;
  }
}
