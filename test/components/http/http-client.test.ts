import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpRequestError } from '../../../components/http/index.ts';
import { readBody, sendJson, startServer, type LocalServer } from './local-server.ts';

let server: LocalServer;
let other: LocalServer;
let dir: string;
const client = new HttpClient({ timeouts: { headers: 2000, body: 2000 } });

async function rejection(promise: Promise<unknown>): Promise<HttpRequestError> {
  try {
    await promise;
  } catch (error) {
    return error as HttpRequestError;
  }
  throw new Error('expected the promise to reject');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trefoil-http-'));
  other = await startServer((request, response) => {
    sendJson(response, 200, { host: 'other', authorization: request.headers.authorization ?? null });
  });
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    switch (url.pathname) {
      case '/echo': {
        const body = await readBody(request);
        sendJson(response, 200, {
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: body.toString('latin1'),
        });
        return;
      }
      case '/latin1':
        response.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' });
        response.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
        return;
      case '/bom':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('žluť')]));
        return;
      case '/encoded': {
        const text = Buffer.from('compressed '.repeat(1000));
        const coding = url.searchParams.get('coding')!;
        const body =
          coding === 'gzip'
            ? gzipSync(text)
            : coding === 'br'
              ? brotliCompressSync(text)
              : coding === 'deflate'
                ? deflateSync(text)
                : deflateRawSync(text);
        response.writeHead(200, { 'content-encoding': coding === 'raw-deflate' ? 'deflate' : coding, 'content-type': 'text/plain' });
        response.end(body);
        return;
      }
      case '/large-deflate': {
        // 32 MiB of text, compressed to a few KiB: the decoder must respect backpressure.
        const text = Buffer.alloc(32 * 1024 * 1024, 'trefoil ');
        const raw = url.searchParams.has('raw');
        response.writeHead(200, { 'content-encoding': 'deflate' });
        response.end(raw ? deflateRawSync(text) : deflateSync(text));
        return;
      }
      case '/corrupt-gzip':
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end(Buffer.from('this is not gzip at all'));
        return;
      case '/big': {
        const size = Number(url.searchParams.get('size'));
        const chunked = url.searchParams.has('chunked');
        response.writeHead(200, chunked ? {} : { 'content-length': size });
        response.end(Buffer.alloc(size, 0x61));
        return;
      }
      case '/bomb':
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
        return;
      case '/redirect': {
        const to = url.searchParams.get('to')!;
        response.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to });
        response.end();
        return;
      }
      case '/loop':
        response.writeHead(302, { location: '/loop' });
        response.end();
        return;
      case '/silent':
        return; // never answers
      case '/stall':
        response.writeHead(200, { 'content-length': 100 });
        response.write('only part of it');
        return; // never finishes
      case '/status':
        sendJson(response, Number(url.searchParams.get('code')), { error: 'nope' });
        return;
      default:
        response.writeHead(404);
        response.end('not found');
    }
  });
});

