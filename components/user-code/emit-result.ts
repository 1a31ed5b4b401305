/**
 * Routing the return value of Reformat and DataGenerator code (CloverDX semantics): `ALL` or
 * nothing returned sends the record of every connected output, `SKIP` sends nothing, a port
 * number sends only that port's record.
 *
 * NOTE: records are gathered per output and handed to the edges a batch at a time
 * (`OutputPort.forwardBatch`): one tight loop per batch instead of a call chain per record.
 * This is what lets the engine benchmark approach a hand-written staged loop (test/bench).
 */
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';
import { ALL, SKIP, describeReturn } from './compile-user-code.ts';

export class OutputBatches {
  readonly #outputs: readonly OutputPort[];
  readonly #connected: boolean[];
  #batches: DataRecord[][];

  constructor(outputs: readonly OutputPort[]) {
    this.#outputs = outputs;
    this.#connected = outputs.map((port) => port.connected);
    this.#batches = outputs.map(() => []);
  }

  /**
   * Checks and gathers the records `result` selects.
   * @throws TrefoilError for a record that does not match its port's metadata, Error for a
   *   return value that is none of ALL, SKIP or a port number.
   */
  route(result: unknown, records: DataRecord[]): void {
    if (result === undefined || result === ALL) {
      for (let i = 0; i < records.length; i++) if (this.#connected[i]) this.#add(i, records[i]!);
    } else if (result === SKIP) {
      return;
    } else if (typeof result === 'number' && Number.isInteger(result) && result >= 0 && result < records.length) {
      if (this.#connected[result]) this.#add(result, records[result]!);
    } else {
      throw new Error(`code returned ${describeReturn(result)}; return ALL, SKIP or an output port number 0..${records.length - 1}`);
    }
  }

  /** Adds a record to one port's batch after checking it (error records, for instance). */
  add(port: number, record: DataRecord): void {
    if (this.#connected[port]) this.#add(port, record);
  }

  #add(port: number, record: DataRecord): void {
    const batch = this.#batches[port]!;
    this.#outputs[port]!.check(record, batch.length);
    batch.push(record);
  }

  /** Writes the gathered batches. Returns false when an edge is full (then `await allReady`). */
  flush(): boolean {
    let room = true;
    for (let i = 0; i < this.#outputs.length; i++) {
      const batch = this.#batches[i]!;
      if (batch.length === 0) continue;
      const port = this.#outputs[i]!;
      if (!port.forwardBatch(batch, port.metadata)) room = false;
      this.#batches[i] = [];
    }
    return room;
  }
}

/** Awaits room on every output (after a batch during which some edge filled up). */
export async function allReady(outputs: readonly OutputPort[]): Promise<void> {
  for (const port of outputs) if (port.connected) await port.ready();
}
