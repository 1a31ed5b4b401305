/**
 * DataGenerator — CloverDX's DataGenerator: produces `records` records from JavaScript code.
 */
import { defineComponent } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import { checkUserCode, compileBody, standardArguments } from './user-code/compile-user-code.ts';
import { allReady, OutputBatches } from './user-code/emit-result.ts';
import { compileGenerateLoop, type GenerateLoop, type LoopPosition } from './user-code/single-output-loop.ts';
import type { OutputPort } from '../engine/runtime/ports.ts';
import { seededRandom } from './user-code/seeded-random.ts';

export default defineComponent({
  type: 'DataGenerator',
  category: 'generators',
  summary: 'Generates records from JavaScript code: one call per record, with its 0-based index and a seeded random().',
  description: [
    'Calls `generate` `records` times. Each call gets `$out[n]` (fresh records, fields null or default), `index` (0-based),',
    '`random()` (a seeded generator returning [0, 1), so runs are repeatable), `dict` and `params`, and returns like Reformat:',
    '`ALL` (or nothing), `SKIP`, or a port number. Stops early, cleanly, when every connected output\'s reader has stopped.',
  ].join(' '),
  inputs: { ports: [] },
  outputs: {
    ports: [{ name: 'out', description: 'Generated records.', required: true }],
    more: { description: 'Further outputs, addressed by returning their number.' },
  },
  config: {
    records: { type: 'integer', minimum: 0, required: true, description: 'How many times `generate` is called.' },
    generate: {
      type: 'code',
      required: true,
      description: 'JavaScript function body with `$out[n]`, `index`, `random()`, `dict`, `params`; returns ALL (default), SKIP or a port number.',
    },
    seed: { type: 'integer', default: 42, description: 'Seed of `random()`.' },
  },
  examples: [
    {
      title: 'A million orders',
      yaml: ['orders:', '  type: DataGenerator', '  records: 1000000', '  generate: |', '    $out[0].id = index + 1;', '    $out[0].amount = Math.round(random() * 10000) / 100;'].join('\n'),
    },
  ],
  validate({ config, inputs, outputs }) {
    return checkUserCode(config.generate, 'body', { inputs, outputs }, ['index', 'random']).map((problem) => ({
      path: ['generate'],
      code: 'TREFOIL_ERR_GRAPH_CODE' as const,
      message: problem.message,
    }));
  },
  async run({ config, outputs, dictionary, parameters }) {
    const generate = compileBody(config.generate, ['index', 'random']);
    const random = seededRandom(config.seed);
    const fresh: DataRecord[] = new Array(outputs.length);
    const [in0, out0, dict, params, copy, all, skip] = standardArguments([], fresh, dictionary, parameters);
    const total = config.records;
    if (outputs.length === 1) {
      const position = { index: 0 };
      const loop = compileGenerateLoop({ port: outputs[0]!, code: generate, dictionary, parameters, position, random });
      return generateSingleOutput(outputs[0]!, total, loop, position);
    }
    const batches = new OutputBatches(outputs);
    const chunk = Math.min(...outputs.map((port) => port.batchSize));
    let index = 0;
    let rounds = 0;
    while (index < total) {
      if (outputs.every((port) => port.closed)) return;
      const end = Math.min(total, index + chunk);
      for (; index < end; index++) {
        for (let o = 0; o < outputs.length; o++) fresh[o] = outputs[o]!.newRecord();
        try {
          batches.route(generate(in0, out0, dict, params, copy, all, skip, index, random), fresh);
        } catch (error) {
          if (error instanceof TrefoilError) throw error;
          throw new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `generate failed at record ${index + 1} (index ${index}): ${(error as Error).message ?? String(error)}`, { recordNo: index + 1 }, { cause: error });
        }
      }
      if (!batches.flush()) await allReady(outputs);
      // NOTE: a pure in-memory pipeline runs entirely on promise continuations; yielding to
      // the event loop now and then keeps timers (live tracking) and signals (SIGINT) alive.
      else if ((++rounds & 63) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      else await Promise.resolve();
    }
  },
});

/** One output: batches from a loop compiled for this component (see single-output-loop.ts). */
async function generateSingleOutput(port: OutputPort, total: number, loop: GenerateLoop, position: LoopPosition): Promise<void> {
  const chunk = port.batchSize;
  let index = 0;
  let rounds = 0;
  while (index < total) {
    if (port.closed) return;
    const end = Math.min(total, index + chunk);
    const out: DataRecord[] = [];
    try {
      loop(index, end, out);
    } catch (error) {
      if (error instanceof TrefoilError) throw error;
      const failed = position.index;
      throw new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `generate failed at record ${failed + 1} (index ${failed}): ${(error as Error).message ?? String(error)}`, { recordNo: failed + 1 }, { cause: error });
    }
    index = end;
    if (!port.forwardBatch(out, port.metadata)) await port.ready();
    // NOTE: see the multi-output loop: yield to the event loop now and then.
    else if ((++rounds & 63) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    else await Promise.resolve();
  }
}
