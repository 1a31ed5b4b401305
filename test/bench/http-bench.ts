/**
 * HTTPConnector benchmark (issue #5), baselines in the same run:
 *
 *   1. 10,000 small GET requests at concurrency 32:
 *      a. a raw undici Pool loop (32 workers, `pool.request` + `body.text()`) — the baseline;
 *      b. a graph run in-process with runGraph: DataGenerator (10,000 ids) → HTTPConnector
 *         (`url: …/item/*{id}`, concurrency 32, ordered, content to the output) → Trash.
 *      Goal: (b) ≥ 0.8 × (a) requests per second.
 *   2. a 1 GiB download to a file:
 *      a. raw undici: `pool.request` + `stream.pipeline` into a file write stream — the baseline;
 *      b. a graph: HTTPConnector with `responseFile` (atomic, streamed).
 *      Goal: (b) ≥ 0.8 × (a) MB/s, RSS bounded (growth far below the data size).
 *
 * The server runs in a child process (this file with `--server`), so the numbers are the
 * client's: wall-clock rate, and the client process's CPU time per request. Each case runs once
 * as a warm-up, then the cases alternate for ROUNDS rounds; the median and the best round of
 * each are reported (on a shared, busy machine the best round is the least disturbed one).
 *
 * Run: `npx tsx test/bench/http-bench.ts` (ROUNDS=5, REQUESTS=10000, DOWNLOAD_MB=1024 to change).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const MiB = 1024 * 1024;
const REQUESTS = Number(process.env.REQUESTS ?? 10_000);
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DOWNLOAD_MB = Number(process.env.DOWNLOAD_MB ?? 1024);
const BODY = JSON.stringify({ id: 1, name: 'small response', ok: true });

// ---- the client ----

async function startServerProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--server'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env },
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}`, child };
}

interface Sample {
  seconds: number;
  cpuMicros: number;
  rssGrowthMb: number;
}

/** Runs `work` once, measuring wall time, this process's CPU time and the peak RSS growth. */
async function measure(work: () => Promise<void>): Promise<Sample> {
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, cpuMicros: cpu.user + cpu.system, rssGrowthMb: (peak - rssBefore) / MiB };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const { runGraph, loadGraph, runPlan } = await import('../../engine/run-graph.ts');
  const { url, child } = await startServerProcess();
  const scratch = mkdtempSync(join(tmpdir(), 'trefoil-http-bench-'));
  const pool = new Pool(url, { connections: CONCURRENCY });
  const runOk = async (yaml: string): Promise<void> => {
    const result = await runGraph(yaml, { log: { level: 'silent' }, projectDir: scratch });
    if (result.status !== 'FINISHED_OK') throw new Error(`graph failed: ${result.error?.message}`);
  };

  const requestsGraph = `
graph: http-bench-requests
metadata:
  Id: { fields: { id: long } }
  Response: { fields: { id: long, statusCode: integer, content: string } }
components:
  ids: { type: DataGenerator, records: ${REQUESTS}, generate: "$out[0].id = index;" }
  http:
    type: HTTPConnector
    url: "${url}/item/*{id}"
    concurrency: ${CONCURRENCY}
  sink: { type: Trash }
edges:
  - { from: ids, to: http, metadata: Id }
  - { from: http, to: sink, metadata: Response }
`;
  // The same graph loaded once, to tell the run from the load (validation, planning).
  const loadedRequestsPlan = await loadGraph(requestsGraph, { projectDir: scratch });
  let runs = 0;
  const downloadFile = join(scratch, 'download.bin');
  const downloadGraph = `
graph: http-bench-download
components:
  http:
    type: HTTPConnector
    url: "${url}/download"
    responseFile: "${downloadFile}"
  sink: { type: Trash }
edges:
  - { from: http, to: sink }
`;

  const requestCases: Record<string, () => Promise<void>> = {
    'raw undici Pool loop (baseline)': async () => {
      let next = 0;
      let bytes = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS) {
            const response = await pool.request({ path: `/item/${next++}`, method: 'GET' });
            bytes += (await response.body.text()).length;
          }
        }),
      );
      if (bytes !== REQUESTS * BODY.length) throw new Error(`read ${bytes} bytes`);
    },
    'HTTPConnector graph (runGraph)': () => runOk(requestsGraph),
    'HTTPConnector graph (run only)': async () => {
      const result = await runPlan(loadedRequestsPlan, { runId: `bench-${++runs}`, log: { level: 'silent' } });
      if (result.status !== 'FINISHED_OK') throw new Error(`graph failed: ${result.error?.message}`);
    },
  };
  const downloadCases: Record<string, () => Promise<void>> = {
    'raw undici stream to file (baseline)': async () => {
      const response = await pool.request({ path: '/download', method: 'GET' });
      await pipeline(response.body, createWriteStream(downloadFile, { highWaterMark: 256 * 1024 }));
    },
    'HTTPConnector responseFile graph': () => runOk(downloadGraph),
  };

  const run = async (cases: Record<string, () => Promise<void>>, rounds: number, check?: () => void): Promise<Map<string, Sample[]>> => {
    const samples = new Map<string, Sample[]>();
    for (const [name, work] of Object.entries(cases)) {
      await work(); // warm-up
      check?.();
      samples.set(name, []);
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, work] of Object.entries(cases)) {
        samples.get(name)!.push(await measure(work));
        check?.();
      }
    }
    return samples;
  };

  try {
    console.log(`${REQUESTS} requests at concurrency ${CONCURRENCY}, ${ROUNDS} rounds (medians); server in a child process`);
    const requests = await run(requestCases, ROUNDS);
    const baseline = requests.get('raw undici Pool loop (baseline)')!;
    const baseRate = REQUESTS / median(baseline.map((s) => s.seconds));
    const baseBest = REQUESTS / Math.min(...baseline.map((s) => s.seconds));
    for (const [name, list] of requests) {
      const rate = REQUESTS / median(list.map((s) => s.seconds));
      const best = REQUESTS / Math.min(...list.map((s) => s.seconds));
      const cpu = median(list.map((s) => s.cpuMicros)) / REQUESTS;
      console.log(
        `  ${name.padEnd(36)} median ${rate.toFixed(0).padStart(6)} req/s ×${(rate / baseRate).toFixed(2)}` +
          `   best ${best.toFixed(0).padStart(6)} req/s ×${(best / baseBest).toFixed(2)}   ${cpu.toFixed(1).padStart(5)} µs client CPU/req`,
      );
    }
    const loads: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await loadGraph(requestsGraph, { projectDir: scratch });
      loads.push(performance.now() - started);
    }
    console.log(`  (loading the graph alone: ${median(loads).toFixed(0)} ms, part of every runGraph call)`);

    const downloadRounds = Math.max(1, Math.min(ROUNDS, 3));
    console.log(`\n${DOWNLOAD_MB} MiB download to a file, ${downloadRounds} rounds (medians)`);
    const downloads = await run(downloadCases, downloadRounds, () => {
      const size = statSync(downloadFile).size;
      if (size !== DOWNLOAD_MB * MiB) throw new Error(`downloaded ${size} bytes`);
      rmSync(downloadFile);
    });
    const downloadBaseline = downloads.get('raw undici stream to file (baseline)')!;
    const baseSpeed = DOWNLOAD_MB / median(downloadBaseline.map((s) => s.seconds));
    const baseBestSpeed = DOWNLOAD_MB / Math.min(...downloadBaseline.map((s) => s.seconds));
    for (const [name, list] of downloads) {
      const speed = DOWNLOAD_MB / median(list.map((s) => s.seconds));
      const best = DOWNLOAD_MB / Math.min(...list.map((s) => s.seconds));
      const rss = Math.max(...list.map((s) => s.rssGrowthMb));
      console.log(
        `  ${name.padEnd(36)} median ${speed.toFixed(0).padStart(5)} MiB/s ×${(speed / baseSpeed).toFixed(2)}` +
          `   best ${best.toFixed(0).padStart(5)} MiB/s ×${(best / baseBestSpeed).toFixed(2)}   peak RSS growth ${rss.toFixed(0)} MiB`,
      );
    }
  } finally {
    await pool.close();
    child.kill();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---- the server (child process) ----

/** The server process: small JSON answers, and /download. */
function serve(): void {
  const block = Buffer.alloc(MiB, 'x');
  const server = createServer(async (request, response) => {
    if (request.url === '/download') {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': DOWNLOAD_MB * MiB });
      for (let i = 0; i < DOWNLOAD_MB; i++) if (!response.write(block)) await once(response, 'drain');
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
    response.end(BODY);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
}

if (process.argv.includes('--server')) serve();
else await main();
