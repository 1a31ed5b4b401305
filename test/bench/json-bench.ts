/**
 * JSONExtract benchmark (issue #4), baselines in the same run, each case in its own process so
 * its peak RSS is its own:
 *
 *   a. Trefoil: `trefoil run` of a graph JSONExtract `$[*]` (6 mapped fields) → Trash
 *      — goals: ≥ 0.5× (b)'s MB/s with peak RSS < 100 MB, and ≥ 5× (c)
 *   b. `JSON.parse` of the whole file, then the same mapping (the practical ceiling; needs the
 *      whole document in memory)
 *   c. stream-json: `parser()` + `StreamArray` with the same mapping (the streaming peer)
 *
 * The input is a top-level array of 10-member objects (numbers, strings with non-ASCII text,
 * booleans, an ISO date, a nested array and object, null), SIZE_MB megabytes (default 200). The
 * mapping reads id (long), name, email (strings), active (boolean), balance (number) by member
 * name and city from `$.address.city`. Times are measured inside each process, start-up
 * excluded (for Trefoil: the run's `durationMs` from `--json`, which includes loading and
 * validating the graph; the wall time with process start-up is printed too); peak RSS is the
 * process's VmHWM, start-up included.
 *
 * Run: `npx tsx test/bench/json-bench.ts` (SIZE_MB=… for another size; KEEP=1 keeps the scratch
 * directory).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureProcess, type ProcessMeasurement } from './measure-process.ts';

const bin = resolve(import.meta.dirname, '../../engine/cli/bin.mjs');
const sizeMb = Number(process.env.SIZE_MB ?? 200);
const scratch = mkdtempSync(join(tmpdir(), 'trefoil-json-bench-'));
const input = join(scratch, 'input.json');

/** Writes about `bytes` of JSON (one array of objects); returns the number of elements. */
async function generate(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 1;
  let count = 0;
  out.write('[');
  let seed = 7;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const cities = ['Zürich', 'Genève', 'Basel', 'København', 'Łódź', 'Praha'];
  while (written < bytes) {
    let block = '';
    for (let k = 0; k < 2000; k++) {
      const id = count + 1;
      const element = {
        id,
        name: `Customer ${id % 10007}`,
        email: `user${id % 50021}@example.com`,
        active: random() < 0.5,
        balance: Math.round(random() * 10_000_000) / 100,
        created: new Date(1_600_000_000_000 + Math.floor(random() * 100_000_000_000)).toISOString(),
        tags: ['a', 'bé', `t${id % 13}`],
        address: { city: cities[id % cities.length], zip: `${8000 + (id % 100)}` },
        score: random() * 100,
        note: null,
      };
      block += (count === 0 ? '\n' : ',\n') + JSON.stringify(element);
      count++;
    }
    written += Buffer.byteLength(block);
    if (!out.write(block)) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  out.write('\n]\n');
  await new Promise<void>((done) => out.end(() => done()));
  return count;
}

const GRAPH = `
graph: json-bench
parameters:
  IN: { required: true }
metadata:
  Customer:
    fields:
      id: long
      name: string
      email: string
      active: boolean
      balance: number
      city: string
components:
  extract:
    type: JSONExtract
    file: "\${IN}"
    mapping:
      - select: $[*]
        fields: { city: $.address.city }
  trash: { type: Trash }
edges:
  - { from: extract, to: trash, metadata: Customer }
`;

/** The mapping every baseline applies: what a user would write by hand. */
const MAP = `
const map = (o) => ({ id: o.id, name: o.name, email: o.email, active: o.active, balance: o.balance, city: o.address?.city ?? null });
`;

/** Case b: JSON.parse of the whole file. */
const JSON_PARSE = `
import { readFileSync } from 'node:fs';
${MAP}
const [input] = process.argv.slice(2);
const start = process.hrtime.bigint();
const elements = JSON.parse(readFileSync(input, 'utf8'));
let records = 0;
let sink;
for (const element of elements) { sink = map(element); records++; }
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, records, last: sink.id }));
`;

/** Case c: stream-json parser + StreamArray. */
const STREAM_JSON = `
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import streamJson from ${JSON.stringify(import.meta.resolve('stream-json'))};
import StreamArray from ${JSON.stringify(import.meta.resolve('stream-json/streamers/StreamArray.js'))};
${MAP}
const [input] = process.argv.slice(2);
const start = process.hrtime.bigint();
let records = 0;
let sink;
await pipeline(
  createReadStream(input, { highWaterMark: 256 * 1024 }),
  streamJson.parser(),
  StreamArray.streamArray(),
  new Writable({ objectMode: true, write({ value }, _encoding, done) { sink = map(value); records++; done(); } }),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, records, last: sink.id }));
`;

interface CaseResult {
  readonly measurement: ProcessMeasurement;
  readonly seconds: number;
  readonly records: number;
}

async function runCase(label: string, args: string[]): Promise<CaseResult> {
  const measurement = await measureProcess(label, process.execPath, args, { cwd: scratch });
  const line = measurement.stdout.trim().split('\n').pop() ?? '';
  if (measurement.exitCode !== 0 || !line.startsWith('{')) throw new Error(`${label} failed (exit ${measurement.exitCode}): ${measurement.stdout.slice(-2000)}`);
  const { seconds, records } = JSON.parse(line) as { seconds: number; records: number };
  return { measurement, seconds, records };
}

/** Case a: the CLI with `--json`; the run's own duration and the records Trash received. */
async function runTrefoil(label: string): Promise<CaseResult> {
  const args = [bin, 'run', join(scratch, 'graph.yaml'), '-P', `IN=${input}`, '--json', '--log-level', 'warn'];
  const measurement = await measureProcess(label, process.execPath, args, { cwd: scratch });
  if (measurement.exitCode !== 0) throw new Error(`${label} failed (exit ${measurement.exitCode}): ${measurement.stdout.slice(-2000)}`);
  const result = JSON.parse(measurement.stdout) as { tracking: { durationMs: number; components: { id: string; inputs: { records: number }[] }[] } };
  const records = result.tracking.components.find((component) => component.id === 'trash')!.inputs[0]!.records;
  return { measurement, seconds: result.tracking.durationMs / 1000, records };
}

try {
  process.stdout.write(`generating ${sizeMb} MB of JSON in ${scratch} … `);
  const elements = await generate(input, sizeMb * 1024 * 1024);
  const megabytes = statSync(input).size / 1024 / 1024;
  console.log(`${elements.toLocaleString('en-US')} objects, ${megabytes.toFixed(0)} MB`);
  writeFileSync(join(scratch, 'graph.yaml'), GRAPH);
  writeFileSync(join(scratch, 'json-parse.mjs'), JSON_PARSE);
  writeFileSync(join(scratch, 'stream-json.mjs'), STREAM_JSON);

  // Baseline first (STYLE: the first case is the baseline).
  const jsonParse = await runCase('b. JSON.parse + map', ['--max-old-space-size=8192', join(scratch, 'json-parse.mjs'), input]);
  const trefoil = await runTrefoil('a. Trefoil JSONExtract → Trash');
  const streamJson = await runCase('c. stream-json + StreamArray + map', [join(scratch, 'stream-json.mjs'), input]);

  for (const { measurement, seconds, records } of [trefoil, jsonParse, streamJson]) {
    if (records !== elements) throw new Error(`${measurement.label}: ${records} records, expected ${elements}`);
    console.log(
      `${measurement.label.padEnd(36)} ${seconds.toFixed(2).padStart(7)} s ${(megabytes / seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${measurement.peakRssMb.toFixed(0).padStart(5)} MB`,
    );
  }
  console.log(`Trefoil wall time with process start-up: ${trefoil.measurement.seconds.toFixed(2)} s`);
  console.log(`ratio Trefoil / JSON.parse:   ${(jsonParse.seconds / trefoil.seconds).toFixed(2)}× (goal ≥ 0.5×)`);
  console.log(`ratio Trefoil / stream-json:  ${(streamJson.seconds / trefoil.seconds).toFixed(2)}× (goal ≥ 5×)`);
  console.log(`peak RSS Trefoil: ${trefoil.measurement.peakRssMb.toFixed(0)} MB (goal < 100 MB)`);
} finally {
  if (process.env.KEEP !== '1') rmSync(scratch, { recursive: true, force: true });
}
