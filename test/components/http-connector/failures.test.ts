/**
 * HTTPConnector when things go wrong, against real servers: retries (429 with Retry-After, a
 * connection reset mid-response), timeouts, `failOnStatus`, the error port's records, a run
 * failing on the first failure when no error port is connected (naming component and record),
 * API error summaries in messages, bad input found per record, invalid configuration found
 * before the run, and abort.
 */
import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGraph, runGraph } from '../../../engine/run-graph.ts';
import type { GraphValidationError } from '../../../engine/loader/problems.ts';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { runCli } from '../../support/run-cli.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
/** Requests per path (without query) since the last reset. */
const hits = new Map<string, number>();
const hitTimes = new Map<string, number[]>();
/** Responses of /hang requests, held open. */
const hanging: ServerResponse[] = [];
let closedHangs = 0;
const scratch = temporaryDirectory('trefoil-http-failures-');

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const path = url.pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    hitTimes.set(path, [...(hitTimes.get(path) ?? []), performance.now()]);
    const attempt = hits.get(path)!;
    await readBody(request);
    switch (path) {
      case '/rate-limited':
        if (attempt === 1) return sendJson(response, 429, { error_summary: 'too_many_requests/..' }, { 'retry-after': '1' });
        return sendJson(response, 200, { attempt });
      case '/reset-mid-body': {
        const body = 'x'.repeat(100_000);
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
        if (attempt === 1) {
          response.write(body.slice(0, 30_000));
          setTimeout(() => request.socket.destroy(), 20);
          return;
        }
        response.end(body);
        return;
      }
      case '/unavailable':
        return sendJson(response, 503, { message: 'down for maintenance' });
      case '/hang':
        hanging.push(response);
        response.on('close', () => closedHangs++);
        return;
      case '/status': {
        const code = Number(url.searchParams.get('code'));
        if (code === 409) return sendJson(response, 409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
        if (code === 400) {
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('Error in call to API function "files/list_folder": request body: path: bad\nmore detail');
          return;
        }
        return sendJson(response, code, { code });
      }
      case '/big': {
        const body = 'y'.repeat(5000);
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
        response.end(body);
        return;
      }
      default:
        return sendJson(response, 200, { path, attempt });
    }
  });
});

beforeEach(() => {
  hits.clear();
  hitTimes.clear();
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await server.close();
  scratch.cleanup();
});

/** A graph: ids 0..n-1 → HTTPConnector (options) → sink, error port → errors when `errors`. */
const graph = (options: string, { records = 1, errors = true, generate = '$out[0].id = index;', inFields = 'id: long' } = {}) => `
graph: failures
metadata:
  In: { fields: { ${inFields} } }
  Out: { fields: { id: long, statusCode: integer, content: string } }
  Err: { fields: { id: long, errorMessage: string, statusCode: integer, url: string, content: string } }
components:
  input: { type: DataGenerator, records: ${records}, generate: "${generate}" }
  http:
    type: HTTPConnector
${options}
  sink: { type: ${COLLECT} }
${errors ? `  errors: { type: ${COLLECT} }` : ''}
edges:
  - { from: input, to: http, metadata: In }
  - { from: http:0, to: sink, metadata: Out }
${errors ? '  - { from: http:1, to: errors, metadata: Err }' : ''}
`;

