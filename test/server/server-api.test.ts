/**
 * The HTTP API over real HTTP on 127.0.0.1 (ephemeral port), with real runs in child processes.
 */
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../engine/server/http-json.ts';
import { readEvents, startServer, TestProject, waitFor, type TestServer } from './server-harness.ts';

const TOKEN = 'right-token-4711';
const project = new TestProject();
let server: TestServer;

const QUICK = `graph: quick
description: Three numbers, doubled.
metadata:
  N: { fields: { n: integer } }
components:
  numbers: { type: DataGenerator, records: 3, generate: "$out[0].n = index;" }
  double: { type: Reformat, transform: "$out[0].n = $in[0].n * 2;" }
  done: { type: Trash }
edges:
  - { from: numbers, to: double, metadata: N }
  - { from: double, to: done, metadata: N }
`;

beforeAll(async () => {
  project.write('graphs/quick.yaml', QUICK);
  project.graph('slow', 'wait: { type: TestSleep, ms: "${MS}" }', 'MS: { default: 30000, type: integer }\nAPI_KEY: { secure: true, default: "hidden-default" }');
  project.graph('spin', 'spin: { type: TestSpin, ms: 2000 }');
  project.write('graphs/nested/broken.yaml', 'graph: broken\ncomponents:\n  x: { type: NoSuchType }\n');
  project.write('graphs/not-a-graph.yaml', 'server: { port: 1 }\n');
  project.write('ui/index.html', '<!doctype html><title>Trefoil</title>');
  project.write('ui/js/app.js', 'console.log("ui");');
  project.write('secret.txt', 'do not serve me');
  server = await startServer(
    project,
    `
server: { port: 0, dataDir: data, maxConcurrentRuns: 4, token: { env: TEST_API_TOKEN } }
`,
    { environment: { ...process.env, TEST_API_TOKEN: TOKEN }, uiDir: join(project.dir, 'ui') },
  );
});

afterAll(async () => {
  await server?.stop();
  project.cleanup();
});

async function startRun(graph: string, parameters?: Record<string, unknown>): Promise<string> {
  const response = await server.api('POST', '/api/runs', { token: TOKEN, body: { graph, ...(parameters ? { parameters } : {}) } });
  expect(response.status).toBe(202);
  return response.body.runId as string;
}

async function runRecord(runId: string): Promise<any> {
  return (await server.api('GET', `/api/runs/${runId}`)).body;
}

