import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpRequestError, RetryPolicy, parseRetryAfter, type RetryEvent } from '../../../components/http/index.ts';
import { readBody, sendJson, startServer, type LocalServer } from './local-server.ts';

let server: LocalServer;
let dir: string;
/** Requests seen per key (the `key` query parameter). */
const seen = new Map<string, number>();
const FULL_BODY = 'x'.repeat(1000);

function hit(url: URL): number {
  const key = url.searchParams.get('key')!;
  const count = (seen.get(key) ?? 0) + 1;
  seen.set(key, count);
  return count;
}

async function rejection(promise: Promise<unknown>): Promise<HttpRequestError> {
  try {
    await promise;
  } catch (error) {
    return error as HttpRequestError;
  }
  throw new Error('expected the promise to reject');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trefoil-retry-'));
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const count = hit(url);
    const failures = Number(url.searchParams.get('failures') ?? 1);
    const body = await readBody(request);
    if (count <= failures) {
      switch (url.pathname) {
        case '/rate-limited':
          response.writeHead(429, { 'retry-after': url.searchParams.get('after')!, 'content-type': 'text/plain' });
          response.end('slow down');
          return;
        case '/unavailable':
          // A sizeable body: the client must drain it so the connection is reused.
          response.writeHead(503, { 'content-length': 100_000 });
          response.end(Buffer.alloc(100_000, 0x2e));
          return;
        case '/reset':
          // Headers and part of the body, then the connection drops.
          response.writeHead(200, { 'content-length': FULL_BODY.length });
          response.write(FULL_BODY.slice(0, 100));
          await new Promise((resolve) => setTimeout(resolve, 20));
          response.socket!.destroy();
          return;
      }
    }
    sendJson(response, 200, { count, received: body.length });
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('parseRetryAfter and backoff', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter under a cap, and caps Retry-After', () => {
    const highest = new RetryPolicy({ baseDelay: 100, maxDelay: 1000, maxRetryAfter: 5000 }, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5].map((n) => highest.delay(n))).toEqual([99, 199, 399, 799, 999, 999]);
    const lowest = new RetryPolicy({ baseDelay: 100 }, () => 0);
    expect(lowest.delay(3)).toBe(0);
    expect(highest.delay(0, '2')).toBe(2000);
    expect(highest.delay(0, '3600')).toBe(5000);
  });

  it('retries non-idempotent methods only when configured, except when nothing was sent', () => {
    const strict = new RetryPolicy({});
    expect(strict.retriesStatus('GET', 503)).toBe(true);
    expect(strict.retriesStatus('PUT', 429)).toBe(true);
    expect(strict.retriesStatus('POST', 503)).toBe(false);
    expect(strict.retriesStatus('GET', 500)).toBe(false);
    const reset = new HttpRequestError('TREFOIL_ERR_HTTP_NETWORK', 'x', { method: 'POST', url: 'u' }, { networkCode: 'ECONNRESET' });
    const refused = new HttpRequestError('TREFOIL_ERR_HTTP_NETWORK', 'x', { method: 'POST', url: 'u' }, { networkCode: 'ECONNREFUSED' });
    expect(strict.retriesError('POST', reset)).toBe(false);
    expect(strict.retriesError('PATCH', refused)).toBe(true);
    expect(new RetryPolicy({ retryNonIdempotent: true }).retriesError('POST', reset)).toBe(true);
    expect(new RetryPolicy(undefined).maxRetries).toBe(0);
  });
});

