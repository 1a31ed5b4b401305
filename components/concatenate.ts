/**
 * Concatenate — CloverDX's Concatenate: all records of input 0, then of input 1, and so on.
 */
import { defineComponent } from '../engine/component/define-component.ts';

export default defineComponent({
  type: 'Concatenate',
  category: 'joiners',
  summary: 'Sends all records of input 0, then all of input 1, and so on, to its output.',
  description: 'Inputs are read strictly in port order; all inputs must share the output\'s metadata (field names and types).',
  inputs: { ports: [{ name: 'in0', description: 'Read first.' }], more: { description: 'Read after the previous port ended.' }, min: 1 },
  outputs: { ports: [{ name: 'out', description: 'The concatenation.', required: true }] },
  passThrough: { input: 0, outputs: 'all' },
  config: {},
  async run({ inputs, outputs }) {
    const output = outputs[0]!;
    for (const input of inputs) {
      const from = input.metadata;
      for await (const batch of input) {
        if (!output.forwardBatch(batch, from)) await output.ready();
      }
    }
  },
});
