import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpClient,
  HttpRequestError,
  Paginator,
  compileFieldPath,
  findLink,
  type HttpPage,
  type HttpRequest,
  type PaginationConfig,
  type PaginationOutcome,
} from '../../../components/http/index.ts';
import { readBody, sendJson, startServer, type LocalServer } from './local-server.ts';

let server: LocalServer;
const client = new HttpClient();
/** Bodies of the requests to the cursor endpoints, in order. */
const cursorRequests: { path: string; body: unknown; authorization: string | undefined }[] = [];
const ITEMS = Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }));
let stuckCalls = 0;
let infiniteCalls = 0;

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const query = url.searchParams;
    switch (url.pathname) {
      // Dropbox list_folder / list_folder/continue.
      case '/2/files/list_folder':
      case '/2/files/list_folder/continue': {
        const body = JSON.parse((await readBody(request)).toString());
        cursorRequests.push({ path: url.pathname, body, authorization: request.headers.authorization });
        const cursor: string | undefined = body.cursor;
        const step = cursor === undefined ? 0 : Number(cursor.slice(1));
        sendJson(response, 200, { entries: [{ name: `file-${step}` }], cursor: `c${step + 1}`, has_more: step < 2 });
        return;
      }
      case '/stuck-cursor':
        stuckCalls++;
        sendJson(response, 200, { entries: [stuckCalls], cursor: 'same', has_more: true });
        return;
      case '/next-url': {
        const page = Number(query.get('page') ?? 1);
        sendJson(response, 200, { data: { items: [page] }, links: { next: page < 3 ? `/next-url?page=${page + 1}` : null } });
        return;
      }
      case '/link': {
        const page = Number(query.get('page') ?? 1);
        const links = [`<${server.url}/link?page=3>; rel="last"`];
        if (page < 3) links.unshift(`<${server.url}/link?page=${page + 1}>; rel="next"`);
        response.writeHead(200, { link: links.join(', '), 'content-type': 'text/csv' });
        response.end(`page,${page}\n`);
        return;
      }
      case '/offset': {
        const offset = Number(query.get('offset'));
        const limit = Number(query.get('limit'));
        const total = Number(query.get('total') ?? ITEMS.length);
        sendJson(response, 200, { total, results: ITEMS.slice(0, total).slice(offset, offset + limit) });
        return;
      }
      case '/page': {
        const page = Number(query.get('page'));
        const size = Number(query.get('per_page') ?? 10);
        sendJson(response, 200, ITEMS.slice((page - 1) * size, page * size));
        return;
      }
      case '/same-page':
        // Ignores the page parameter: a misconfigured walk would loop forever.
        sendJson(response, 200, { items: [1, 2, 3] });
        return;
      case '/infinite':
        infiniteCalls++;
        sendJson(response, 200, { items: [infiniteCalls], next: `/infinite?n=${infiniteCalls}` });
        return;
      case '/fails-at-2':
        if (query.get('page') === '2') sendJson(response, 500, { error: 'boom' });
        else sendJson(response, 200, { next: '/fails-at-2?page=2' });
        return;
      case '/not-json':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>');
        return;
    }
    response.writeHead(404);
    response.end();
  });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function walk(config: PaginationConfig, request: HttpRequest): Promise<{ pages: HttpPage[]; outcome: PaginationOutcome }> {
  const pages: HttpPage[] = [];
  const iterator = new Paginator(config).pages(client, request);
  for (;;) {
    const step = await iterator.next();
    if (step.done) return { pages, outcome: step.value };
    pages.push(step.value);
  }
}

const json = (page: HttpPage): unknown => JSON.parse(page.response.content!);

describe('field paths and Link headers', () => {
  it('reads dotted paths and JSON pointers', () => {
    const document = { a: { 'b/c': [10, { d: 'x' }] }, list: [{ id: 7 }] };
    expect(compileFieldPath('list[0].id').read(document)).toBe(7);
    expect(compileFieldPath('$.list.0.id').read(document)).toBe(7);
    expect(compileFieldPath('/a/b~1c/1/d').read(document)).toBe('x');
    expect(compileFieldPath('a.missing.deeper').read(document)).toBeUndefined();
    expect(compileFieldPath('').read(document)).toBe(document);
    expect(() => compileFieldPath('a..b')).toThrow(SyntaxError);
  });

  it('finds a link by rel', () => {
    const header = '<https://x/2>; rel="next", <https://x/9>; rel="last prev"';
    expect(findLink(header, 'next')).toBe('https://x/2');
    expect(findLink(header, 'prev')).toBe('https://x/9');
    expect(findLink(header, 'first')).toBeUndefined();
  });
});

