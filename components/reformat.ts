/**
 * Reformat — CloverDX's Reformat: one input, one or more outputs; JavaScript code per record.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineComponent, type ComponentContext } from '../engine/component/define-component.ts';
import type { ConfigOf } from '../engine/component/config-spec.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import type { OutputPort } from '../engine/runtime/ports.ts';
import { checkUserCode, compileBody, standardArguments, type UserFunction } from './user-code/compile-user-code.ts';
import { allReady, OutputBatches } from './user-code/emit-result.ts';
import { compileTransformLoop } from './user-code/single-output-loop.ts';

const config = {
  transform: {
    type: 'code',
    description:
      'JavaScript function body run per input record with `$in[0]`, `$out[n]`, `dict`, `params`, `copy(from, to)`; returns ALL (default), SKIP or a port number.',
  },
  transformModule: {
    type: 'string',
    description: 'A JS/TS module (relative to the graph) exporting `transform($in, $out, dict, params)` and optional `init(context)` / `finish(context)`; instead of `transform`.',
  },
  onError: {
    type: 'string',
    enum: ['fail', 'skip', 'port'],
    default: 'fail',
    description: 'When the code throws or returns a bad value: fail the run, skip the record, or send the input record with `errorMessage` to the last output port.',
  },
} as const;

type ReformatConfig = ConfigOf<typeof config>;

/** What a `transformModule` exports. */
interface TransformModule {
  transform: UserFunction;
  init?: (context: { dict: Record<string, unknown>; params: Readonly<Record<string, unknown>> }) => void | Promise<void>;
  finish?: (context: { dict: Record<string, unknown>; params: Readonly<Record<string, unknown>> }) => void | Promise<void>;
}

export default defineComponent({
  type: 'Reformat',
  category: 'transformers',
  summary: 'Transforms each input record with JavaScript code into records on one or more outputs.',
  description: [
    'The code runs once per input record, synchronously. `$out[n]` is a fresh record for each output port, every field null or its default;',
    'set its fields and return `ALL` (or nothing) to send every connected output\'s record, `SKIP` to send none, or a port number to send only that one.',
    '`copy($in[0], $out[0])` copies every field with the same name (CloverDX `$out.0.* = $in.0.*`).',
    'Field names are checked against the edges\' metadata when the graph is validated.',
    'With `onError: port` the last output port is the error port: it receives the input record\'s fields by name plus `errorMessage`.',
  ].join(' '),
  inputs: { ports: [{ name: 'in', description: 'Records to transform.', required: true }] },
  outputs: {
    ports: [{ name: 'out', description: 'Transformed records.', required: true }],
    more: { description: 'Further outputs, addressed by returning their number.' },
  },
  config,
  examples: [
    {
      title: 'Compute a field and route small orders to port 1',
      yaml: [
        'total:',
        '  type: Reformat',
        '  transform: |',
        '    copy($in[0], $out[0]);',
        '    $out[0].total = $in[0].price * $in[0].quantity;',
        '    return $out[0].total < 10 ? 1 : 0;',
      ].join('\n'),
    },
  ],
  validate({ config, inputs, outputs }) {
    if ((config.transform === undefined) === (config.transformModule === undefined)) {
      return [{ path: [], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: 'set exactly one of transform or transformModule' }];
    }
    if (config.onError === 'port' && outputs.length < 2) {
      return [{ path: ['onError'], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: 'onError: port sends failed records to the last output port, so connect at least two outputs' }];
    }
    if (config.transform === undefined) return [];
    const dataOutputs = config.onError === 'port' ? outputs.slice(0, -1) : outputs;
    return checkUserCode(config.transform, 'body', { inputs, outputs: dataOutputs }).map((problem) => ({
      path: ['transform'],
      code: 'TREFOIL_ERR_GRAPH_CODE',
      message: problem.message,
    }));
  },
  async run(context) {
    const { config } = context;
    const module = config.transformModule !== undefined ? await loadTransformModule(context, config.transformModule) : undefined;
    const transform = module?.transform ?? compileBody(config.transform!);
    const hooks = { dict: context.dictionary, params: context.parameters };
    await module?.init?.(hooks);
    await transformAll(context, transform);
    await module?.finish?.(hooks);
  },
});

async function transformAll(context: ComponentContext<ReformatConfig>, transform: UserFunction): Promise<void> {
  const { config } = context;
  if (config.onError === 'fail' && context.outputs.length === 1) return transformSingleOutput(context, transform);
  const errorPort = config.onError === 'port' ? context.outputs.length - 1 : -1;
  const outputs: OutputPort[] = errorPort >= 0 ? context.outputs.slice(0, -1) : [...context.outputs];
  const batches = new OutputBatches(context.outputs);
  const current: DataRecord[] = [];
  const fresh: DataRecord[] = new Array(outputs.length);
  const [in0, out0, dict, params, copy, all, skip] = standardArguments(current, fresh, context.dictionary, context.parameters);
  let recordNo = 0;
  for await (const batch of context.inputs[0]!) {
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i]!;
      recordNo++;
      current[0] = record;
      for (let o = 0; o < outputs.length; o++) fresh[o] = outputs[o]!.newRecord();
      try {
        batches.route(transform(in0, out0, dict, params, copy, all, skip), fresh);
      } catch (error) {
        if (config.onError === 'skip') {
          context.log.warn({ recordNo, err: (error as Error).message }, 'record skipped');
        } else if (errorPort >= 0) {
          const port = context.outputs[errorPort]!;
          batches.add(errorPort, context.errorRecord(port, record, { errorMessage: (error as Error).message, recordNo }));
        } else {
          throw transformError(error, recordNo);
        }
      }
    }
    if (!batches.flush()) await allReady(context.outputs);
  }
}

/** The common shape — one output, failures fail the run — through a loop compiled for this component. */
async function transformSingleOutput(context: ComponentContext<ReformatConfig>, transform: UserFunction): Promise<void> {
  const port = context.outputs[0]!;
  const position = { index: 0 };
  const loop = compileTransformLoop({ port, code: transform, dictionary: context.dictionary, parameters: context.parameters, position });
  let done = 0;
  for await (const batch of context.inputs[0]!) {
    const out: DataRecord[] = [];
    try {
      loop(batch, out);
    } catch (error) {
      throw transformError(error, done + position.index + 1);
    }
    done += batch.length;
    if (!port.forwardBatch(out, port.metadata)) await port.ready();
  }
}

function transformError(error: unknown, recordNo: number): TrefoilError {
  if (error instanceof TrefoilError) return error;
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : error.name + ': '}${error.message}` : String(error);
  return new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `transform failed at record ${recordNo}: ${message}`, { recordNo }, { cause: error });
}

async function loadTransformModule(context: ComponentContext<ReformatConfig>, path: string): Promise<TransformModule> {
  const file = resolve(context.graphDir, path);
  const url = pathToFileURL(file).href;
  const loaded = (/\.(m|c)?ts$/.test(file)
    ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url)
    : await import(url)) as Partial<TransformModule> & { default?: Partial<TransformModule> };
  const module = typeof loaded.transform === 'function' ? loaded : loaded.default;
  if (!module || typeof module.transform !== 'function') {
    throw new TrefoilError('TREFOIL_ERR_RUN_COMPONENT', `transformModule ${path} does not export a transform function`);
  }
  return module as TransformModule;
}
