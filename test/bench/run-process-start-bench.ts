/**
 * Measures how fast a run process starts, for the three ways the server could fork it:
 *
 *   bundle    `engine/cli/bin.mjs serve --run-worker` (the cached esbuild bundle; what the server uses)
 *   --import  `node --import tsx` of a module importing the TypeScript sources
 *   register  a module calling tsx's `register()` and then importing the sources
 *
 * For each: time from fork to the `ready` message, and to the `result` of a one-record graph.
 * Run: `npx tsx test/bench/run-process-start-bench.ts [rounds]` (rounds interleave the three).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FromRunWorker, ToRunWorker } from '../../engine/server/run-worker-protocol.ts';

const REPO = resolve(import.meta.dirname, '../..');
const rounds = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'trefoil-start-'));
const main = pathToFileURL(join(REPO, 'engine/cli/main.ts')).href;
const viaImport = join(dir, 'via-import.mjs');
writeFileSync(viaImport, `const { main } = await import(${JSON.stringify(main)});\nprocess.exitCode = await main(['serve', '--run-worker']);\n`);
const viaRegister = join(dir, 'via-register.mjs');
writeFileSync(
  viaRegister,
  `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\nregister();\nconst { main } = await import(${JSON.stringify(main)});\nprocess.exitCode = await main(['serve', '--run-worker']);\n`,
);
const graph = join(dir, 'one.yaml');
writeFileSync(graph, 'graph: one\ncomponents:\n  gen: { type: DataGenerator, records: 1, generate: "$out[0].n = index;" }\n  done: { type: Trash }\nedges:\n  - { from: gen, to: done, metadata: { fields: { n: integer } } }\n');

const variants: Record<string, { module: string; args: string[]; execArgv: string[] }> = {
  bundle: { module: join(REPO, 'engine/cli/bin.mjs'), args: ['serve', '--run-worker'], execArgv: [] },
  '--import': { module: viaImport, args: [], execArgv: ['--import', 'tsx'] },
  register: { module: viaRegister, args: [], execArgv: [] },
};

async function measure(name: string, round: number): Promise<{ ready: number; result: number }> {
  const { module, args, execArgv } = variants[name]!;
  const started = performance.now();
  const child = fork(module, args, { cwd: REPO, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
  let ready = 0;
  await new Promise<void>((done) => {
    child.on('message', (message: FromRunWorker) => {
      if (message.type === 'ready') {
        ready = performance.now() - started;
        const run: ToRunWorker = {
          type: 'run',
          request: { runId: `m${round}`, graph, parameters: {}, secureParameterNames: [], trigger: { kind: 'manual' } },
          logFile: join(dir, `${name}-${round}.log`),
          projectDir: dir,
          trackingIntervalMs: 250,
        };
        child.send(run);
      } else if (message.type === 'result') done();
    });
  });
  const result = performance.now() - started;
  await new Promise((done) => child.on('close', done));
  return { ready, result };
}

const samples: Record<string, Array<{ ready: number; result: number }>> = { bundle: [], '--import': [], register: [] };
await measure('bundle', -1); // builds the bundle if it is stale
for (let round = 0; round < rounds; round++) for (const name of Object.keys(variants)) samples[name]!.push(await measure(name, round));
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = median(samples.bundle!.map((sample) => sample.result));
for (const [name, list] of Object.entries(samples)) {
  const result = median(list.map((sample) => sample.result));
  console.log(`${name.padEnd(9)} ready ${median(list.map((sample) => sample.ready)).toFixed(0).padStart(5)} ms   result ${result.toFixed(0).padStart(5)} ms   ×${(result / baseline).toFixed(2)} of bundle`);
}
rmSync(dir, { recursive: true, force: true });
