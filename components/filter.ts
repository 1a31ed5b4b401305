/**
 * Filter — CloverDX's ExtFilter: records for which the expression is true go to port 0, the
 * others to port 1 (a data port: unconnected, they are dropped).
 */
import { defineComponent } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import { checkUserCode, compileExpression } from './user-code/compile-user-code.ts';
import { compileFilterLoop } from './user-code/single-output-loop.ts';

export default defineComponent({
  type: 'Filter',
  category: 'transformers',
  summary: 'Splits records by a JavaScript expression: true to port 0 (accepted), false to port 1 (rejected).',
  description:
    'The expression sees `$in[0]`, `dict` and `params` and is evaluated per record; a truthy result accepts the record. Records are passed on unchanged, so both outputs carry the input\'s metadata.',
  inputs: { ports: [{ name: 'in', description: 'Records to filter.', required: true }] },
  outputs: {
    ports: [
      { name: 'accepted', description: 'Records for which the expression is true.' },
      { name: 'rejected', description: 'The other records; dropped when unconnected.' },
    ],
  },
  passThrough: { input: 0, outputs: 'all' },
  config: {
    filter: { type: 'code', required: true, description: 'A JavaScript expression over `$in[0]`, e.g. `$in[0].amount > 100 && $in[0].country === "CZ"`.' },
  },
  examples: [{ title: 'Large orders only', yaml: ['large:', '  type: Filter', '  filter: $in[0].amount >= 1000'].join('\n') }],
  validate({ config, inputs }) {
    return checkUserCode(config.filter, 'expression', { inputs, outputs: [] }).map((problem) => ({
      path: ['filter'],
      code: 'TREFOIL_ERR_GRAPH_CODE' as const,
      message: problem.message,
    }));
  },
  async run({ config, inputs, outputs, dictionary, parameters }) {
    const position = { index: 0 };
    const split = compileFilterLoop({ code: compileExpression(config.filter), dictionary, parameters, position });
    const input = inputs[0]!;
    const from = input.metadata;
    const accepted = outputs[0]!;
    const rejected = outputs[1];
    let done = 0;
    for await (const batch of input) {
      const pass: DataRecord[] = [];
      const fail: DataRecord[] = [];
      try {
        split(batch, pass, fail);
      } catch (error) {
        const recordNo = done + position.index + 1;
        throw new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `filter expression failed at record ${recordNo}: ${(error as Error).message ?? String(error)}`, { recordNo }, { cause: error });
      }
      done += batch.length;
      let room = accepted.forwardBatch(pass, from);
      if (rejected !== undefined && !rejected.forwardBatch(fail, from)) room = false;
      if (!room) {
        await accepted.ready();
        await rejected?.ready();
      }
    }
  },
});