afterAll(async () => {
  await client.close();
  await server.close();
  await other.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HttpClient requests', () => {
  it('sends method, headers and a query map merged into the URL', async () => {
    const response = await client.send({
      method: 'put',
      url: `${server.url}/echo?fixed=a%20b`,
      headers: { 'X-Custom': 'yes' },
      query: { q: 'a b&c', multi: ['1', '2'] },
      body: 'hello',
    });
    const echoed = JSON.parse(response.content!);
    expect(response.statusCode).toBe(200);
    expect(echoed.method).toBe('PUT');
    expect(echoed.url).toBe('/echo?fixed=a%20b&q=a+b%26c&multi=1&multi=2');
    expect(echoed.headers['x-custom']).toBe('yes');
    expect(echoed.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(echoed.body).toBe('hello');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.url).toBe(`${server.url}/echo?fixed=a%20b&q=a+b%26c&multi=1&multi=2`);
    expect(response.durationMs).toBeGreaterThan(0);
  });

  it('sends bytes, a urlencoded form and JSON, each with its content type', async () => {
    const bytes = JSON.parse((await client.send({ method: 'POST', url: `${server.url}/echo`, body: new Uint8Array([1, 2, 255]) })).content!);
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(bytes.body, 'latin1')).toEqual(Buffer.from([1, 2, 255]));

    const form = JSON.parse(
      (await client.send({ method: 'POST', url: `${server.url}/echo`, body: { kind: 'form', fields: { a: 'x y', b: ['1', '&'] } } })).content!,
    );
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.body).toBe('a=x+y&b=1&b=%26');

    const json = JSON.parse(
      (await client.send({ method: 'POST', url: `${server.url}/echo`, headers: { 'Content-Type': 'application/vnd.x+json' }, body: { kind: 'json', value: { n: 1 } } }))
        .content!,
    );
    expect(json.headers['content-type']).toBe('application/vnd.x+json');
    expect(json.body).toBe('{"n":1}');
  });

  it('streams a body file and a multipart body with a file, with Content-Length', async () => {
    const file = join(dir, 'upload.bin');
    await writeFile(file, Buffer.from('file content\r\n--not a boundary'));
    const fromFile = JSON.parse((await client.send({ method: 'POST', url: `${server.url}/echo`, body: { kind: 'file', path: file } })).content!);
    expect(fromFile.body).toBe('file content\r\n--not a boundary');
    expect(fromFile.headers['content-length']).toBe('30');

    const multipart = JSON.parse(
      (
        await client.send({
          method: 'POST',
          url: `${server.url}/echo`,
          body: {
            kind: 'multipart',
            parts: [
              { name: 'title', value: 'Report "Q1"' },
              { name: 'upload', file, filename: 'data.bin', contentType: 'application/x-test' },
            ],
          },
        })
      ).content!,
    );
    const contentType: string = multipart.headers['content-type'];
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const boundary = contentType.slice(contentType.indexOf('=') + 1);
    expect(Number(multipart.headers['content-length'])).toBe(Buffer.byteLength(multipart.body, 'latin1'));
    expect(multipart.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nReport "Q1"\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="data.bin"\r\nContent-Type: application/x-test\r\n\r\n` +
        `file content\r\n--not a boundary\r\n--${boundary}--\r\n`,
    );
  });

  it('decodes text by the Content-Type charset and drops a UTF-8 BOM', async () => {
    expect((await client.send({ url: `${server.url}/latin1` })).content).toBe('café');
    expect((await client.send({ url: `${server.url}/bom` })).content).toBe('žluť');
    const bytes = await client.send({ url: `${server.url}/latin1` }, { kind: 'bytes' });
    expect(Buffer.from(bytes.contentBytes!)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  it.each(['gzip', 'br', 'deflate', 'raw-deflate'])('decodes a %s body', async (coding) => {
    const response = await client.send({ url: `${server.url}/encoded?coding=${coding}` });
    expect(response.content).toBe('compressed '.repeat(1000));
    expect(response.bodySize).toBe(11000);
  });

  it('reports a corrupt compressed body as a decode error', async () => {
    const error = await rejection(client.send({ url: `${server.url}/corrupt-gzip` }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_DECODE');
    expect(error.statusCode).toBe(200);
  });

  it('returns error statuses as responses, not failures', async () => {
    const response = await client.send({ url: `${server.url}/status?code=404` });
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.content!)).toEqual({ error: 'nope' });
  });
});

describe('HttpClient validation', () => {
  it('rejects an invalid URL before sending', async () => {
    const error = await rejection(client.send({ url: 'not a url' }));
    expect(error).toBeInstanceOf(HttpRequestError);
    expect(error.code).toBe('TREFOIL_ERR_HTTP_INVALID_URL');
    expect(error.message).toContain('"not a url"');
    expect((await rejection(client.send({ url: 'ftp://127.0.0.1/x' }))).code).toBe('TREFOIL_ERR_HTTP_INVALID_URL');
  });

  it('rejects a header value with a line break without echoing the value', async () => {
    const before = server.connections();
    const error = await rejection(client.send({ url: `${server.url}/echo`, headers: { 'X-Token': 'secret\r\nInjected: 1' } }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_INVALID_HEADER');
    expect(error.message).toContain('X-Token');
    expect(error.message).not.toContain('secret');
    expect((await rejection(client.send({ url: `${server.url}/echo`, headers: { 'Bad Name': 'x' } }))).code).toBe('TREFOIL_ERR_HTTP_INVALID_HEADER');
    expect(server.connections()).toBe(before);
  });

  it('rejects a missing body file or multipart file before sending', async () => {
    const missing = join(dir, 'no-such-file.bin');
    const error = await rejection(client.send({ method: 'POST', url: `${server.url}/echo`, body: { kind: 'file', path: missing } }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_BODY_FILE');
    expect(error.message).toContain(`${missing} does not exist`);
    const multipart = await rejection(
      client.send({ method: 'POST', url: `${server.url}/echo`, body: { kind: 'multipart', parts: [{ name: 'f', file: missing }] } }),
    );
    expect(multipart.code).toBe('TREFOIL_ERR_HTTP_BODY_FILE');
    expect((await rejection(client.send({ method: 'POST', url: `${server.url}/echo`, body: { kind: 'file', path: dir } }))).message).toContain(
      'not a regular file',
    );
  });
});

describe('HttpClient response size', () => {
  it('fails when the body exceeds maxResponseSize, declared or chunked', async () => {
    const declared = await rejection(client.send({ url: `${server.url}/big?size=2000` }, { kind: 'content', maxResponseSize: 1000 }));
    expect(declared.code).toBe('TREFOIL_ERR_HTTP_RESPONSE_TOO_LARGE');
    expect(declared.message).toContain('of 2000 bytes exceeds maxResponseSize (1000 bytes)');
    expect(declared.statusCode).toBe(200);
    const chunked = await rejection(client.send({ url: `${server.url}/big?size=200000&chunked` }, { kind: 'bytes', maxResponseSize: 100000 }));
    expect(chunked.code).toBe('TREFOIL_ERR_HTTP_RESPONSE_TOO_LARGE');
    const exact = await client.send({ url: `${server.url}/big?size=1000` }, { kind: 'content', maxResponseSize: 1000 });
    expect(exact.content).toHaveLength(1000);
  });

  it('bounds the decoded size, so a small gzip bomb cannot fill memory', async () => {
    const error = await rejection(client.send({ url: `${server.url}/bomb` }, { kind: 'content', maxResponseSize: 1024 * 1024 }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_RESPONSE_TOO_LARGE');
  });
});

describe('HttpClient redirects', () => {
  it('follows redirects of safe methods and reports the final URL', async () => {
    const response = await client.send({ url: `${server.url}/redirect?to=${encodeURIComponent('/echo?after=1')}` });
    expect(response.statusCode).toBe(200);
    expect(response.redirects).toBe(1);
    expect(response.url).toBe(`${server.url}/echo?after=1`);
  });

  it('does not follow a POST redirect unless configured, then follows 303 as GET', async () => {
    const target = `/redirect?status=303&to=${encodeURIComponent('/echo')}`;
    const kept = await client.send({ method: 'POST', url: `${server.url}${target}`, body: 'x' });
    expect(kept.statusCode).toBe(303);
    expect(kept.headers.location).toBe('/echo');
    const following = new HttpClient({ redirects: { unsafeMethods: true } });
    const followed = JSON.parse((await following.send({ method: 'POST', url: `${server.url}${target}`, body: 'x' })).content!);
    expect(followed.method).toBe('GET');
    expect(followed.body).toBe('');
    const repeated = JSON.parse(
      (await following.send({ method: 'POST', url: `${server.url}/redirect?status=307&to=${encodeURIComponent('/echo')}`, body: 'again' })).content!,
    );
    expect(repeated).toMatchObject({ method: 'POST', body: 'again' });
    await following.close();
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const authed = new HttpClient({ auth: { kind: 'bearer', token: 'tok' } });
    const response = await authed.send({ url: `${server.url}/redirect?to=${encodeURIComponent(`${other.url}/`)}` });
    expect(JSON.parse(response.content!)).toEqual({ host: 'other', authorization: null });
    await authed.close();
  });

  it('stops a redirect loop', async () => {
    const error = await rejection(client.send({ url: `${server.url}/loop` }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_TOO_MANY_REDIRECTS');
  });

  it('returns the redirect itself when following is off', async () => {
    const manual = new HttpClient({ redirects: { follow: false } });
    expect((await manual.send({ url: `${server.url}/loop` })).statusCode).toBe(302);
    await manual.close();
  });
});

describe('HttpClient timeouts and cancellation', () => {
  it('times out a server that never answers', async () => {
    const impatient = new HttpClient({ timeouts: { headers: 150 } });
    const started = Date.now();
    const error = await rejection(impatient.send({ url: `${server.url}/silent` }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_TIMEOUT');
    expect(error.message).toContain('waiting for the response headers');
    expect(Date.now() - started).toBeLessThan(2000);
    await impatient.destroy();
  });

  it('times out a body that stalls, and a total timeout', async () => {
    const impatient = new HttpClient({ timeouts: { body: 150 } });
    expect((await rejection(impatient.send({ url: `${server.url}/stall` }))).code).toBe('TREFOIL_ERR_HTTP_TIMEOUT');
    await impatient.destroy();
    const total = new HttpClient({ timeouts: { total: 150 } });
    const error = await rejection(total.send({ url: `${server.url}/silent` }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_TIMEOUT');
    expect(error.message).toContain('total timeout of 150 ms');
    await total.destroy();
  });

  it('rejects with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.send({ url: `${server.url}/silent` }, undefined, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const error = await rejection(client.send({ url }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_NETWORK');
    expect(error.networkCode).toBe('ECONNREFUSED');
  });
});

describe('HttpClient response files', () => {
  it('writes the body to a file atomically, creating directories with makeDirs', async () => {
    const path = join(dir, 'deep', 'er', 'out.txt');
    const response = await client.send({ url: `${server.url}/encoded?coding=gzip` }, { kind: 'file', path, makeDirs: true });
    expect(response.file).toBe(path);
    expect(response.content).toBeUndefined();
    expect(await readFile(path, 'utf8')).toBe('compressed '.repeat(1000));
    expect(await readdir(join(dir, 'deep', 'er'))).toEqual(['out.txt']);
  });

  it.each(['', '&raw'])('decodes a large deflate%s body into a file', async (raw) => {
    const path = join(dir, `large${raw}.txt`);
    const response = await client.send({ url: `${server.url}/large-deflate?x${raw}` }, { kind: 'file', path });
    expect(response.bodySize).toBe(32 * 1024 * 1024);
    const written = await readFile(path);
    expect(written.length).toBe(32 * 1024 * 1024);
    expect(written.subarray(written.length - 8).toString()).toBe('trefoil ');
    await rm(path);
  });

  it('fails clearly without makeDirs when the directory is missing', async () => {
    const error = await rejection(client.send({ url: `${server.url}/echo` }, { kind: 'file', path: join(dir, 'missing', 'x.json') }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_RESPONSE_FILE');
    expect(error.message).toContain('set makeDirs');
  });

  it('leaves no partial file and keeps an existing one when the transfer fails', async () => {
    const path = join(dir, 'keep.txt');
    await writeFile(path, 'original');
    const impatient = new HttpClient({ timeouts: { body: 150 } });
    const error = await rejection(impatient.send({ url: `${server.url}/stall` }, { kind: 'file', path }));
    expect(error.code).toBe('TREFOIL_ERR_HTTP_TIMEOUT');
    expect(await readFile(path, 'utf8')).toBe('original');
    expect((await readdir(dir)).filter((name) => name.includes('keep'))).toEqual(['keep.txt']);
    await impatient.destroy();
  });

  it('puts an error status body in content and leaves the file alone', async () => {
    const path = join(dir, 'not-written.json');
    const response = await client.send({ url: `${server.url}/status?code=409` }, { kind: 'file', path });
    expect(response.statusCode).toBe(409);
    expect(response.file).toBeUndefined();
    expect(JSON.parse(response.content!)).toEqual({ error: 'nope' });
    await expect(stat(path)).rejects.toThrow();
  });
});
