/**
 * HTTPConnector pagination: every strategy walks a real paged API to its last page (one output
 * record per page, input fields copied to each), and the guards stop servers that loop.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECT, runYaml } from '../../support/graph-runner.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
/** Items 0..ITEMS-1 are served in pages of PAGE. */
const ITEMS = 23;
const PAGE = 5;
const items = (from: number, count: number): number[] => Array.from({ length: Math.max(0, Math.min(count, ITEMS - from)) }, (_, i) => from + i);
let loopCount = 0;

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const query = url.searchParams;
    const body = (await readBody(request)).toString();
    switch (url.pathname) {
      // Dropbox list_folder: POST with a JSON body, then list_folder/continue with {"cursor"}.
      case '/list_folder': {
        const { path } = JSON.parse(body) as { path: string };
        return sendJson(response, 200, { entries: items(0, PAGE).map((n) => `${path}/${n}`), cursor: 'c5', has_more: true });
      }
      case '/list_folder/continue': {
        if (request.headers.authorization !== 'Bearer secret-token') return sendJson(response, 401, { error_summary: 'invalid_access_token/' });
        const { cursor } = JSON.parse(body) as { cursor: string };
        const from = Number(cursor.slice(1));
        return sendJson(response, 200, { entries: items(from, PAGE).map((n) => `/${n}`), cursor: `c${from + PAGE}`, has_more: from + PAGE < ITEMS });
      }
      case '/next-url': {
        const from = Number(query.get('from') ?? 0);
        return sendJson(response, 200, { data: items(from, PAGE), links: { next: from + PAGE < ITEMS ? `/next-url?from=${from + PAGE}` : null } });
      }
      case '/link': {
        const page = Number(query.get('page') ?? 1);
        const last = Math.ceil(ITEMS / PAGE);
        const link = page < last ? `<${server.url}/link?page=${page + 1}>; rel="next", <${server.url}/link?page=${last}>; rel="last"` : `<${server.url}/link?page=1>; rel="first"`;
        return sendJson(response, 200, items((page - 1) * PAGE, PAGE), { link });
      }
      case '/offset': {
        const offset = Number(query.get('offset'));
        const limit = Number(query.get('limit'));
        return sendJson(response, 200, { results: items(offset, limit), total: ITEMS });
      }
      case '/page': {
        const page = Number(query.get('p'));
        return sendJson(response, 200, { items: items(page * PAGE, Number(query.get('size'))) });
      }
      case '/loop-same-cursor':
        // Always "more", always the same cursor: the cursor does not advance.
        return sendJson(response, 200, { n: loopCount++, cursor: 'stuck', has_more: true });
      case '/loop-same-page':
        // A new next link each time but the same page body: a repeated page.
        return sendJson(response, 200, { items: [1, 2, 3] }, { link: `</loop-same-page?page=${++loopCount}>; rel="next"` });
      case '/endless':
        return sendJson(response, 200, { n: loopCount++, cursor: `c${loopCount}`, has_more: true });
      case '/gone':
        if (query.get('cursor') === 'c1') return sendJson(response, 409, { error_summary: 'reset/..' });
        return sendJson(response, 200, { cursor: 'c1', has_more: true });
      default:
        return sendJson(response, 404, {});
    }
  });
});

afterAll(() => server.close());

/** Runs one HTTPConnector (no input) and returns the pages' parsed content and the log lines. */
async function pages(component: string, extraOut = ''): Promise<{ records: Record<string, unknown>[]; bodies: unknown[]; error?: string; log: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  const { result, collected } = await runYaml(`
graph: paging
metadata:
  Page: { fields: { statusCode: integer, content: string${extraOut} } }
components:
  http:
    type: HTTPConnector
${component}
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink, metadata: Page }
`, { log: { level: 'warn', stream } });
  const records = collected.sink ?? [];
  const log = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { records, bodies: records.map((r) => JSON.parse(r.content as string)), error: result.error?.message, log };
}

