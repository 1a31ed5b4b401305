import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, RateLimiter } from '../../../components/http/index.ts';
import { sendJson, startServer, type LocalServer } from './local-server.ts';

let server: LocalServer;
/** performance.now() of every request undici created: the moment the limiter let it go. */
let starts: number[] = [];
const onRequestCreated = (): void => {
  starts.push(performance.now());
};
const attemptsByKey = new Map<string, number>();

beforeAll(async () => {
  server = await startServer((request, response) => {
    const url = new URL(request.url!, 'http://x');
    const key = url.searchParams.get('key') ?? '';
    const attempt = (attemptsByKey.get(key) ?? 0) + 1;
    attemptsByKey.set(key, attempt);
    // Every third key fails once with 503 and is retried: the retry must wait for a slot too.
    if (Number(key) % 3 === 0 && attempt === 1) sendJson(response, 503, {});
    else sendJson(response, 200, { key });
  });
});

afterAll(() => server.close());

describe('RateLimiter', () => {
  it('lets requests start at once while the window has room, then in arrival order', async () => {
    const limiter = new RateLimiter({ requests: 2, interval: 100 });
    expect(limiter.acquire()).toBeUndefined();
    expect(limiter.acquire()).toBeUndefined();
    const order: number[] = [];
    const started = performance.now();
    const third = limiter.acquire()!.then(() => order.push(3));
    const fourth = limiter.acquire()!.then(() => order.push(4));
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal)!;
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    const fifth = limiter.acquire()!.then(() => order.push(5));
    await Promise.all([third, fourth]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    await fifth;
    // The aborted waiter gave its place away: the fifth went in the next window.
    expect(order).toEqual([3, 4, 5]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new RateLimiter({ requests: 0, interval: 100 })).toThrow(RangeError);
  });

  it('limits all requests of a client, retries included', async () => {
    // Warm undici up first (its first request in a process loads and compiles the HTTP parser).
    const warm = new HttpClient();
    await warm.send({ url: `${server.url}/?key=warm-up` });
    await warm.close();
    const limit = { requests: 4, interval: 150 };
    const client = new HttpClient({ rateLimit: limit, retry: { count: 1, baseDelay: 1 } });
    subscribe('undici:request:create', onRequestCreated);
    const keys = Array.from({ length: 12 }, (_, i) => String(i));
    const started = performance.now();
    const responses = await Promise.all(keys.map((key) => client.send({ url: `${server.url}/?key=${key}` })));
    const elapsed = performance.now() - started;
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    unsubscribe('undici:request:create', onRequestCreated);
    // 12 requests + 4 retries = 16 starts at 4 per 150 ms: at least 3 full intervals.
    expect(starts).toHaveLength(16);
    expect(elapsed).toBeGreaterThanOrEqual(3 * limit.interval - 5);
    // No window of `interval` holds more than `requests` starts (10 ms for the code between the
    // limiter's release and undici creating the request).
    for (let i = limit.requests; i < starts.length; i++) {
      expect(starts[i]! - starts[i - limit.requests]!).toBeGreaterThanOrEqual(limit.interval - 10);
    }
    await client.close();
  });
});
