/**
 * An example custom component: upper-cases one string field. A graph names this file as its
 * `type:`; TypeScript loads without a build step. Only the public plugin API is imported.
 */
import { defineComponent } from 'trefoil/plugin';

export default defineComponent({
  type: 'Uppercase',
  category: 'transformers',
  summary: 'Upper-cases one string field of every record.',
  description: 'Records pass through otherwise unchanged.',
  inputs: { ports: [{ name: 'in', description: 'Records.', required: true }] },
  outputs: { ports: [{ name: 'out', description: 'The same records, the field upper-cased.', required: true }] },
  passThrough: { input: 0, outputs: 'all' },
  config: {
    field: { type: 'string', required: true, description: 'Name of the string field to upper-case.' },
  },
  validate({ config, inputs }) {
    const metadata = inputs[0];
    if (metadata && metadata.field(config.field)?.type !== 'string') {
      return [{ path: ['field'], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: `${config.field} is not a string field of ${metadata.name}` }];
    }
    return [];
  },
  async run({ config, inputs, outputs }) {
    const input = inputs[0]!;
    const output = outputs[0]!;
    for await (const batch of input) {
      for (const record of batch) {
        const value = record[config.field];
        if (typeof value === 'string') record[config.field] = value.toUpperCase();
        output.forward(record, input.metadata);
      }
      await output.ready();
    }
  },
});
