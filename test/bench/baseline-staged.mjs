// Baseline for the engine benchmark: the same work as graphs/pipeline.yaml as a hand-written
// staged loop, records materialised in arrays of 1024 between stages (the practical limit of a
// staged pipeline in JavaScript).
const total = Number(process.argv[2] ?? 20_000_000);
const BATCH = 1024;
let kept = 0;
for (let start = 0; start < total; start += BATCH) {
  const end = Math.min(total, start + BATCH);
  const generated = new Array(end - start);
  for (let index = start; index < end; index++) generated[index - start] = { id: index, value: index * 0.5, category: 'c' };
  const priced = new Array(generated.length);
  for (let k = 0; k < generated.length; k++) {
    const i = generated[k];
    priced[k] = { id: i.id, value: i.value, category: i.category, total: i.value * 1.21 };
  }
  const accepted = [];
  for (const record of priced) if (record.id % 2 === 0) accepted.push(record);
  kept += accepted.length;
}
process.stdout.write(`${kept}\n`);
