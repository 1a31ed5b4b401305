/**
 * SimpleGather — CloverDX's SimpleGather: records from all inputs, as they arrive.
 */
import { defineComponent } from '../engine/component/define-component.ts';
import type { Batch } from '../engine/runtime/batch-queue.ts';

export default defineComponent({
  type: 'SimpleGather',
  category: 'joiners',
  summary: 'Interleaves the records of all inputs in the order they arrive.',
  description: 'Reads every input concurrently and forwards each batch as soon as it arrives; the order between inputs is not defined, the order within one input is kept.',
  inputs: { ports: [{ name: 'in0', description: 'An input.' }], more: { description: 'Further inputs.' }, min: 1 },
  outputs: { ports: [{ name: 'out', description: 'All records.', required: true }] },
  passThrough: { input: 0, outputs: 'all' },
  config: {},
  async run({ inputs, outputs }) {
    const output = outputs[0]!;
    const pending = new Map<number, Promise<{ port: number; batch: Batch | null }>>();
    const readFrom = (port: number) => pending.set(port, inputs[port]!.read().then((batch) => ({ port, batch })));
    inputs.forEach((input, port) => input.connected && readFrom(port));
    while (pending.size > 0) {
      const { port, batch } = await Promise.race(pending.values());
      pending.delete(port);
      if (batch === null) continue;
      const from = inputs[port]!.metadata;
      if (!output.forwardBatch(batch, from)) await output.ready();
      readFrom(port);
    }
  },
});
