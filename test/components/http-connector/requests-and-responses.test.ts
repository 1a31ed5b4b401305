/**
 * HTTPConnector requests and responses through real YAML graphs against a real HTTP server on
 * 127.0.0.1: templates (`*{field}`, `:url`, `:json`, `*{dict.NAME}`) in the URL, headers and
 * query; every body kind; every response target; the response fields of the output record.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
const scratch = temporaryDirectory('trefoil-http-connector-');

/** What the echo server saw of one request. */
interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  bodySha1: string;
  bodyLength: number;
}

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const path = request.url!;
    if (path.startsWith('/redirect')) {
      response.writeHead(302, { location: '/echo/after-redirect' });
      response.end();
      return;
    }
    if (path.startsWith('/file/')) {
      const name = decodeURIComponent(path.slice('/file/'.length));
      if (name === 'missing') return sendJson(response, 404, { error: 'not_found', error_description: 'no such file' });
      const body = `content of ${name}\n`.repeat(1000);
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return;
    }
    if (path.startsWith('/latin1')) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
      response.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
      return;
    }
    const body = await readBody(request);
    const echo: Echo = {
      method: request.method!,
      url: path,
      headers: request.headers as Record<string, string>,
      body: body.toString('utf8'),
      bodySha1: createHash('sha1').update(body).digest('hex'),
      bodyLength: body.length,
    };
    sendJson(response, 200, echo, { 'x-served-by': 'echo' });
  });
});

afterAll(async () => {
  await server.close();
  scratch.cleanup();
});

const echoOf = (record: Record<string, unknown>): Echo => JSON.parse(record.content as string) as Echo;

