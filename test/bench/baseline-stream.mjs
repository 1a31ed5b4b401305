// Baseline for the engine benchmark: the same work with Node's stream.pipeline in object mode
// (what a Node user would write without an engine).
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const total = Number(process.argv[2] ?? 20_000_000);
let kept = 0;
function* generate() {
  for (let index = 0; index < total; index++) yield { id: index, value: index * 0.5, category: 'c' };
}
await pipeline(
  Readable.from(generate()),
  new Transform({ objectMode: true, transform(i, _e, done) { done(null, { id: i.id, value: i.value, category: i.category, total: i.value * 1.21 }); } }),
  new Transform({ objectMode: true, transform(r, _e, done) { done(null, r.id % 2 === 0 ? r : undefined); } }),
  new Writable({ objectMode: true, write(_r, _e, done) { kept++; done(); } }),
);
process.stdout.write(`${kept}\n`);
