/**
 * Runs every graph in graphs/examples/http/ through the real `trefoil` CLI against a local
 * server implementing the endpoints they call (`-P BASE_URL=…`), each from a fresh working
 * directory, and checks what they wrote. test/graphs/example-graphs.test.ts skips that folder
 * because these graphs need a server; this test fails if one of them is not covered here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, temporaryDirectory } from '../../support/graph-runner.ts';
import { runCli } from '../../support/run-cli.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

const EXAMPLES = join(REPO, 'graphs/examples/http');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let server: LocalServer;
/** Chunks received by /upload, by offset. */
const uploaded = new Map<number, Buffer>();
let tokensIssued = 0;
/** Working directories of the runs, removed at the end. */
const scratchDirectories: { cleanup: () => void }[] = [];
const ITEMS = Array.from({ length: 8 }, (_, i) => `item-${i}`);

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const body = await readBody(request);
    const path = url.pathname;
    if (path.startsWith('/users/')) {
      const id = decodeURIComponent(path.slice('/users/'.length));
      if (id === '404') return sendJson(response, 404, { message: `no user ${id}` });
      await sleep(Math.max(0, 5 - Number(id)) * 20); // early ids answer last
      return sendJson(response, 200, { id, name: `User ${id}` });
    }
    if (path.startsWith('/files/')) {
      const name = decodeURIComponent(path.slice('/files/'.length));
      if (name === 'report-2026-q2.csv') return sendJson(response, 404, { error: 'not_found' });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`this is ${name}\n`);
      return;
    }
    if (path === '/items/list' || path === '/items/list/continue') {
      const request = JSON.parse(body.toString()) as { limit?: number; cursor?: string };
      const from = request.cursor === undefined ? 0 : Number(request.cursor);
      const entries = ITEMS.slice(from, from + 3);
      return sendJson(response, 200, { entries, cursor: String(from + entries.length), has_more: from + entries.length < ITEMS.length });
    }
    if (path === '/upload') {
      uploaded.set(Number(url.searchParams.get('offset')), body);
      return sendJson(response, 200, { received: body.length });
    }
    if (path === '/oauth/token') {
      const basic = `Basic ${Buffer.from('example-client:example-secret').toString('base64')}`;
      if (request.headers.authorization !== basic) return sendJson(response, 401, { error: 'invalid_client' });
      return sendJson(response, 200, { access_token: `token-${++tokensIssued}`, token_type: 'bearer', expires_in: 3600 });
    }
    if (path === '/api/square') {
      if (request.headers.authorization !== `Bearer token-${tokensIssued}`) return sendJson(response, 401, { error: 'invalid_token' });
      const n = Number(url.searchParams.get('n'));
      return sendJson(response, 200, { n, square: n * n });
    }
    return sendJson(response, 404, {});
  });
});

afterAll(async () => {
  await server.close();
  for (const scratch of scratchDirectories) scratch.cleanup();
});

/** Runs one example through the CLI in a scratch directory; returns a reader of its outputs. */
async function runExample(name: string): Promise<(file: string) => string> {
  const scratch = temporaryDirectory('trefoil-http-example-');
  const result = await runCli(['run', join(EXAMPLES, name), '-P', `BASE_URL=${server.url}`], { cwd: scratch.dir });
  expect(result.stderr).not.toMatch(/failed|ERROR/);
  expect(result.code).toBe(0);
  const outputs = new Map<string, string>();
  const read = (file: string): string => {
    if (!outputs.has(file)) outputs.set(file, readFileSync(join(scratch.dir, 'out', file), 'utf8'));
    return outputs.get(file)!;
  };
  scratchDirectories.push(scratch);
  return read;
}

const covered = new Set<string>();
const example = (name: string, title: string, check: () => Promise<void>): void => {
  covered.add(name);
  it(`${name}: ${title}`, check, 30_000);
};

describe('graphs/examples/http (through the CLI, against a local server)', () => {
  example('fetch-users.yaml', 'responses in input order, the 404 on the error port', async () => {
    const read = await runExample('fetch-users.yaml');
    expect(read('users.jsonl').trim().split('\n').map((line) => JSON.parse(line))).toEqual(
      ['1', '2', '3', '4'].map((id) => ({ id, name: `User ${id}` })),
    );
    expect(read('failed-users.csv')).toBe(`id,statusCode,errorMessage\n404,404,GET ${server.url}/users/404: status 404 Not Found: no user 404\n`);
  });

  example('download-files.yaml', 'files on disk, a 404 as a record without a file', async () => {
    const read = await runExample('download-files.yaml');
    expect(read('downloads/report-2026-q1.csv')).toBe('this is report-2026-q1.csv\n');
    expect(read('downloads/notes/readme.txt')).toBe('this is notes/readme.txt\n');
    const rows = read('downloads.csv').trim().split('\n');
    expect(rows[0]).toBe('name,statusCode,file,content');
    expect(rows[1]).toMatch(/^report-2026-q1\.csv,200,\/.*\/out\/downloads\/report-2026-q1\.csv,$/);
    expect(rows[2]).toBe('report-2026-q2.csv,404,,"{""error"":""not_found""}"');
    expect(rows[3]).toMatch(/^notes\/readme\.txt,200,\/.*\/out\/downloads\/notes\/readme\.txt,$/);
    expect(() => read('downloads/report-2026-q2.csv')).toThrow(/ENOENT/);
  });

  example('paginated-listing.yaml', 'every page, following the cursor to the end', async () => {
    const read = await runExample('paginated-listing.yaml');
    const pages = read('pages.jsonl').trim().split('\n').map((line) => JSON.parse(line) as { entries: string[]; has_more: boolean });
    expect(pages.map((page) => page.entries.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((page) => page.entries)).toEqual(ITEMS);
  });

  example('chunked-upload.yaml', 'the file arrives whole, chunk by chunk', async () => {
    uploaded.clear();
    const read = await runExample('chunked-upload.yaml');
    const original = readFileSync(join(EXAMPLES, 'data/user-ids.csv'));
    const offsets = [...uploaded.keys()].sort((a, b) => a - b);
    expect(Buffer.concat(offsets.map((offset) => uploaded.get(offset)!))).toEqual(original);
    const rows = read('upload.csv').trim().split('\n');
    expect(rows).toHaveLength(1 + Math.ceil(original.length / 8));
    expect(rows.at(-1)).toMatch(/,true,200$/);
  });

  example('oauth2-client.yaml', 'one token, then every call authorized', async () => {
    const before = tokensIssued;
    const read = await runExample('oauth2-client.yaml');
    expect(tokensIssued - before).toBe(1);
    const rows = parse(read('squares.csv'), { columns: true }) as { n: string; statusCode: string; content: string }[];
    expect(rows.map((row) => [row.n, row.statusCode, (JSON.parse(row.content) as { square: number }).square])).toEqual([
      ['1', '200', 1],
      ['2', '200', 4],
      ['3', '200', 9],
      ['4', '200', 16],
      ['5', '200', 25],
    ]);
  });

  it('covers every graph in graphs/examples/http/', () => {
    const graphs = readdirSync(EXAMPLES).filter((name) => /\.ya?ml$/.test(name));
    expect(graphs.sort()).toEqual([...covered].sort());
  });
});