describe('HTTPConnector retries', () => {
  it('retries a 429 after the Retry-After it names', async () => {
    const { result, collected } = await runYaml(graph(`    url: "${server.url}/rate-limited"\n    retry: { count: 2 }`));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => [r.statusCode, JSON.parse(r.content as string)])).toEqual([[200, { attempt: 2 }]]);
    const [first, second] = hitTimes.get('/rate-limited')!;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
  });

  it('retries a response whose connection is reset mid-body, and gets the whole body', async () => {
    const { result, collected } = await runYaml(graph(`    url: "${server.url}/reset-mid-body"\n    retry: { count: 2, backoff: 10ms }`));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink![0]!.content).toBe('x'.repeat(100_000));
    expect(hits.get('/reset-mid-body')).toBe(2);
  });

  it('does not retry a POST unless nonIdempotent is set', async () => {
    const post = await runYaml(graph(`    url: "${server.url}/unavailable"\n    method: POST\n    retry: { count: 2, backoff: 5ms }`));
    expect(post.collected.sink!.map((r) => r.statusCode)).toEqual([503]);
    expect(hits.get('/unavailable')).toBe(1);
    hits.clear();
    const retried = await runYaml(graph(`    url: "${server.url}/unavailable"\n    method: POST\n    retry: { count: 2, backoff: 5ms, nonIdempotent: true }`));
    expect(retried.collected.sink!.map((r) => r.statusCode)).toEqual([503]);
    expect(hits.get('/unavailable')).toBe(3);
  });

  it('gives up after count retries and reports the last response (statuses as classes)', async () => {
    const { collected } = await runYaml(graph(`    url: "${server.url}/unavailable"\n    retry: { count: 2, backoff: 5ms, statuses: [5xx] }\n    failOnStatus: 5xx`));
    expect(hits.get('/unavailable')).toBe(3);
    expect(collected.errors).toEqual([
      {
        id: 0,
        errorMessage: `GET ${server.url}/unavailable: status 503 Service Unavailable: down for maintenance`,
        statusCode: 503,
        url: `${server.url}/unavailable`,
        content: '{"message":"down for maintenance"}',
      },
    ]);
  });
});

