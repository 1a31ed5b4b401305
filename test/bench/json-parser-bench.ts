/**
 * Throughput check (not a test): tokenizing a 200 MB array of objects with the streaming parser
 * versus `JSON.parse` on the same bytes, in the same process, baseline first.
 *
 *   npx tsx test/bench/json-parser-bench.ts [megabytes]
 *
 * Rows: JSON.parse (decode the buffer to a string, then parse: what a user would otherwise do);
 * the streaming parser with a no-op handler (every token decoded: names, strings, numbers); the
 * same with the value builder (materializes the whole document, like JSON.parse); and the
 * parser skipping the whole document (validation only). Each is the median of 3 runs.
 */
import type { JsonEventHandler } from '../../components/json/json-event-handler.ts';
import { JsonValueBuilder } from '../../components/json/json-value-builder.ts';
import { StreamingJsonParser } from '../../components/json/streaming-json-parser.ts';

const megabytes = Number(process.argv[2] ?? 200);
const CHUNK = 64 * 1024;

function generate(targetBytes: number): Buffer {
  const parts: string[] = [];
  let size = 1;
  for (let i = 0; size < targetBytes; i++) {
    const part = JSON.stringify({ id: i, name: `customer ${i}`, email: `user${i}@example.com`, active: i % 3 !== 0, balance: (i * 37.13) % 10_000, tags: ['a', 'bé'], address: { city: 'Zürich', zip: `${8000 + (i % 100)}` }, note: null });
    parts.push(part);
    size += part.length + 1;
  }
  return Buffer.from(`[${parts.join(',')}]`);
}

const noop: JsonEventHandler = {
  onStartObject() {},
  onEndObject() {},
  onStartArray() {},
  onEndArray() {},
  onKey() {},
  onScalar() {},
  onSkippedValue() {},
};

function feed(parser: StreamingJsonParser, bytes: Buffer): void {
  for (let i = 0; i < bytes.length; i += CHUNK) parser.write(bytes.subarray(i, i + CHUNK));
  parser.end();
}

const cases: [string, (bytes: Buffer) => unknown][] = [
  ['JSON.parse(buffer.toString())', (bytes) => JSON.parse(bytes.toString('utf8'))],
  ['StreamingJsonParser, tokens only', (bytes) => feed(new StreamingJsonParser(noop), bytes)],
  ['StreamingJsonParser + JsonValueBuilder', (bytes) => feed(new StreamingJsonParser(new JsonValueBuilder()), bytes)],
  [
    'StreamingJsonParser, whole document skipped',
    (bytes) => {
      const parser = new StreamingJsonParser(noop);
      parser.skipNextValue();
      feed(parser, bytes);
    },
  ],
];

const bytes = generate(megabytes * 1024 * 1024);
const mb = bytes.length / (1024 * 1024);
console.log(`document: ${mb.toFixed(0)} MiB, node ${process.version}`);
const timings = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let round = 0; round < 3; round++) {
  for (const [name, run] of cases) {
    const start = performance.now();
    run(bytes);
    timings.get(name)!.push(performance.now() - start);
  }
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = mb / (median(timings.get(cases[0]![0])!) / 1000);
for (const [name] of cases) {
  const rate = mb / (median(timings.get(name)!) / 1000);
  console.log(`${name.padEnd(45)} ${rate.toFixed(0).padStart(5)} MiB/s  ${(rate / baseline).toFixed(2)}x`);
}