describe('Paginator strategies', () => {
  it('cursor: Dropbox list_folder then list_folder/continue with the cursor in a JSON body', async () => {
    const { pages, outcome } = await walk(
      {
        strategy: 'cursor',
        cursorField: 'cursor',
        hasMoreField: 'has_more',
        next: { url: `${server.url}/2/files/list_folder/continue`, cursorBodyField: 'cursor' },
      },
      {
        method: 'POST',
        url: `${server.url}/2/files/list_folder`,
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: { kind: 'json', value: { path: '', recursive: true } },
      },
    );
    expect(pages.map((page) => (json(page) as { entries: { name: string }[] }).entries[0]!.name)).toEqual(['file-0', 'file-1', 'file-2']);
    expect(pages.map((page) => page.pageIndex)).toEqual([0, 1, 2]);
    expect(outcome).toEqual({ pages: 3, stopReason: 'last-page' });
    expect(cursorRequests).toEqual([
      { path: '/2/files/list_folder', body: { path: '', recursive: true }, authorization: 'Bearer t' },
      { path: '/2/files/list_folder/continue', body: { cursor: 'c1' }, authorization: 'Bearer t' },
      { path: '/2/files/list_folder/continue', body: { cursor: 'c2' }, authorization: 'Bearer t' },
    ]);
    // The last page still carries the cursor a sync stores for next time.
    expect((json(pages[2]!) as { cursor: string }).cursor).toBe('c3');
  });

  it('cursor: stops when the cursor does not advance', async () => {
    const { pages, outcome } = await walk(
      { strategy: 'cursor', cursorField: '/cursor', hasMoreField: '/has_more' },
      { url: `${server.url}/stuck-cursor` },
    );
    expect(pages).toHaveLength(2);
    expect(outcome).toEqual({ pages: 2, stopReason: 'cursor-not-advanced' });
  });

  it('next-url: follows a relative URL from the body until it is null', async () => {
    const { pages, outcome } = await walk({ strategy: 'next-url', nextUrlField: 'links.next' }, { url: `${server.url}/next-url` });
    expect(pages.map((page) => json(page))).toEqual([
      { data: { items: [1] }, links: { next: '/next-url?page=2' } },
      { data: { items: [2] }, links: { next: '/next-url?page=3' } },
      { data: { items: [3] }, links: { next: null } },
    ]);
    expect(pages[2]!.response.url).toBe(`${server.url}/next-url?page=3`);
    expect(outcome.stopReason).toBe('last-page');
  });

  it('link-header: follows rel="next" and reads non-JSON pages', async () => {
    const { pages, outcome } = await walk({ strategy: 'link-header' }, { url: `${server.url}/link` });
    expect(pages.map((page) => page.response.content)).toEqual(['page,1\n', 'page,2\n', 'page,3\n']);
    expect(outcome).toEqual({ pages: 3, stopReason: 'last-page' });
  });

  it('offset: stops on a short page, on an empty page, or at the total', async () => {
    const short = await walk({ strategy: 'offset', limit: 10, itemsField: 'results' }, { url: `${server.url}/offset` });
    expect(short.pages.map((page) => (json(page) as { results: unknown[] }).results.length)).toEqual([10, 10, 5]);
    expect(short.pages[2]!.response.url).toBe(`${server.url}/offset?offset=20&limit=10`);
    const exact = await walk({ strategy: 'offset', limit: 10, itemsField: 'results' }, { url: `${server.url}/offset`, query: { total: '20' } });
    expect(exact.pages.map((page) => (json(page) as { results: unknown[] }).results.length)).toEqual([10, 10, 0]);
    const counted = await walk(
      { strategy: 'offset', limit: 10, itemsField: 'results', totalField: 'total' },
      { url: `${server.url}/offset`, query: { total: '20' } },
    );
    expect(counted.outcome).toEqual({ pages: 2, stopReason: 'last-page' });
  });

  it('page: numbers pages from 1 and stops on a short page', async () => {
    const { pages, outcome } = await walk(
      { strategy: 'page', pageSize: 10, pageSizeParam: 'per_page' },
      { url: `${server.url}/page?page=99` },
    );
    expect(pages.map((page) => (json(page) as unknown[]).length)).toEqual([10, 10, 5]);
    expect(pages.map((page) => page.response.url)).toEqual([
      `${server.url}/page?page=1&per_page=10`,
      `${server.url}/page?page=2&per_page=10`,
      `${server.url}/page?page=3&per_page=10`,
    ]);
    expect(outcome.stopReason).toBe('last-page');
  });
});

describe('Paginator guards', () => {
  it('drops a repeated page and stops (a server that ignores the page parameter)', async () => {
    const { pages, outcome } = await walk({ strategy: 'page', itemsField: 'items' }, { url: `${server.url}/same-page` });
    expect(pages).toHaveLength(1);
    expect(outcome).toEqual({ pages: 1, stopReason: 'repeated-page' });
  });

  it('stops at maxPages', async () => {
    const { pages, outcome } = await walk({ strategy: 'next-url', nextUrlField: 'next', maxPages: 5 }, { url: `${server.url}/infinite` });
    expect(pages).toHaveLength(5);
    expect(outcome).toEqual({ pages: 5, stopReason: 'max-pages' });
  });

  it('yields an error-status page and stops there', async () => {
    const { pages, outcome } = await walk({ strategy: 'next-url', nextUrlField: 'next' }, { url: `${server.url}/fails-at-2` });
    expect(pages.map((page) => page.response.statusCode)).toEqual([200, 500]);
    expect(outcome.stopReason).toBe('error-status');
  });

  it('fails clearly on a non-JSON page, a file target or a bad setting', async () => {
    const notJson = await walk({ strategy: 'next-url', nextUrlField: 'next' }, { url: `${server.url}/not-json` }).catch((error: unknown) => error);
    expect((notJson as HttpRequestError).code).toBe('TREFOIL_ERR_HTTP_PAGINATION');
    expect((notJson as HttpRequestError).message).toContain('not JSON');
    const toFile = new Paginator({ strategy: 'link-header' }).pages(client, { url: `${server.url}/link` }, { kind: 'file', path: 'x' });
    await expect(toFile.next()).rejects.toMatchObject({ code: 'TREFOIL_ERR_HTTP_PAGINATION' });
    expect(() => new Paginator({ strategy: 'offset', limit: 0 })).toThrow(HttpRequestError);
    expect(() => new Paginator({ strategy: 'cursor', cursorField: 'a..b' })).toThrow('cursorField');
  });
});