describe('HTTPConnector pagination', () => {
  it('cursor: Dropbox list_folder then list_folder/continue with the cursor in a JSON body, until has_more is false', async () => {
    const { result, collected } = await runYaml(`
graph: dropbox-list
metadata:
  Folder: { fields: { folder: string } }
  Page: { fields: { folder: string, statusCode: integer, content: string } }
components:
  folders: { type: DataGenerator, records: 2, generate: "$out[0].folder = ['/a', '/b'][index];" }
  list:
    type: HTTPConnector
    method: POST
    url: "${server.url}/list_folder"
    headers: { Content-Type: application/json }
    body: '{"path": *{folder:json}}'
    auth: { type: bearer, token: secret-token }
    pagination:
      strategy: cursor
      cursorField: cursor
      hasMoreField: has_more
      next: { url: "${server.url}/list_folder/continue", cursorBodyField: cursor }
  sink: { type: ${COLLECT} }
edges:
  - { from: folders, to: list, metadata: Folder }
  - { from: list, to: sink, metadata: Page }
`);
    expect(result.error?.message).toBeUndefined();
    const records = collected.sink!;
    // 23 entries in pages of 5: 5 pages per folder, each a record with the folder copied in.
    expect(records.map((r) => r.folder)).toEqual([...Array(5).fill('/a'), ...Array(5).fill('/b')]);
    const bodies = records.map((r) => JSON.parse(r.content as string) as { entries: string[]; has_more: boolean });
    expect(bodies.slice(0, 5).flatMap((b) => b.entries)).toEqual(['/a/0', '/a/1', '/a/2', '/a/3', '/a/4', ...items(5, 18).map((n) => `/${n}`)]);
    expect(bodies.map((b) => b.has_more)).toEqual([true, true, true, true, false, true, true, true, true, false]);
  });

  it('next-url: follows a URL in the body (relative to the page) until it is null', async () => {
    const { bodies, error, log } = await pages(`    url: "${server.url}/next-url"\n    pagination: { strategy: next-url, nextUrlField: links.next }`);
    expect(error).toBeUndefined();
    expect(log).toEqual([]);
    expect((bodies as { data: number[] }[]).flatMap((b) => b.data)).toEqual(items(0, ITEMS));
    expect(bodies).toHaveLength(5);
  });

  it('link-header: follows rel="next" until there is none, and reports each page URL', async () => {
    const { records, bodies, error } = await pages(`    url: "${server.url}/link"\n    pagination: { strategy: link-header }`, ', url: string');
    expect(error).toBeUndefined();
    expect((bodies as number[][]).flat()).toEqual(items(0, ITEMS));
    expect(records.map((r) => r.url)).toEqual([`${server.url}/link`, ...[2, 3, 4, 5].map((p) => `${server.url}/link?page=${p}`)]);
  });

  it('offset: offset/limit query parameters until the total is reached', async () => {
    const { bodies, error } = await pages(`    url: "${server.url}/offset"\n    pagination: { strategy: offset, limit: 10, itemsField: results, totalField: total }`);
    expect(error).toBeUndefined();
    expect((bodies as { results: number[] }[]).map((b) => b.results.length)).toEqual([10, 10, 3]);
  });

  it('page: page numbers until a short page', async () => {
    const { bodies, error } = await pages(`    url: "${server.url}/page"\n    pagination: { strategy: page, pageParam: p, start: 0, pageSize: 5, pageSizeParam: size, itemsField: items }`);
    expect(error).toBeUndefined();
    expect((bodies as { items: number[] }[]).flatMap((b) => b.items)).toEqual(items(0, ITEMS));
    expect(bodies).toHaveLength(5);
  });

  it('a non-2xx page ends the walk and is emitted; under failOnStatus it fails the record', async () => {
    const emitted = await pages(`    url: "${server.url}/gone"\n    pagination: { strategy: cursor, cursorField: cursor, hasMoreField: has_more }`);
    expect(emitted.records.map((r) => r.statusCode)).toEqual([200, 409]);
    const failed = await pages(`    url: "${server.url}/gone"\n    failOnStatus: [4xx]\n    pagination: { strategy: cursor, cursorField: cursor, hasMoreField: has_more }`);
    expect(failed.records.map((r) => r.statusCode)).toEqual([200]);
    expect(failed.error).toBe(`http (HTTPConnector) failed: GET ${server.url}/gone?cursor=c1: status 409 Conflict: reset/..`);
  });
});

describe('HTTPConnector pagination guards', () => {
  it('stops a server whose cursor does not advance', async () => {
    loopCount = 0;
    const { bodies, error } = await pages(`    url: "${server.url}/loop-same-cursor"\n    pagination: { strategy: cursor, cursorField: cursor, hasMoreField: has_more }`);
    expect(error).toBeUndefined();
    // The first page, then the page fetched with cursor "stuck", which names "stuck" again.
    expect((bodies as { n: number }[]).map((b) => b.n)).toEqual([0, 1]);
  });

  it('stops a server that serves the same page again', async () => {
    loopCount = 0;
    const { bodies, error } = await pages(`    url: "${server.url}/loop-same-page"\n    pagination: { strategy: link-header }`);
    expect(error).toBeUndefined();
    // The second page repeats the first byte for byte: it is dropped and the walk ends.
    expect(bodies).toEqual([{ items: [1, 2, 3] }]);
    expect(loopCount).toBe(2);
  });

  it('stops an endless API at maxPages', async () => {
    loopCount = 0;
    const { bodies, error, log } = await pages(`    url: "${server.url}/endless"\n    pagination: { strategy: cursor, cursorField: cursor, hasMoreField: has_more, maxPages: 7 }`);
    expect(error).toBeUndefined();
    expect(bodies).toHaveLength(7);
    // A guard stopping the walk is not a failure, but it is logged as a warning.
    expect(log).toContainEqual(expect.objectContaining({ component: 'http', stopReason: 'max-pages', pages: 7, msg: 'pagination stopped by its guard (max-pages) after 7 pages' }));
  });
});
