/**
 * Server tests' helpers: a temporary project directory with graphs, a TrefoilServer started in
 * the test process on 127.0.0.1 with an ephemeral port (its runs are real child processes), a
 * small JSON client, a Server-Sent Events reader and a poller.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pino from 'pino';
import { parseServerConfig } from '../../engine/server/server-config.ts';
import { TrefoilServer, type TrefoilServerOptions } from '../../engine/server/trefoil-server.ts';

/** The test-only components (TestWriteJson, TestSleep, TestSpin, TestCrash), for `plugins:`. */
export const TEST_COMPONENTS = resolve(import.meta.dirname, 'fixtures/test-components.ts');

export class TestProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'trefoil-server-'));

  /** Writes a file (parents created); returns its absolute path. */
  write(path: string, text: string): string {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /**
   * Writes `graphs/<name>.yaml`: a graph with the test components as plugins, the given
   * parameters section body and components (YAML, indented two spaces), and no edges.
   */
  graph(name: string, components: string, parameters = ''): string {
    const indent = (text: string): string =>
      text
        .trim()
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n');
    this.write(
      `graphs/${name}.yaml`,
      `graph: ${name}\nplugins: [${JSON.stringify(TEST_COMPONENTS)}]\n${parameters.trim() === '' ? '' : `parameters:\n${indent(parameters)}\n`}components:\n${indent(components)}\n`,
    );
    return `graphs/${name}.yaml`;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** Every file under `path`, recursively, as absolute paths. */
  filesUnder(path: string): string[] {
    const root = join(this.dir, path);
    const found: string[] = [];
    const walk = (directory: string): void => {
      for (const name of readdirSync(directory)) {
        const full = join(directory, name);
        if (statSync(full).isDirectory()) walk(full);
        else found.push(full);
      }
    };
    walk(root);
    return found;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly body: any;
}

export interface TestServer {
  readonly server: TrefoilServer;
  readonly url: string;
  api(method: string, path: string, options?: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** Starts a server for `configYaml` (paths relative to the project), quiet, on an ephemeral port. */
export async function startServer(project: TestProject, configYaml: string, options: Partial<TrefoilServerOptions> = {}): Promise<TestServer> {
  const config = parseServerConfig(configYaml, join(project.dir, 'trefoil.server.yaml'), { baseDir: project.dir });
  const server = await TrefoilServer.start({
    config,
    projectDir: project.dir,
    logger: pino({ level: 'silent' }),
    trackingIntervalMs: 100,
    ...options,
  });
  return {
    server,
    url: server.url,
    api: (method, path, requestOptions = {}) => callApi(server.url, method, path, requestOptions),
    stop: () => server.stop({ timeoutMs: 5000 }),
  };
}

/** One HTTP request; resolves with status, headers, text and parsed JSON. */
export function callApi(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolvePromise, reject) => {
    const request = httpRequest(
      new URL(path, base),
      {
        method,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolvePromise({ status: response.statusCode!, headers: response.headers, text, body });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export interface ServerSentEvent {
  readonly event: string;
  readonly data: any;
}

/** Reads a Server-Sent Events stream until the server closes it (or `timeoutMs`). */
export function readEvents(url: string, timeoutMs = 20_000): Promise<{ status: number; contentType: string | undefined; events: ServerSentEvent[] }> {
  return new Promise((resolvePromise, reject) => {
    const request = httpRequest(url, { headers: { accept: 'text/event-stream' } }, (response) => {
      const events: ServerSentEvent[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolvePromise({ status: response.statusCode!, contentType: response.headers['content-type'], events });
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`the event stream ${url} did not end within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', reject);
    request.end();
  });
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolveTimer) => setTimeout(resolveTimer, intervalMs));
  }
}

const CLI = resolve(import.meta.dirname, '../../engine/cli/bin.mjs');

export interface CliServer {
  readonly process: ChildProcess;
  readonly url: string;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

/** Runs `trefoil serve` as its own process in `cwd`; resolves once it prints where it listens. */
export function spawnCliServer(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliServer> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string>((resolveExit) => child.on('close', (code, signal) => resolveExit(code ?? signal ?? -1)));
  return new Promise((resolvePromise, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolvePromise({ process: child, url: match[1]!, output: () => ({ stdout, stderr }), exited });
    });
    void exited.then((code) => reject(new Error(`trefoil serve exited (${code}) before listening: ${stderr}`)));
  });
}