describe('HTTPConnector failures', () => {
  it('a server that never answers times out into the error port; later records go on', async () => {
    const started = performance.now();
    const { result, collected } = await runYaml(
      graph(`    url: "${server.url}/*{id}"\n    timeout: 300ms`, { records: 2, generate: "$out[0].id = index; $out[0].path = index === 0 ? 'hang' : 'fine';", inFields: 'id: long, path: string' }).replace(
        '/*{id}',
        '/*{path}',
      ),
    );
    expect(result.error?.message).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(collected.errors).toHaveLength(1);
    expect(collected.errors![0]).toMatchObject({ id: 0, statusCode: null, url: `${server.url}/hang`, content: null });
    expect(collected.errors![0]!.errorMessage).toBe(`GET ${server.url}/hang: timed out waiting for the response headers (UND_ERR_HEADERS_TIMEOUT)`);
    expect(collected.sink!.map((r) => [r.id, r.statusCode])).toEqual([[1, 200]]);
  });

  it('without failOnStatus every status is a record on port 0 (CloverDX: a 404 arrives with its statusCode)', async () => {
    const { result, collected } = await runYaml(
      graph(`    url: "${server.url}/status?code=*{id}"`, { records: 3, generate: '$out[0].id = [200, 404, 500][index];' }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200, 404, 500]);
    expect(collected.errors).toEqual([]);
  });

  it('failOnStatus: listed statuses, classes and ranges go to the error port with the API\'s error summary', async () => {
    const { result, collected } = await runYaml(
      graph(`    url: "${server.url}/status?code=*{id}"\n    failOnStatus: [404, 5xx, 405-409, "400"]`, {
        records: 7,
        generate: '$out[0].id = [200, 404, 500, 409, 403, 400, 302][index];',
      }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200, 403, 302]);
    const errors = collected.errors!;
    expect(errors.map((r) => [r.id, r.statusCode])).toEqual([
      [404, 404],
      [500, 500],
      [409, 409],
      [400, 400],
    ]);
    expect(errors[2]!.errorMessage).toBe(`GET ${server.url}/status?code=409: status 409 Conflict: path/not_found/..`);
    expect(JSON.parse(errors[2]!.content as string).error_summary).toBe('path/not_found/..');
    expect(errors[3]!.errorMessage).toBe(
      `GET ${server.url}/status?code=400: status 400 Bad Request: Error in call to API function "files/list_folder": request body: path: bad`,
    );
  });

  it('with no error port connected the first failure fails the run, naming component, record and the API error', async () => {
    const { result, collected } = await runYaml(
      graph(`    url: "${server.url}/status?code=*{id}"\n    failOnStatus: [4xx]`, { records: 3, errors: false, generate: '$out[0].id = [200, 409, 200][index];' }),
    );
    expect(result.status).toBe('ERROR');
    expect(result.error).toMatchObject({ code: 'TREFOIL_ERR_HTTP_STATUS', component: 'http', componentType: 'HTTPConnector', recordNo: 2 });
    expect(result.error!.message).toBe(`http (HTTPConnector) failed at record 2: GET ${server.url}/status?code=409: status 409 Conflict: path/not_found/..`);
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200]);
  });

  it('through the CLI: exit status 1 and one clear line naming component, record and the API error', async () => {
    const file = join(scratch.dir, 'failing.yaml');
    writeFileSync(file, graph(`    url: "${server.url}/status?code=*{id}"\n    failOnStatus: [4xx]`, { records: 2, errors: false, generate: '$out[0].id = [200, 409][index];' }).replace(/type: \/[^ }]+collect-component\.ts/g, 'type: Trash'));
    const { code, stderr } = await runCli(['run', file], { cwd: scratch.dir });
    expect(code).toBe(1);
    expect(stderr).toContain(`http (HTTPConnector) failed at record 2: GET ${server.url}/status?code=409: status 409 Conflict: path/not_found/..`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('with concurrency and no error port, the first failure fails the run and cuts the other requests', async () => {
    const started = performance.now();
    const { result } = await runYaml(
      graph(`    url: "${server.url}/*{path}"\n    concurrency: 4\n    failOnStatus: 5xx`, {
        records: 4,
        errors: false,
        inFields: 'id: long, path: string',
        generate: "$out[0].id = index; $out[0].path = index === 2 ? 'unavailable' : 'hang';",
      }),
    );
    expect(result.status).toBe('ERROR');
    expect(result.error!.message).toBe(`http (HTTPConnector) failed at record 3: GET ${server.url}/unavailable: status 503 Service Unavailable: down for maintenance`);
    // The three hanging requests were cut, not waited for (the default timeout is 60 s).
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('HTTPConnector bad input (per-record failures)', () => {
  const failureOf = async (options: string, generate: string, inFields: string): Promise<Record<string, unknown>[]> => {
    const { result, collected } = await runYaml(graph(options, { records: 2, generate, inFields }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.id)).toEqual([1]);
    return collected.errors!;
  };

  it('an invalid URL after templating', async () => {
    const errors = await failureOf('    url: "*{target}"', `$out[0].id = index; $out[0].target = index === 0 ? 'not a url' : '${server.url}/ok';`, 'id: long, target: string');
    expect(errors).toEqual([
      { id: 0, errorMessage: 'GET "not a url": not a valid absolute URL', statusCode: null, url: 'not a url', content: null },
    ]);
  });

  it('a header value with a line break, and one with non-ASCII characters', async () => {
    const errors = await failureOf(
      `    url: "${server.url}/ok"\n    headers: { X-Name: "*{name}" }`,
      "$out[0].id = index; $out[0].name = index === 0 ? 'evil\\\\r\\\\nInjected: yes' : 'fine';",
      'id: long, name: string',
    );
    expect(errors[0]!.errorMessage).toBe(`GET ${server.url}/ok: the value of header "X-Name" contains a line break or control character`);
    const nonAscii = await failureOf(
      `    url: "${server.url}/ok"\n    headers: { X-Name: "*{name}" }`,
      "$out[0].id = index; $out[0].name = index === 0 ? 'Jürgen' : 'fine';",
      'id: long, name: string',
    );
    expect(nonAscii[0]!.errorMessage).toMatch(/header "X-Name" contains non-ASCII characters, which HTTP headers cannot carry; encode them, e\.g\. \*\{field:json\}/);
  });

  it('a missing body file', async () => {
    writeFileSync(join(scratch.dir, 'present-1.bin'), 'here');
    const errors = await failureOf(`    url: "${server.url}/ok"\n    method: PUT\n    bodyFile: "${scratch.dir}/present-*{id}.bin"`, '$out[0].id = index;', 'id: long');
    expect(errors[0]!.errorMessage).toBe(`PUT ${server.url}/ok: body file ${scratch.dir}/present-0.bin does not exist`);
    expect(hits.get('/ok')).toBe(1);
  });

  it('a response over maxResponseSize', async () => {
    const errors = await failureOf(`    url: "${server.url}/*{path}"\n    maxResponseSize: 1000`, "$out[0].id = index; $out[0].path = index === 0 ? 'big' : 'ok';", 'id: long, path: string');
    expect(errors[0]).toMatchObject({ id: 0, statusCode: 200 });
    expect(errors[0]!.errorMessage).toBe(`GET ${server.url}/big: response body of 5000 bytes exceeds maxResponseSize (1000 bytes)`);
  });
});

describe('HTTPConnector configuration checked before the run', () => {
  const problemsOf = async (yaml: string): Promise<string[]> => {
    const error = (await loadGraph(yaml).catch((caught: unknown) => caught)) as GraphValidationError;
    expect(error.problems).toBeDefined();
    return error.problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);
  };

  it('reports unknown template fields, conflicting bodies, bad statuses and bad field types at their YAML position', async () => {
    const problems = await problemsOf(`graph: bad
metadata:
  In: { fields: { id: long } }
  Out: { fields: { statusCode: boolean } }
components:
  input: { type: DataGenerator, records: 1, generate: "$out[0].id = 1;" }
  http:
    type: HTTPConnector
    url: "http://127.0.0.1:1/*{nope}"
    body: x
    form: { a: b }
    failOnStatus: [4xx, 6zz]
  single:
    type: HTTPConnector
    url: "http://127.0.0.1:1/*{id}"
  sink: { type: Trash }
edges:
  - { from: input, to: http, metadata: In }
  - { from: http, to: sink, metadata: Out }
`);
    expect(problems).toEqual([
      '8:5 TREFOIL_ERR_GRAPH_CONFIG http: field statusCode of metadata Out is boolean, but HTTPConnector fills it with the response: declare it as integer or long or number or string',
      '9:10 TREFOIL_ERR_GRAPH_TEMPLATE_FIELD http: template "http://127.0.0.1:1/*{nope}" refers to field nope, which metadata In does not have (fields: id)',
      '11:11 TREFOIL_ERR_GRAPH_CONFIG http: set at most one request body: body and form are both set',
      '12:25 TREFOIL_ERR_GRAPH_CONFIG http: "6zz" is not a status (404), a class (4xx), a decade (50x) or a range (400-499) of statuses 100-999',
      '15:10 TREFOIL_ERR_GRAPH_TEMPLATE_FIELD single: template "http://127.0.0.1:1/*{id}" refers to field id, but HTTPConnector has no input edge (without one it sends a single request; only *{dict.NAME} placeholders apply)',
    ]);
  });
});

describe('HTTPConnector abort', () => {
  it('an aborted run cuts the requests in flight', async () => {
    const controller = new AbortController();
    const before = { arrived: hanging.length, closed: closedHangs };
    // Abort once the three requests are at the server.
    let abortedAt = 0;
    const poll = setInterval(() => {
      if (hanging.length - before.arrived < 3) return;
      clearInterval(poll);
      abortedAt = performance.now();
      controller.abort();
    }, 5);
    const result = await runGraph(graph(`    url: "${server.url}/hang"\n    concurrency: 3`, { records: 3 }), { signal: controller.signal, log: { level: 'silent' } });
    expect(result.status).toBe('ABORTED');
    expect(performance.now() - abortedAt).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedHangs - before.closed).toBe(3);
  });
});
