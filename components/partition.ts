/**
 * Partition — CloverDX's Partition: distributes records among output ports by a key hash, by
 * ranges of a field, or by a JavaScript `route` expression returning the port number.
 */
import { defineComponent } from '../engine/component/define-component.ts';
import type { ConfigProblem } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import { valueToText } from '../engine/metadata/value-text.ts';
import { checkUserCode, compileExpression, standardArguments } from './user-code/compile-user-code.ts';

export default defineComponent({
  type: 'Partition',
  category: 'transformers',
  summary: 'Distributes records among output ports by key hash, by ranges, or by a route expression.',
  description: [
    'Exactly one of: `route` (a JavaScript expression over `$in[0]` returning a port number), `partitionKey` alone (records with equal key values go to the same port: a stable hash of the key\'s text modulo the number of output ports),',
    'or `partitionKey` with `ranges` (ascending upper bounds, exclusive: with `ranges: [10, 20]` values below 10 go to port 0, below 20 to port 1, the rest to port 2; null keys go to the last port).',
    'Output ports are data ports: records routed to an unconnected port are dropped.',
  ].join(' '),
  inputs: { ports: [{ name: 'in', description: 'Records to distribute.', required: true }] },
  outputs: { ports: [{ name: 'out0', description: 'First partition.' }], more: { description: 'Further partitions.' }, min: 1 },
  passThrough: { input: 0, outputs: 'all' },
  config: {
    partitionKey: { type: 'any', description: 'Key field name, or a list of names.', schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] } },
    ranges: { type: 'list', items: { type: 'any', description: 'Upper bound.' }, description: 'Ascending exclusive upper bounds for a single key field.' },
    route: { type: 'code', description: 'JavaScript expression over `$in[0]` returning the output port number.' },
  },
  validate({ config, inputs, outputs }) {
    const problems: ConfigProblem[] = [];
    const modes = [config.route !== undefined, config.partitionKey !== undefined].filter(Boolean).length;
    if (modes !== 1) problems.push({ path: [], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: 'set exactly one of route or partitionKey' });
    if (config.ranges !== undefined && keyFields(config.partitionKey).length !== 1) {
      problems.push({ path: ['ranges'], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: 'ranges need exactly one partitionKey field' });
    }
    const input = inputs[0];
    for (const field of keyFields(config.partitionKey)) {
      if (input && !input.has(field)) problems.push({ path: ['partitionKey'], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: `partitionKey field ${field} is not in metadata ${input.name}` });
    }
    if (config.route !== undefined) {
      for (const problem of checkUserCode(config.route, 'expression', { inputs, outputs: [] })) {
        problems.push({ path: ['route'], code: 'TREFOIL_ERR_GRAPH_CODE', message: problem.message });
      }
    }
    void outputs;
    return problems;
  },
  async run({ config, inputs, outputs, dictionary, parameters }) {
    const input = inputs[0]!;
    const choose = chooser(config, outputs.length, dictionary, parameters);
    let recordNo = 0;
    for await (const batch of input) {
      const routed: DataRecord[][] = outputs.map(() => []);
      for (const record of batch) {
        recordNo++;
        let port: number;
        try {
          port = choose(record);
        } catch (error) {
          throw new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `route failed at record ${recordNo}: ${(error as Error).message}`, { recordNo }, { cause: error });
        }
        if (!Number.isInteger(port) || port < 0 || port >= outputs.length) {
          throw new TrefoilError('TREFOIL_ERR_RUN_TRANSFORM', `route returned ${String(port)} at record ${recordNo}; expected a port number 0..${outputs.length - 1}`, { recordNo });
        }
        routed[port]!.push(record);
      }
      let room = true;
      routed.forEach((records, port) => {
        if (!outputs[port]!.forwardBatch(records, input.metadata)) room = false;
      });
      if (!room) for (const port of outputs) await port.ready();
    }
  },
});

function keyFields(key: unknown): string[] {
  if (key === undefined) return [];
  return typeof key === 'string' ? [key] : (key as string[]);
}

function chooser(
  config: { partitionKey?: unknown; ranges?: readonly unknown[]; route?: string },
  portCount: number,
  dictionary: Record<string, unknown>,
  parameters: Readonly<Record<string, unknown>>,
): (record: DataRecord) => number {
  if (config.route !== undefined) {
    const route = compileExpression(config.route);
    const current: DataRecord[] = [];
    const args = standardArguments(current, [], dictionary, parameters);
    return (record) => {
      current[0] = record;
      return route(...args) as number;
    };
  }
  const fields = keyFields(config.partitionKey);
  if (config.ranges !== undefined) {
    const field = fields[0]!;
    const bounds = config.ranges;
    return (record) => {
      const value = record[field];
      if (value === null || value === undefined) return portCount - 1;
      let port = 0;
      while (port < bounds.length && !((value as number) < (bounds[port] as number))) port++;
      return Math.min(port, portCount - 1);
    };
  }
  return (record) => {
    let hash = 0x811c9dc5;
    for (const field of fields) {
      const text = valueToText(record[field]);
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      hash = Math.imul(hash ^ 0x1f, 0x01000193);
    }
    // FNV-1a alone keeps low bits poorly mixed (parity follows the characters'): finish with
    // murmur3's avalanche so `% portCount` spreads keys evenly.
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return (hash >>> 0) % portCount;
  };
}
