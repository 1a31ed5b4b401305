/**
 * Trash — CloverDX's Trash: reads and discards every record.
 */
import { defineComponent } from '../engine/component/define-component.ts';

export default defineComponent({
  type: 'Trash',
  category: 'writers',
  summary: 'Discards every record it receives (optionally logging them).',
  description: 'Useful as a sink while developing a graph and in benchmarks. With `debugPrint: true` each record is logged at info level.',
  inputs: { ports: [{ name: 'in0', description: 'Records to discard.' }], more: { description: 'Further inputs.' } },
  outputs: { ports: [] },
  config: {
    debugPrint: { type: 'boolean', default: false, description: 'Log every record at info level.' },
  },
  async run({ config, inputs, log }) {
    await Promise.all(
      inputs.map(async (input) => {
        for await (const batch of input) {
          if (config.debugPrint) for (const record of batch) log.info({ record }, 'record');
        }
      }),
    );
  },
});
