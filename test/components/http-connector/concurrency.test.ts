/**
 * HTTPConnector with `concurrency`: N requests in flight at once, output in input order
 * (`ordered`, the default) or completion order, in-flight requests bounded, and `rateLimit`
 * holding the request rate — all against a real server that records when requests arrive.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collected as collectedNow } from '../../support/collect-component.ts';
import { COLLECT, runYaml } from '../../support/graph-runner.ts';
import { sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
let running = 0;
let peak = 0;
/** Arrival times (performance.now) of /slow requests. */
let arrivals: number[] = [];
/** Per /fast request: requests arrived minus records the `sink` collector holds by then. */
let lead: number[] = [];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    arrivals.push(performance.now());
    lead.push(arrivals.length - (collectedNow.sink?.length ?? 0));
    running++;
    peak = Math.max(peak, running);
    // Early requests answer slowly: request n waits (20 - n) * 8 ms.
    const n = Number(url.searchParams.get('n'));
    await sleep(url.pathname === '/slow' ? Math.max(0, 20 - n) * 8 : 0);
    running--;
    sendJson(response, 200, { n });
  });
});

beforeEach(() => {
  arrivals = [];
  lead = [];
  peak = 0;
});

afterAll(() => server.close());

const graph = (options: string, records = 20, path = 'slow') => `
graph: concurrent
metadata:
  In: { fields: { n: long } }
  Out: { fields: { n: long, content: string } }
components:
  numbers: { type: DataGenerator, records: ${records}, generate: "$out[0].n = index;" }
  http:
    type: HTTPConnector
    url: "${server.url}/${path}?n=*{n}"
${options}
  sink: { type: ${COLLECT} }
edges:
  - { from: numbers, to: http, metadata: In }
  - { from: http, to: sink, metadata: Out }
`;

describe('HTTPConnector concurrency', () => {
  it('keeps input order although early requests answer last', async () => {
    const { result, collected } = await runYaml(graph('    concurrency: 8'));
    expect(result.error?.message).toBeUndefined();
    const numbers = collected.sink!.map((r) => r.n);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Each record got its own response.
    expect(collected.sink!.every((r) => JSON.parse(r.content as string).n === r.n)).toBe(true);
    expect(peak).toBe(8);
  });

  it('emits in completion order with ordered: false', async () => {
    const { result, collected } = await runYaml(graph('    concurrency: 20\n    ordered: false'));
    expect(result.error?.message).toBeUndefined();
    const numbers = collected.sink!.map((r) => r.n as number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // All 20 start together and the latest-numbered answer first.
    expect(numbers[0]).toBeGreaterThan(numbers[19]!);
  });

  it('sends one request at a time by default', async () => {
    const { collected } = await runYaml(graph('', 5, 'fast'));
    expect(collected.sink!.map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(1);
  });

  it('bounds how far requests run ahead of a slow consumer (backpressure reaches the input)', async () => {
    const { result, collected } = await runYaml(`
graph: slow-consumer
metadata:
  In: { fields: { n: long } }
  Out: { fields: { n: long, statusCode: integer } }
components:
  numbers: { type: DataGenerator, records: 400, generate: "$out[0].n = index;" }
  http: { type: HTTPConnector, url: "${server.url}/fast?n=*{n}", concurrency: 4 }
  sink: { type: ${COLLECT}, delayMs: 5 }
edges:
  - { from: numbers, to: http, metadata: In }
  - { from: http, to: sink, metadata: Out, buffer: 16 }
`);
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink).toHaveLength(400);
    expect(peak).toBeLessThanOrEqual(4);
    // Requests are made only as the sink takes responses: ahead of it are at most the edge
    // (16 records), one batch being written and the 2 × 4 records inside the connector.
    expect(Math.max(...lead)).toBeLessThanOrEqual(16 + 16 + 8 + 1);
  });
});

describe('HTTPConnector rateLimit', () => {
  it('starts at most `requests` requests per interval, whatever the concurrency', async () => {
    const started = performance.now();
    const { result, collected } = await runYaml(graph('    concurrency: 10\n    rateLimit: { requests: 4, interval: 250ms }', 16, 'fast'));
    const elapsed = performance.now() - started;
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink).toHaveLength(16);
    // 16 requests at 4 per 250 ms: four windows, so at least three full intervals pass.
    expect(elapsed).toBeGreaterThanOrEqual(750);
    const sorted = [...arrivals].sort((a, b) => a - b);
    // Any 5 consecutive arrivals span at least one interval. The first window's requests arrive
    // late by their connection set-up, so the check starts once connections are reused.
    for (let i = 8; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 4]!).toBeGreaterThanOrEqual(240);
  });
});