describe('HttpClient retries', () => {
  it('honours Retry-After on 429', async () => {
    const events: RetryEvent[] = [];
    const client = new HttpClient({ retry: { count: 2, baseDelay: 1 }, onRetry: (event) => events.push(event) });
    const started = Date.now();
    const response = await client.send({ url: `${server.url}/rate-limited?key=ra1&after=1` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(response.statusCode).toBe(200);
    expect(response.attempts).toBe(2);
    expect(events).toEqual([expect.objectContaining({ attempt: 1, statusCode: 429, delayMs: 1000 })]);
    await client.close();
  });

  it('caps a long Retry-After at maxRetryAfter', async () => {
    const client = new HttpClient({ retry: { count: 1, maxRetryAfter: 100 } });
    const started = Date.now();
    const response = await client.send({ url: `${server.url}/rate-limited?key=ra2&after=3600` });
    expect(response.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await client.close();
  });

  it('returns the last response when retries run out, and drains retried bodies to reuse the connection', async () => {
    const fresh = await startServer(async (_request, response) => {
      response.writeHead(503, { 'content-length': 100_000 });
      response.end(Buffer.alloc(100_000, 0x2e));
    });
    const client = new HttpClient({ retry: { count: 3, baseDelay: 1 } });
    const response = await client.send({ url: `${fresh.url}/` });
    expect(response.statusCode).toBe(503);
    expect(response.attempts).toBe(4);
    expect(response.content).toHaveLength(100_000);
    expect(fresh.connections()).toBe(1);
    await client.close();
    await fresh.close();
  });

  it('retries a connection reset mid-response and returns the whole body', async () => {
    const client = new HttpClient({ retry: { count: 2, baseDelay: 1 } });
    const response = await client.send({ url: `${server.url}/reset?key=rs1` });
    expect(response.attempts).toBe(2);
    expect(JSON.parse(response.content!)).toEqual({ count: 2, received: 0 });
    await client.close();
  });

  it('fails with a network error after a reset when retries are off, leaving no partial file', async () => {
    const client = new HttpClient();
    const path = join(dir, 'reset.bin');
    const error = await rejection(client.send({ url: `${server.url}/reset?key=rs2` }, { kind: 'file', path }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_NETWORK');
    expect(error.statusCode).toBe(200);
    expect(await readdir(dir)).toEqual([]);
    await client.close();
  });

  it('writes a complete file after a reset was retried', async () => {
    const client = new HttpClient({ retry: { count: 1, baseDelay: 1 } });
    const path = join(dir, 'retried.json');
    const response = await client.send({ url: `${server.url}/reset?key=rs3` }, { kind: 'file', path });
    expect(response.file).toBe(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ count: 2, received: 0 });
    expect(await readdir(dir)).toEqual(['retried.json']);
    await rm(path);
    await client.close();
  });

  it('does not retry POST unless configured, and then re-sends a file body', async () => {
    const file = join(dir, 'payload.bin');
    await writeFile(file, Buffer.alloc(50_000, 1));
    const strict = new HttpClient({ retry: { count: 2, baseDelay: 1 } });
    const once = await strict.send({ method: 'POST', url: `${server.url}/unavailable?key=p1`, body: { kind: 'file', path: file } });
    expect(once.statusCode).toBe(503);
    expect(once.attempts).toBe(1);
    const lenient = new HttpClient({ retry: { count: 2, baseDelay: 1, retryNonIdempotent: true } });
    const twice = await lenient.send({ method: 'POST', url: `${server.url}/unavailable?key=p2`, body: { kind: 'file', path: file } });
    expect(twice.statusCode).toBe(200);
    expect(JSON.parse(twice.content!)).toEqual({ count: 2, received: 50_000 });
    await rm(file);
    await strict.close();
    await lenient.close();
  });

  it('retries a refused connection, counting the attempts in the error', async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url;
    await gone.close();
    const events: RetryEvent[] = [];
    const client = new HttpClient({ retry: { count: 2, baseDelay: 1 }, onRetry: (event) => events.push(event) });
    const error = await rejection(client.send({ method: 'POST', url, body: 'x' }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_NETWORK');
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('after 3 attempts');
    expect(events.map((event) => event.errorCode)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    await client.close();
  });

  it('stops waiting for a retry when aborted', async () => {
    const client = new HttpClient({ retry: { count: 1 } });
    const controller = new AbortController();
    const reason = new Error('aborted by the test');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await expect(client.send({ url: `${server.url}/rate-limited?key=ab1&after=30` }, undefined, { signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
    await client.close();
  });
});
