/**
 * File benchmark (issue #3), whole processes including start-up, baselines in the same run:
 *
 *   a. `trefoil run`: FileReader csv → Reformat → FileWriter csv          — goal: ≥ 3× (b), RSS < 200 MB
 *   b. csv-parse → the same per-record work → csv-stringify (stream.pipeline)
 *   c. a `cat`-style fs stream copy of the file (the disk's ceiling)
 *
 * The input is generated once: 10 columns of mixed types (long, strings, a quoted string with
 * commas and quotes, decimal, integer, double, boolean, ISO date), SIZE_MB megabytes
 * (default 200; the 1 GB run is SIZE_MB=1024).
 *
 * Reported: wall time, MB/s and peak RSS of each (whole processes, start-up included), whether
 * (a) and (b) wrote byte-identical files, and — from a second run of (a) and (b) under
 * /usr/bin/time — their CPU seconds, the steadier ratio on a busy machine.
 *
 * Run: `node --import tsx test/bench/files-bench.ts` (SIZE_MB=1024 for the 1 GB run; KEEP=1 keeps
 * the scratch directory).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatRow, measureProcess, type ProcessMeasurement } from './measure-process.ts';

const here = import.meta.dirname;
const bin = resolve(here, '../../engine/cli/bin.mjs');
const sizeMb = Number(process.env.SIZE_MB ?? 200);
const scratch = mkdtempSync(join(tmpdir(), 'trefoil-files-bench-'));
const input = join(scratch, 'input.csv');

const HEADER = 'id,customer,email,note,amount,quantity,price,active,created,category\n';
const CATEGORIES = ['books', 'music', 'garden', 'toys', 'food', 'tools'];

/** Writes about `bytes` of CSV; returns the number of data rows. */
async function generate(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let rows = 0;
  out.write(HEADER);
  written += HEADER.length;
  let seed = 42;
  const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  while (written < bytes) {
    let block = '';
    for (let k = 0; k < 2000; k++) {
      const id = rows + 1;
      const note = random() < 0.2 ? `"said ""hi"", then left, ${id}"` : `plain note ${id % 977}`;
      const amount = (random() * 100000).toFixed(2);
      const created = new Date(1_600_000_000_000 + Math.floor(random() * 100_000_000_000)).toISOString();
      block += `${id},Customer ${id % 10007},user${id % 50021}@example.com,${note},${amount},${Math.floor(random() * 1000)},${(random() * 1000).toPrecision(8)},${random() < 0.5},${created},${CATEGORIES[id % 6]}\n`;
      rows++;
    }
    written += block.length;
    if (!out.write(block)) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  await new Promise<void>((done) => out.end(() => done()));
  return rows;
}

const GRAPH = `
graph: files-bench
parameters:
  IN: { required: true }
  OUT: { required: true }
metadata:
  Row:
    fields:
      id: long
      customer: string
      email: string
      note: string
      amount: { type: decimal, precision: 12, scale: 2 }
      quantity: integer
      price: number
      active: boolean
      created: date
      category: string
components:
  read: { type: FileReader, file: "\${IN}", format: csv, metadata: Row }
  work:
    type: Reformat
    transform: |
      copy($in[0], $out[0]);
      $out[0].quantity = $in[0].quantity + 1;
  write: { type: FileWriter, file: "\${OUT}", format: csv }
edges:
  - { from: read, to: work }
  - { from: work, to: write, metadata: Row }
`;

/** The same work with csv-parse and csv-stringify: typed values in, +1 on quantity, CSV out (imports by absolute URL: the script runs from the scratch directory). */
const BASELINE = `
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from '${import.meta.resolve('csv-parse')}';
import { stringify } from '${import.meta.resolve('csv-stringify')}';
const [input, output] = process.argv.slice(2);
const work = new Transform({
  objectMode: true,
  transform(row, _encoding, done) {
    const record = {
      id: Number(row.id), customer: row.customer, email: row.email, note: row.note,
      amount: row.amount, quantity: Number(row.quantity) + 1, price: Number(row.price),
      active: row.active === 'true', created: new Date(row.created), category: row.category,
    };
    done(null, record);
  },
});
await pipeline(
  createReadStream(input, { highWaterMark: 1 << 20 }),
  parse({ columns: true }),
  work,
  stringify({ header: true, cast: { date: (value) => value.toISOString(), boolean: (value) => String(value) } }),
  createWriteStream(output),
);
`;

const CAT = `
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
const [input, output] = process.argv.slice(2);
await pipeline(createReadStream(input, { highWaterMark: 1 << 20 }), createWriteStream(output));
`;

/**
 * CPU seconds (user + system) of a run of the same command, via /usr/bin/time when it exists:
 * wall time depends on what else the machine runs, CPU time much less.
 */
function cpuSeconds(command: string, args: string[], cwd?: string): Promise<number | undefined> {
  if (!existsSync('/usr/bin/time')) return Promise.resolve(undefined);
  return new Promise((resolvePromise) => {
    const child = spawn('/usr/bin/time', ['-f', '__cpu__ %U %S', command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', () => {
      const match = /__cpu__ ([\d.]+) ([\d.]+)/.exec(stderr);
      resolvePromise(match ? Number(match[1]) + Number(match[2]) : undefined);
    });
  });
}

/** True when both files hold the same bytes. */
async function sameBytes(a: string, b: string): Promise<boolean> {
  if (statSync(a).size !== statSync(b).size) return false;
  const left = createReadStream(a, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(b, { highWaterMark: 1 << 20 })) {
    let right: Buffer = chunk as Buffer;
    while (right.length > 0) {
      if (pending.length === 0) pending = (await left.next()).value as Buffer;
      const n = Math.min(pending.length, right.length);
      if (!pending.subarray(0, n).equals(right.subarray(0, n))) return false;
      pending = pending.subarray(n);
      right = right.subarray(n);
    }
  }
  return true;
}

try {
  process.stdout.write(`generating ${sizeMb} MB of CSV in ${scratch} … `);
  const rows = await generate(input, sizeMb * 1024 * 1024);
  const megabytes = statSync(input).size / 1024 / 1024;
  console.log(`${rows.toLocaleString('en-US')} rows, ${megabytes.toFixed(0)} MB`);
  writeFileSync(join(scratch, 'graph.yaml'), GRAPH);
  writeFileSync(join(scratch, 'baseline.mjs'), BASELINE);
  writeFileSync(join(scratch, 'cat.mjs'), CAT);

  const trefoil = await measureProcess('a. trefoil FileReader→Reformat→FileWriter', process.execPath, [bin, 'run', join(scratch, 'graph.yaml'), '-P', `IN=${input}`, '-P', `OUT=${join(scratch, 'trefoil.csv')}`], { cwd: scratch });
  const baseline = await measureProcess('b. csv-parse → work → csv-stringify', process.execPath, [join(scratch, 'baseline.mjs'), input, join(scratch, 'baseline.csv')]);
  const copy = await measureProcess('c. fs stream copy (cat)', process.execPath, [join(scratch, 'cat.mjs'), input, join(scratch, 'copy.csv')]);

  const rate = (m: ProcessMeasurement): string => `${(megabytes / m.seconds).toFixed(1).padStart(7)} MB/s`;
  for (const m of [trefoil, baseline, copy]) console.log(`${formatRow(m, rows)}  ${rate(m)}`);
  if (trefoil.exitCode !== 0) console.log('trefoil run failed:', trefoil.stdout.slice(-2000));
  console.log(`outputs byte-identical (trefoil vs csv-stringify): ${(await sameBytes(join(scratch, 'trefoil.csv'), join(scratch, 'baseline.csv'))) ? 'yes' : 'NO'}`);
  console.log(`ratio trefoil / csv-parse (wall):  ${(baseline.seconds / trefoil.seconds).toFixed(2)}× (goal ≥ 3×)`);
  console.log(`ratio trefoil / cat (wall):        ${(copy.seconds / trefoil.seconds).toFixed(2)}×`);
  console.log(`peak RSS trefoil: ${trefoil.peakRssMb.toFixed(0)} MB (goal < 200 MB)`);
  // A second run of (a) and (b) for CPU time, the fairer number on a busy machine.
  const trefoilCpu = await cpuSeconds(process.execPath, [bin, 'run', join(scratch, 'graph.yaml'), '-P', `IN=${input}`, '-P', `OUT=${join(scratch, 'trefoil.csv')}`], scratch);
  const baselineCpu = await cpuSeconds(process.execPath, [join(scratch, 'baseline.mjs'), input, join(scratch, 'baseline.csv')]);
  if (trefoilCpu !== undefined && baselineCpu !== undefined) {
    console.log(`CPU seconds: trefoil ${trefoilCpu.toFixed(2)}, csv-parse ${baselineCpu.toFixed(2)}; ratio ${(baselineCpu / trefoilCpu).toFixed(2)}×`);
  }
} finally {
  if (process.env.KEEP !== '1') rmSync(scratch, { recursive: true, force: true });
}
