/**
 * Runs the graphs of graphs/dropbox/ through the real `trefoil` CLI against a Dropbox fake, the
 * way a user (or the acceptance tests) would: `trefoil run graphs/dropbox/X.yaml -P
 * DROPBOX_API=… -P DROPBOX_CONTENT=… -P DROPBOX_TOKEN=… [--params FILE] -P NAME=VALUE…`, with a
 * debug-level log file so tests can check what a run wrote anywhere.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { expect } from 'vitest';
import type { DropboxFake } from '../support/dropbox-fake/index.ts';
import { runCli } from '../support/run-cli.ts';

export const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'engine/cli/bin.mjs');

/** The Dropbox graphs by name. */
export type DropboxGraph = 'token' | 'download' | 'upload' | 'chunked-upload' | 'sync';

export function graphPath(graph: DropboxGraph): string {
  return join(REPO, 'graphs/dropbox', `${graph}.yaml`);
}

export interface GraphRunOptions {
  /** Working directory (relative parameters resolve against it). */
  readonly cwd: string;
  /** `-P DROPBOX_TOKEN=`; null passes none (the token then comes from `--params`). @default fake.accessToken */
  readonly token?: string | null;
  /** More arguments (`--params FILE`, …). */
  readonly args?: readonly string[];
  /** Extra environment (TREFOIL_MASTER_PASSWORD, …). */
  readonly env?: Record<string, string | undefined>;
}

export interface GraphRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The run's log file (JSON lines, debug level). */
  readonly log: string;
  /** The `trefoil: ERROR CODE message` line of a failed run, if any. */
  readonly error: string | undefined;
}

let runNumber = 0;

/** The CLI arguments for one run of `graph` against `fake`. */
function runArguments(fake: DropboxFake, graph: DropboxGraph, parameters: Record<string, string | number>, options: GraphRunOptions, logFile: string): string[] {
  const token = options.token === undefined ? fake.accessToken : options.token;
  const args = ['run', graphPath(graph), '-P', `DROPBOX_API=${fake.apiUrl}`, '-P', `DROPBOX_CONTENT=${fake.contentUrl}`];
  if (token !== null) args.push('-P', `DROPBOX_TOKEN=${token}`);
  for (const [name, value] of Object.entries(parameters)) args.push('-P', `${name}=${value}`);
  args.push(...(options.args ?? []), '--log-level', 'debug', '--log', logFile);
  return args;
}

function outcome(result: { code: number | null; stdout: string; stderr: string }, logFile: string): GraphRun {
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const error = result.stderr.split('\n').find((line) => line.startsWith('trefoil: '));
  return { ...result, log, error };
}

/** Runs one Dropbox graph through the CLI. */
export async function runDropboxGraph(
  fake: DropboxFake,
  graph: DropboxGraph,
  parameters: Record<string, string | number>,
  options: GraphRunOptions,
): Promise<GraphRun> {
  const logFile = join(options.cwd, `run-${++runNumber}-${graph}.log`);
  const result = await runCli(runArguments(fake, graph, parameters, options, logFile), { cwd: options.cwd, env: { TREFOIL_MASTER_PASSWORD: undefined, ...options.env } });
  return outcome(result, logFile);
}

/**
 * `runDropboxGraph` that also samples the child's resident memory (Linux /proc) every 20 ms:
 * `peakRssBytes` is the largest sample, or undefined where /proc is not available.
 */
export async function runDropboxGraphMeasured(
  fake: DropboxFake,
  graph: DropboxGraph,
  parameters: Record<string, string | number>,
  options: GraphRunOptions,
): Promise<GraphRun & { peakRssBytes: number | undefined }> {
  const logFile = join(options.cwd, `run-${++runNumber}-${graph}.log`);
  const child = spawn(process.execPath, [BIN, ...runArguments(fake, graph, parameters, options, logFile)], {
    cwd: options.cwd,
    env: { ...process.env, TREFOIL_MASTER_PASSWORD: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak: number | undefined;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (match !== null) peak = Math.max(peak ?? 0, Number(match[1]) * 1024);
    } catch {
      // not Linux, or the process is gone
    }
  };
  const timer = setInterval(sample, 20);
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolvePromise(exitCode));
  });
  clearInterval(timer);
  return { ...outcome({ code, stdout, stderr }, logFile), peakRssBytes: peak };
}

/** A scratch working directory for a test file, removed by `cleanup`. */
export function scratchDirectory(prefix = 'trefoil-dropbox-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts that a run succeeded, showing its stderr when it did not. */
export function expectSuccess(run: GraphRun): void {
  expect(run.error, run.stderr).toBeUndefined();
  expect(run.code, run.stderr).toBe(0);
}

/** Asserts that no secret appears in the run's stdout, stderr or log file (nor in `files`). */
export function expectNoSecrets(run: GraphRun, secrets: readonly string[], files: readonly string[] = []): void {
  const places: [string, string][] = [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
    ['log file', run.log],
    ...files.map((file): [string, string] => [file, existsSync(file) ? readFileSync(file, 'utf8') : '']),
  ];
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    for (const [where, text] of places) expect(text.includes(secret), `a secret appears in ${where}`).toBe(false);
  }
}

/** Every file below `dir` (relative path → content), and every directory (→ null), sorted. */
export function localTree(dir: string): Record<string, string | null> {
  const tree: Record<string, string | null> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const key = relative(dir, path).split('\\').join('/');
      if (statSync(path).isDirectory()) {
        tree[key] = null;
        walk(path);
      } else tree[key] = readFileSync(path, 'latin1');
    }
  };
  if (existsSync(dir)) walk(dir);
  return tree;
}
