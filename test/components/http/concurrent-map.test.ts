import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, mapConcurrent } from '../../../components/http/index.ts';
import { sendJson, startServer, type LocalServer } from './local-server.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Delays that make later inputs finish first. */
const DELAYS = [60, 10, 40, 5, 30, 1, 20, 15];

describe('mapConcurrent', () => {
  it('hands results back in input order by default, running up to N at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await collect(
      mapConcurrent(
        DELAYS,
        async (delay, index) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(delay);
          running--;
          return `${index}:${delay}`;
        },
        { concurrency: 3 },
      ),
    );
    expect(results).toEqual(DELAYS.map((delay, index) => `${index}:${delay}`));
    expect(peak).toBe(3);
  });

  it('hands results back in completion order when not ordered', async () => {
    const results = await collect(
      mapConcurrent(
        [50, 1, 25],
        async (delay) => {
          await sleep(delay);
          return delay;
        },
        { concurrency: 3, ordered: false },
      ),
    );
    expect(results).toEqual([1, 25, 50]);
  });

  it('bounds inputs in flight while the consumer is slow or the first result is late', async () => {
    let pulled = 0;
    function* inputs(): Generator<number> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const seenInFlight: number[] = [];
    let yielded = 0;
    for await (const value of mapConcurrent(inputs(), async (i) => {
      await sleep(i === 0 ? 50 : 1); // the head of the line is slow
      return i;
    }, { concurrency: 4, maxInFlight: 8 })) {
      expect(value).toBe(yielded);
      yielded++;
      seenInFlight.push(pulled - yielded);
      await sleep(1); // a slow consumer
    }
    expect(yielded).toBe(100);
    expect(Math.max(...seenInFlight)).toBeLessThanOrEqual(8);
  });

  it('yields a ready result while the source is slow to give the next input', async () => {
    async function* slowInputs(): AsyncGenerator<number> {
      yield 1;
      await sleep(300);
      yield 2;
    }
    const started = Date.now();
    const iterator = mapConcurrent(slowInputs(), async (i) => i * 10, { concurrency: 2 })[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 10 });
    expect(Date.now() - started).toBeLessThan(200);
    expect(await iterator.next()).toEqual({ done: false, value: 20 });
    expect((await iterator.next()).done).toBe(true);
  });

  it('throws the first failure and aborts the other tasks', async () => {
    const aborted: number[] = [];
    const run = collect(
      mapConcurrent(
        [0, 1, 2, 3],
        (i, _index, signal) =>
          new Promise<number>((resolve, reject) => {
            if (i === 2) setTimeout(() => reject(new Error('task 2 failed')), 10);
            else {
              const timer = setTimeout(() => resolve(i), 1000);
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                aborted.push(i);
                reject(signal.reason);
              });
            }
          }),
        { concurrency: 4 },
      ),
    );
    await expect(run).rejects.toThrow('task 2 failed');
    expect(aborted.sort()).toEqual([0, 1, 3]);
  });

  it('aborts the tasks when the consumer stops early', async () => {
    const aborted: number[] = [];
    for await (const value of mapConcurrent(
      [0, 1, 2],
      (i, _index, signal) =>
        i === 0
          ? Promise.resolve(0)
          : new Promise<number>((_resolve, reject) => {
              signal.addEventListener('abort', () => {
                aborted.push(i);
                reject(signal.reason);
              });
            }),
      { concurrency: 3 },
    )) {
      expect(value).toBe(0);
      break;
    }
    expect(aborted.sort()).toEqual([1, 2]);
  });
});

describe('mapConcurrent with HttpClient', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startServer(async (request, response) => {
      const n = Number(new URL(request.url!, 'http://x').searchParams.get('n'));
      await sleep((n * 7) % 13);
      sendJson(response, 200, { n });
    });
  });
  afterAll(() => server.close());

  it('keeps response order for concurrent requests over reused connections', async () => {
    const client = new HttpClient({ connectionsPerOrigin: 8 });
    const numbers = Array.from({ length: 200 }, (_, i) => i);
    const results = await collect(
      mapConcurrent(numbers, async (n, _index, signal) => {
        const response = await client.send({ url: `${server.url}/?n=${n}` }, undefined, { signal });
        return (JSON.parse(response.content!) as { n: number }).n;
      }, { concurrency: 8 }),
    );
    expect(results).toEqual(numbers);
    expect(server.connections()).toBeLessThanOrEqual(8);
    await client.close();
  });
});
