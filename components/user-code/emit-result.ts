/**
 * Routing the return value of Reformat and DataGenerator code (CloverDX semantics): `ALL` or
 * nothing returned sends the record of every connected output, `SKIP` sends nothing, a port
 * number sends only that port's record.
 */
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';
import { ALL, SKIP, describeReturn } from './compile-user-code.ts';

/**
 * Writes the records the result selects. Returns false when an edge is full (the caller
 * awaits `ready()` on its outputs before the next batch).
 * @throws Error for a return value that is none of the above.
 */
export function emitResult(result: unknown, records: DataRecord[], outputs: readonly OutputPort[]): boolean {
  if (result === undefined || result === ALL) {
    let room = true;
    for (let i = 0; i < outputs.length; i++) {
      const port = outputs[i]!;
      if (port.connected && !port.write(records[i]!)) room = false;
    }
    return room;
  }
  if (result === SKIP) return true;
  if (typeof result === 'number' && Number.isInteger(result) && result >= 0 && result < outputs.length) {
    return outputs[result]!.write(records[result]!);
  }
  throw new Error(`code returned ${describeReturn(result)}; return ALL, SKIP or an output port number 0..${outputs.length - 1}`);
}

/** Awaits room on every output (after a batch during which some edge filled up). */
export async function allReady(outputs: readonly OutputPort[]): Promise<void> {
  for (const port of outputs) if (port.connected) await port.ready();
}