describe('HTTPConnector requests', () => {
  it('sends one request per input record with templated URL, headers and query, and fills the output by name', async () => {
    const { result, collected } = await runYaml(`
graph: templated
dictionary:
  tenant: string
metadata:
  Person: { fields: { id: long, name: string } }
  Answer:
    fields:
      id: long
      name: string
      statusCode: integer
      headers: { type: string, container: map }
      content: string
      url: string
      durationMs: long
components:
  people:
    type: DataGenerator
    records: 3
    generate: |
      $out[0].id = index + 1;
      $out[0].name = ['Ada Lovelace', 'Jürgen/Ö', 'a&b=c'][index];
  http:
    type: HTTPConnector
    url: "${server.url}/echo/*{name:url}?id=*{id}"
    headers:
      X-Person: '{"name": *{name:json}}'
      X-Tenant: "*{dict.tenant}"
    query: { q: "*{name}", fixed: "1 2" }
  sink: { type: ${COLLECT} }
edges:
  - { from: people, to: http, metadata: Person }
  - { from: http, to: sink, metadata: Answer }
`, { dictionary: { tenant: 'acme' } });
    expect(result.error?.message).toBeUndefined();
    const records = collected.sink!;
    expect(records.map((r) => [r.id, r.name, r.statusCode])).toEqual([
      [1, 'Ada Lovelace', 200],
      [2, 'Jürgen/Ö', 200],
      [3, 'a&b=c', 200],
    ]);
    const echoes = records.map(echoOf);
    expect(echoes.map((e) => e.url)).toEqual([
      '/echo/Ada%20Lovelace?id=1&q=Ada+Lovelace&fixed=1+2',
      '/echo/J%C3%BCrgen%2F%C3%96?id=2&q=J%C3%BCrgen%2F%C3%96&fixed=1+2',
      '/echo/a%26b%3Dc?id=3&q=a%26b%3Dc&fixed=1+2',
    ]);
    // :json escapes non-ASCII as \\uXXXX, so the header is plain ASCII and parses back.
    expect(echoes[1]!.headers['x-person']).toBe('{"name": "J\\u00fcrgen/\\u00d6"}');
    expect(JSON.parse(echoes[1]!.headers['x-person']!)).toEqual({ name: 'Jürgen/Ö' });
    expect(echoes.every((e) => e.headers['x-tenant'] === 'acme' && e.method === 'GET')).toBe(true);
    expect(records[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-served-by': 'echo' });
    expect(records[0]!.url).toBe(`${server.url}/echo/Ada%20Lovelace?id=1&q=Ada+Lovelace&fixed=1+2`);
    expect(typeof records[0]!.durationMs).toBe('number');
  });

  it('sends exactly one request when there is no input edge, and reports the URL after redirects', async () => {
    const { result, collected } = await runYaml(`
graph: single
components:
  http: { type: HTTPConnector, url: "${server.url}/redirect" }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink }
`);
    expect(result.status).toBe('FINISHED_OK');
    // The declared default metadata: statusCode, headers, content, url, durationMs.
    expect(collected.sink).toHaveLength(1);
    expect(Object.keys(collected.sink![0]!)).toEqual(['statusCode', 'headers', 'content', 'url', 'durationMs']);
    expect(collected.sink![0]!.url).toBe(`${server.url}/echo/after-redirect`);
    expect(echoOf(collected.sink![0]!).url).toBe('/echo/after-redirect');
  });
});

describe('HTTPConnector request bodies', () => {
  const bodyGraph = (component: string, inputFields = 'id: long, text: string', generate = "$out[0].id = index; $out[0].text = 'héllo ' + index;") => `
graph: bodies
metadata:
  In: { fields: { ${inputFields} } }
  Out: { fields: { id: long, statusCode: integer, content: string } }
components:
  input:
    type: DataGenerator
    records: 2
    generate: "${generate}"
  http:
    type: HTTPConnector
    method: POST
    url: "${server.url}/echo"
${component}
  sink: { type: ${COLLECT} }
edges:
  - { from: input, to: http, metadata: In }
  - { from: http, to: sink, metadata: Out }
`;

  it('body: a template, sent as UTF-8 text with the given Content-Type', async () => {
    const { result, collected } = await runYaml(
      bodyGraph(`    headers: { Content-Type: application/json }\n    body: '{"id": *{id}, "text": *{text:json}}'`),
    );
    expect(result.error?.message).toBeUndefined();
    const echoes = collected.sink!.map(echoOf);
    expect(echoes.map((e) => JSON.parse(e.body))).toEqual([
      { id: 0, text: 'héllo 0' },
      { id: 1, text: 'héllo 1' },
    ]);
    expect(echoes[0]!.headers['content-type']).toBe('application/json');
    expect(echoes[0]!.method).toBe('POST');
  });

  it('bodyField: a string field as text, a bytes field as octets', async () => {
    const text = await runYaml(bodyGraph('    bodyField: text'));
    expect(text.collected.sink!.map((r) => echoOf(r).body)).toEqual(['héllo 0', 'héllo 1']);
    expect(echoOf(text.collected.sink![0]!).headers['content-type']).toBe('text/plain; charset=utf-8');

    const bytes = await runYaml(
      bodyGraph('    bodyField: data', 'id: long, data: bytes', '$out[0].id = index; $out[0].data = new Uint8Array([0, 255, index, 10]);'),
    );
    expect(bytes.result.error?.message).toBeUndefined();
    const echo = echoOf(bytes.collected.sink![1]!);
    expect(echo.bodySha1).toBe(createHash('sha1').update(Buffer.from([0, 255, 1, 10])).digest('hex'));
    expect(echo.headers['content-type']).toBe('application/octet-stream');
    expect(echo.headers['content-length']).toBe('4');
  });

  it('bodyFile: a file per record, streamed with its length', async () => {
    for (const i of [0, 1]) writeFileSync(join(scratch.dir, `upload-${i}.bin`), Buffer.alloc(100_000 + i, i + 1));
    const { result, collected } = await runYaml(bodyGraph(`    bodyFile: "${scratch.dir}/upload-*{id}.bin"`));
    expect(result.error?.message).toBeUndefined();
    const echoes = collected.sink!.map(echoOf);
    expect(echoes.map((e) => e.bodyLength)).toEqual([100_000, 100_001]);
    expect(echoes[1]!.bodySha1).toBe(createHash('sha1').update(Buffer.alloc(100_001, 2)).digest('hex'));
    expect(echoes[1]!.headers['content-length']).toBe('100001');
  });

  it('bodyFile: relative paths resolve against the project directory', async () => {
    writeFileSync(join(scratch.dir, 'relative.txt'), 'from the project dir');
    const { result, collected } = await runYaml(bodyGraph('    bodyFile: relative.txt'), { projectDir: scratch.dir });
    expect(result.error?.message).toBeUndefined();
    expect(echoOf(collected.sink![0]!).body).toBe('from the project dir');
  });

  it('form: an urlencoded body from templates', async () => {
    const { collected } = await runYaml(bodyGraph('    form: { grant_type: authorization_code, code: "c-*{id}", note: "*{text}" }'));
    const echo = echoOf(collected.sink![1]!);
    expect(echo.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(echo.body))).toEqual({ grant_type: 'authorization_code', code: 'c-1', note: 'héllo 1' });
  });

  it('multipart: text fields and streamed files', async () => {
    writeFileSync(join(scratch.dir, 'part-0.csv'), 'a,b\n1,2\n');
    writeFileSync(join(scratch.dir, 'part-1.csv'), 'a,b\n3,4\n');
    const { result, collected } = await runYaml(
      bodyGraph(
        [
          '    multipart:',
          '      fields: { title: "*{text}" }',
          `      files: { upload: { file: "${scratch.dir}/part-*{id}.csv", filename: "report-*{id}.csv", contentType: text/csv } }`,
        ].join('\n'),
      ),
    );
    expect(result.error?.message).toBeUndefined();
    const echo = echoOf(collected.sink![1]!);
    expect(echo.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(echo.body).toContain('Content-Disposition: form-data; name="title"\r\n\r\nhéllo 1\r\n');
    expect(echo.body).toContain('Content-Disposition: form-data; name="upload"; filename="report-1.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n3,4\n\r\n');
    expect(Number(echo.headers['content-length'])).toBe(echo.bodyLength);
  });
});

describe('HTTPConnector response targets', () => {
  it('content is decoded by the response charset', async () => {
    const { collected } = await runYaml(`
graph: charset
components:
  http: { type: HTTPConnector, url: "${server.url}/latin1" }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink }
`);
    expect(collected.sink![0]!.content).toBe('café');
  });

  it('contentBytes (and content alongside) when the output has a bytes field', async () => {
    const { result, collected } = await runYaml(`
graph: bytes
metadata:
  Out: { fields: { statusCode: integer, contentBytes: bytes, content: string } }
components:
  http: { type: HTTPConnector, url: "${server.url}/latin1" }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink, metadata: Out }
`);
    expect(result.error?.message).toBeUndefined();
    expect(Buffer.from(collected.sink![0]!.contentBytes as Uint8Array)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(collected.sink![0]!.content).toBe('café');
  });

  it('responseFile: each 2xx body streamed to its file atomically, directories made; a 404 leaves no file', async () => {
    const out = join(scratch.dir, 'downloads');
    const { result, collected } = await runYaml(`
graph: download
metadata:
  Want: { fields: { name: string } }
  Got: { fields: { name: string, statusCode: integer, file: string, content: string } }
components:
  names:
    type: DataGenerator
    records: 3
    generate: "$out[0].name = ['a.txt', 'missing', 'b.txt'][index];"
  http:
    type: HTTPConnector
    url: "${server.url}/file/*{name:url}"
    responseFile: "${out}/sub/*{name}"
    makeDirs: true
  sink: { type: ${COLLECT} }
edges:
  - { from: names, to: http, metadata: Want }
  - { from: http, to: sink, metadata: Got }
`);
    expect(result.error?.message).toBeUndefined();
    const records = collected.sink!;
    expect(records.map((r) => [r.name, r.statusCode, r.file])).toEqual([
      ['a.txt', 200, join(out, 'sub', 'a.txt')],
      ['missing', 404, null],
      ['b.txt', 200, join(out, 'sub', 'b.txt')],
    ]);
    // The 404's body is the content (the API's error); no file, no temporary file left behind.
    expect(JSON.parse(records[1]!.content as string)).toEqual({ error: 'not_found', error_description: 'no such file' });
    expect(records[0]!.content).toBeNull();
    expect(readFileSync(join(out, 'sub', 'a.txt'), 'utf8')).toBe('content of a.txt\n'.repeat(1000));
    expect(readdirSync(join(out, 'sub')).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('responseFile without makeDirs fails clearly for a missing directory and leaves nothing', async () => {
    const target = join(scratch.dir, 'no-such-dir', 'x.txt');
    const { result } = await runYaml(`
graph: no-dirs
components:
  http: { type: HTTPConnector, url: "${server.url}/file/x", responseFile: "${target}" }
`);
    expect(result.status).toBe('ERROR');
    expect(result.error!.message).toMatch(/^http \(HTTPConnector\) failed: GET .*\/file\/x: cannot write response file .*x\.txt: ENOENT \(the directory does not exist; set makeDirs: true\)$/);
    expect(existsSync(join(scratch.dir, 'no-such-dir'))).toBe(false);
  });

  it('reads and drops the body when the output has neither content nor contentBytes', async () => {
    const { result, collected } = await runYaml(`
graph: status-only
metadata:
  Out: { fields: { statusCode: integer } }
components:
  http: { type: HTTPConnector, url: "${server.url}/file/big" }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink, metadata: Out }
`);
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink).toEqual([{ statusCode: 200 }]);
    expect(result.tracking.components.find((c) => c.id === 'http')!.outputs[0]!.bytes).toBe(Buffer.byteLength('content of big\n') * 1000);
  });
});
