/**
 * Engine benchmark (issue #2), whole processes including start-up, baselines in the same run:
 *
 *   1. graphs/pipeline.yaml through `trefoil run` (DataGenerator → Reformat → Filter → Trash)
 *   2. the hand-written staged loop (arrays of 1024 between stages)  — goal: Trefoil ≥ 0.5×
 *   3. stream.pipeline in object mode                                — goal: Trefoil ≥ 3×
 *   4. the pipeline with a slow last stage: RSS must stay bounded (backpressure)
 *   5. graphs/cross-phase.yaml: a 10M-record cross-phase edge spills; RSS < 300 MB
 *
 * Run: `npm run bench:engine` (RECORDS=20000000 by default; RECORDS=2000000 for a quick look).
 */
import { resolve } from 'node:path';
import { formatRow, measureProcess } from './measure-process.ts';

const here = import.meta.dirname;
const bin = resolve(here, '../../engine/cli/bin.mjs');
const records = Number(process.env.RECORDS ?? 20_000_000);
const spillRecords = Number(process.env.SPILL_RECORDS ?? 10_000_000);

const trefoil = await measureProcess('trefoil run pipeline.yaml', process.execPath, [bin, 'run', resolve(here, 'graphs/pipeline.yaml'), '-P', `RECORDS=${records}`]);
const staged = await measureProcess('staged loop (arrays of 1024)', process.execPath, [resolve(here, 'baseline-staged.mjs'), String(records)]);
const streams = await measureProcess('stream.pipeline (object mode)', process.execPath, [resolve(here, 'baseline-stream.mjs'), String(records)]);
const slowRecords = Number(process.env.SLOW_RECORDS ?? 5_000_000);
const slow = await measureProcess(`slow sink, ${slowRecords / 1e6}M records`, process.execPath, [bin, 'run', resolve(here, 'graphs/slow-sink.yaml'), '-P', `RECORDS=${slowRecords}`]);
const spill = await measureProcess(`cross-phase edge, ${spillRecords / 1e6}M records`, process.execPath, [bin, 'run', resolve(here, 'graphs/cross-phase.yaml'), '-P', `RECORDS=${spillRecords}`]);

console.log(`records: ${records.toLocaleString('en-US')}`);
for (const m of [trefoil, staged, streams]) console.log(formatRow(m, records));
console.log(formatRow(slow, slowRecords));
console.log(formatRow(spill, spillRecords));
console.log(`ratio vs staged loop:     ${(staged.seconds / trefoil.seconds).toFixed(2)}× (goal ≥ 0.5×)`);
console.log(`ratio vs stream.pipeline: ${(streams.seconds / trefoil.seconds).toFixed(2)}× (goal ≥ 3×)`);
console.log(`peak RSS streaming: ${trefoil.peakRssMb.toFixed(0)} MB, with a slow sink ${slow.peakRssMb.toFixed(0)} MB (goal < 150 MB); cross-phase: ${spill.peakRssMb.toFixed(0)} MB (goal < 300 MB)`);
