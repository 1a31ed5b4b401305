/**
 * SimpleCopy — CloverDX's SimpleCopy: every input record to every output.
 */
import { defineComponent } from '../engine/component/define-component.ts';

export default defineComponent({
  type: 'SimpleCopy',
  category: 'transformers',
  summary: 'Copies every input record to every connected output.',
  description:
    'Output 0 gets the record itself, every further output a shallow copy, so a downstream component that changes a record cannot affect another branch. When its branches meet again in the same phase the engine buffers one edge of the cycle so the graph cannot deadlock.',
  inputs: { ports: [{ name: 'in', description: 'Records to copy.', required: true }] },
  outputs: { ports: [{ name: 'out0', description: 'First copy.' }], more: { description: 'Further copies.' }, min: 1 },
  passThrough: { input: 0, outputs: 'all' },
  config: {},
  async run({ inputs, outputs }) {
    const input = inputs[0]!;
    const from = input.metadata;
    const connected = outputs.filter((port) => port.connected);
    for await (const batch of input) {
      let room = true;
      for (let o = 0; o < connected.length; o++) {
        const copies = o === 0 ? batch : batch.map((record) => ({ ...record }));
        if (!connected[o]!.forwardBatch(copies, from)) room = false;
      }
      if (!room) for (const port of connected) await port.ready();
    }
  },
});
