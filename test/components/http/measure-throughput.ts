/**
 * Measurement, not a test: 10,000 small GET requests at concurrency 32 against a node:http
 * server in the same process, through
 *   1. a raw undici Pool loop (the baseline),
 *   2. HttpClient.send in the same worker loop,
 *   3. HttpClient.send driven by mapConcurrent (ordered), as HTTPConnector will run it.
 * After a warm-up, the cases run interleaved for ROUNDS rounds; the medians are reported, as
 * requests per second (wall clock) and process CPU microseconds per request (server included,
 * less sensitive to a busy machine than wall clock).
 * Run: `npx tsx test/components/http/measure-throughput.ts`.
 * NOTE: belongs in test/bench/ once that folder's runner exists; it lives with its subject for now.
 */
import { Pool } from 'undici';
import { HttpClient, mapConcurrent } from '../../../components/http/index.ts';
import { startServer } from './local-server.ts';

const REQUESTS = 10_000;
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BODY = JSON.stringify({ id: 1, name: 'small response', ok: true });

const server = await startServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
  response.end(BODY);
});
const pool = new Pool(server.url, { connections: CONCURRENCY });
const client = new HttpClient({ connectionsPerOrigin: CONCURRENCY });

/** Runs `request` REQUESTS times from CONCURRENCY workers. */
async function workers(request: (i: number) => Promise<string>): Promise<void> {
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const text = await request(next++);
        bytes += text.length;
      }
    }),
  );
  if (bytes !== REQUESTS * BODY.length) throw new Error(`read ${bytes} bytes`);
}

const cases: Record<string, () => Promise<void>> = {
  'raw undici Pool loop (baseline)': () =>
    workers(async (i) => (await pool.request({ path: `/item?i=${i}`, method: 'GET' })).body.text()),
  'HttpClient.send, same loop': () =>
    workers(async (i) => (await client.send({ url: `${server.url}/item`, query: { i: String(i) } })).content!),
  'HttpClient.send via mapConcurrent': async () => {
    let count = 0;
    const indexes = Array.from({ length: REQUESTS }, (_, i) => i);
    for await (const content of mapConcurrent(
      indexes,
      async (i, _index, signal) => (await client.send({ url: `${server.url}/item`, query: { i: String(i) } }, undefined, { signal })).content!,
      { concurrency: CONCURRENCY },
    )) {
      if (content.length === BODY.length) count++;
    }
    if (count !== REQUESTS) throw new Error(`got ${count} responses`);
  },
};

const results = new Map<string, { rate: number[]; cpu: number[] }>();
for (const [name, run] of Object.entries(cases)) {
  await run(); // warm-up
  results.set(name, { rate: [], cpu: [] });
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    results.get(name)!.rate.push(REQUESTS / seconds);
    results.get(name)!.cpu.push((cpu.user + cpu.system) / REQUESTS);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = results.get('raw undici Pool loop (baseline)')!;
for (const [name, { rate, cpu }] of results) {
  console.log(
    `${name.padEnd(36)} ${median(rate).toFixed(0).padStart(7)} req/s  ${median(cpu).toFixed(1).padStart(6)} µs CPU/req` +
      `  (×${(median(rate) / median(baseline.rate)).toFixed(2)} rate, ×${(median(cpu) / median(baseline.cpu)).toFixed(2)} CPU)`,
  );
}
await pool.close();
await client.close();
await server.close();