describe('server API', { timeout: 60_000 }, () => {
  it('refuses mutating calls without the right bearer token, with 401 JSON', async () => {
    const body = { graph: 'graphs/quick.yaml' };
    for (const options of [{ body }, { body, token: 'wrong-token' }, { body, headers: { authorization: `Basic ${TOKEN}` } }]) {
      const response = await server.api('POST', '/api/runs', options);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body.error.code).toBe('TREFOIL_ERR_SERVER_API_UNAUTHORIZED');
    }
    expect((await server.api('POST', '/api/runs/some-run/abort')).status).toBe(401);
    expect(server.server.history.list().total).toBe(0); // nothing was started
    expect((await server.api('GET', '/api/runs')).status).toBe(200); // reads need no token
  });

  it('rejects bad input with 4xx JSON errors and stays up', async () => {
    const cases: Array<[string, string, { body?: unknown; rawBody?: string; token?: string }, number, string]> = [
      ['POST', '/api/runs', { rawBody: '{"graph": ', token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { rawBody: '', token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: ['graphs/quick.yaml'], token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: {}, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 42 }, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 'graphs/quick.yaml', params: {} }, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 'graphs/quick.yaml', parameters: [] }, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 'graphs/quick.yaml', parameters: { N: { nested: 1 } } }, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 'graphs/quick.yaml', parameters: { 'bad name': 1 } }, token: TOKEN }, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['POST', '/api/runs', { body: { graph: 'graphs/missing.yaml' }, token: TOKEN }, 404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND'],
      ['POST', '/api/runs', { body: { graph: '../../../../etc/passwd' }, token: TOKEN }, 404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND'],
      ['POST', '/api/runs', { body: { graph: 'secret.txt' }, token: TOKEN }, 404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND'],
      ['POST', '/api/runs', { rawBody: JSON.stringify({ graph: 'x'.repeat(MAX_BODY_BYTES) }), token: TOKEN }, 413, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?status=DONE', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?limit=0', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?offset=-1', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?trigger=cron', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?since=yesterday', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs?colour=red', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/runs/no-such-run', {}, 404, 'TREFOIL_ERR_SERVER_RUN_NOT_FOUND'],
      ['GET', '/api/runs/no-such-run/log', {}, 404, 'TREFOIL_ERR_SERVER_RUN_NOT_FOUND'],
      ['GET', '/api/runs/no-such-run/events', {}, 404, 'TREFOIL_ERR_SERVER_RUN_NOT_FOUND'],
      ['POST', '/api/runs/no-such-run/abort', { token: TOKEN }, 404, 'TREFOIL_ERR_SERVER_RUN_NOT_FOUND'],
      ['GET', '/api/graphs/graphs%2Fmissing.yaml', {}, 404, 'TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND'],
      ['GET', '/api/graphs/graphs%2Fquick.yaml/render?format=png', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/graphs/%E0%A4%A/render', {}, 400, 'TREFOIL_ERR_SERVER_API_REQUEST'],
      ['GET', '/api/nothing-here', {}, 404, 'TREFOIL_ERR_SERVER_API_ROUTE'],
      ['DELETE', '/api/runs', { token: TOKEN }, 405, 'TREFOIL_ERR_SERVER_API_ROUTE'],
      ['GET', '/etc/passwd', {}, 404, 'TREFOIL_ERR_SERVER_API_ROUTE'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const response = await server.api(method, path, options);
      expect({ method, path, status: response.status, code: response.body?.error?.code }).toEqual({ method, path, status, code });
      expect(typeof response.body.error.message).toBe('string');
    }
    expect((await server.api('DELETE', '/api/runs', { token: TOKEN })).headers.allow).toBe('GET, POST');
    expect((await server.api('GET', '/api/status')).body).toMatchObject({ name: 'trefoil', running: 0, acceptingRuns: true });
  });

  it('lists the project graphs with parameters (secure ones flagged, defaults masked) and validity, and renders them', async () => {
    const { graphs } = (await server.api('GET', '/api/graphs')).body;
    expect(graphs.map((graph: { path: string }) => graph.path)).toEqual(['graphs/nested/broken.yaml', 'graphs/quick.yaml', 'graphs/slow.yaml', 'graphs/spin.yaml']);
    const [broken, quick, slow] = graphs;
    expect(quick).toEqual({ path: 'graphs/quick.yaml', id: 'quick', description: 'Three numbers, doubled.', parameters: [], valid: true, problems: [] });
    expect(slow.parameters).toEqual([
      { name: 'MS', default: 30000, type: 'integer', required: false, secure: false },
      { name: 'API_KEY', default: '*****', required: false, secure: true },
    ]);
    expect(broken.valid).toBe(false);
    expect(broken.problems[0]).toMatch(/broken\.yaml:3:\d+ TREFOIL_ERR_GRAPH_\w+ .*NoSuchType/);
    expect(JSON.stringify(graphs)).not.toContain('hidden-default');
    expect((await server.api('GET', '/api/graphs/graphs/quick.yaml')).body.id).toBe('quick');

    const svg = await server.api('GET', '/api/graphs/graphs%2Fquick.yaml/render?format=svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.text).toContain('<svg');
    expect(svg.text).toContain('double');
    const dot = await server.api('GET', '/api/graphs/graphs/quick.yaml/render?format=dot');
    expect(dot.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.text).toMatch(/^digraph/);
  });

  it('takes 50 concurrent API calls, 20 of them runs that queue behind maxConcurrentRuns, and loses nothing', async () => {
    const before = server.server.history.list({ graph: join(project.dir, 'graphs/quick.yaml') }).total;
    const calls = Array.from({ length: 50 }, (_, index) => {
      if (index % 5 < 2) return server.api('POST', '/api/runs', { token: TOKEN, body: { graph: 'graphs/quick.yaml' } });
      return server.api('GET', ['/api/runs', '/api/graphs', '/api/status'][index % 3]!);
    });
    const responses = await Promise.all(calls);
    const started = responses.filter((response) => response.status === 202);
    expect(started).toHaveLength(20);
    expect(responses.every((response) => response.status === 200 || response.status === 202)).toBe(true);
    const ids = started.map((response) => response.body.runId as string);
    expect(new Set(ids).size).toBe(20);
    expect(started[0]!.headers.location).toBe(`/api/runs/${ids[0]}`);
    expect((await server.api('GET', '/api/status')).body.enqueued).toBeGreaterThan(0); // 4 run at a time

    await waitFor('all 20 runs to end', async () => {
      const page = (await server.api('GET', `/api/runs?graph=graphs/quick.yaml&status=FINISHED_OK&limit=1000`)).body;
      return page.total === before + 20;
    }, 60_000, 200);
    for (const runId of ids) {
      const run = await runRecord(runId);
      expect(run).toMatchObject({ status: 'FINISHED_OK', graph: 'graphs/quick.yaml', trigger: { kind: 'api' } });
      expect(run.tracking.components.find((component: { id: string }) => component.id === 'done').inputs[0].records).toBe(3);
    }
    const page = (await server.api('GET', '/api/runs?trigger=api&limit=5&offset=5')).body;
    expect(page).toMatchObject({ total: before + 20, limit: 5, offset: 5 });
    expect(page.runs).toHaveLength(5);
    expect((await server.api('GET', '/api/runs?status=ERROR,ABORTED')).body.total).toBe(0);
  });

  it('streams live tracking of a running run as Server-Sent Events, then its end; an ended run gets its end at once', async () => {
    const runId = await startRun('graphs/slow.yaml', { MS: 1500 });
    const { status, contentType, events } = await readEvents(`${server.url}/api/runs/${runId}/events`);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events[0]!.event).toBe('status');
    const tracking = events.filter((event) => event.event === 'tracking');
    expect(tracking.length).toBeGreaterThanOrEqual(3); // every 100 ms over a 1.5 s run
    expect(tracking.some((event) => event.data.components[0].status === 'RUNNING')).toBe(true);
    expect(tracking.every((event) => event.data.runId === runId)).toBe(true);
    const last = events.at(-1)!;
    expect(last.event).toBe('end');
    expect(last.data).toMatchObject({ runId, status: 'FINISHED_OK', tracking: { status: 'FINISHED_OK' } });
    expect(last.data.parameters).toEqual({ MS: 1500 });

    const replay = await readEvents(`${server.url}/api/runs/${runId}/events`, 5000);
    expect(replay.events.map((event) => event.event)).toEqual(['end']);
    expect(replay.events[0]!.data.status).toBe('FINISHED_OK');

    const log = (await server.api('GET', `/api/runs/${runId}/log`)).body;
    expect(log.entries.map((entry: { msg: string }) => entry.msg)).toEqual(['graph slow started', 'graph slow finished']);
    expect(log.live).toBe(false);
    const rest = (await server.api('GET', `/api/runs/${runId}/log?offset=${log.nextOffset}`)).body;
    expect(rest).toMatchObject({ entries: [], nextOffset: log.nextOffset, more: false });
    expect((await server.api('GET', `/api/runs/${runId}/tracking`)).body).toMatchObject({ runId, status: 'FINISHED_OK', live: false, tracking: { runId } });
  });

  it('aborts a running run: 202, then ABORTED; a second abort is 409', async () => {
    const runId = await startRun('graphs/slow.yaml');
    await waitFor('live tracking', async () => (await server.api('GET', `/api/runs/${runId}/tracking`)).body.tracking?.components[0].status === 'RUNNING');
    const running = (await server.api('GET', `/api/runs/${runId}`)).body;
    expect(running.status).toBe('RUNNING');
    expect(running.tracking.status).toBe('RUNNING');

    const abort = await server.api('POST', `/api/runs/${runId}/abort`, { token: TOKEN });
    expect(abort.status).toBe(202);
    expect(abort.body).toEqual({ runId, status: 'RUNNING', aborting: true });
    const ended = await waitFor('the abort', async () => {
      const run = await runRecord(runId);
      return run.status === 'RUNNING' ? undefined : run;
    });
    expect(ended.status).toBe('ABORTED');
    expect(ended.durationMs).toBeLessThan(10_000);
    const again = await server.api('POST', `/api/runs/${runId}/abort`, { token: TOKEN });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TREFOIL_ERR_SERVER_RUN_FINISHED');
  });

  it('stays responsive while a run keeps a CPU busy (runs are separate processes)', async () => {
    const runId = await startRun('graphs/spin.yaml');
    const calls: Array<{ at: number; took: number }> = [];
    let run: any;
    do {
      const at = Date.now();
      expect((await server.api('GET', '/api/status')).status).toBe(200);
      calls.push({ at, took: Date.now() - at });
      run = await runRecord(runId);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (run.status !== 'FINISHED_OK' && calls.length < 400);
    const spin = run.tracking.components[0];
    const during = calls.filter((call) => call.at >= Date.parse(spin.startTime) && call.at + call.took <= Date.parse(spin.endTime));
    expect(during.length).toBeGreaterThanOrEqual(5); // the 2 s busy loop did run while we called
    expect(Math.max(...during.map((call) => call.took))).toBeLessThan(1000);
  });

  it('serves the web UI files with their content types and nothing outside the UI folder', async () => {
    const index = await server.api('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.text).toContain('<title>Trefoil</title>');
    const script = await server.api('GET', '/ui/js/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toBe('console.log("ui");');
    for (const path of ['/ui/../secret.txt', '/ui/%2e%2e/secret.txt', '/ui/js/%2e%2e%2f%2e%2e%2fsecret.txt', '/ui/..%5csecret.txt', '/ui/%00', '/ui/missing.js', '/ui/js']) {
      const response = await rawGet(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.text).not.toContain('do not serve me');
    }
  });
});

/** A GET with the path sent exactly as written (no client-side normalisation of `..`). */
function rawGet(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: server.server.port, path, method: 'GET' }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, text }));
    });
    request.on('error', reject);
    request.end();
  });
}
