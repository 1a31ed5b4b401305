import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpRequestError } from '../../../components/http/index.ts';
import { sendJson, startHttpsServer, type LocalServer } from './local-server.ts';

let dir: string;
let certFile: string;
let server: LocalServer;

/** A fresh self-signed pair from openssl, else the committed test-only pair. */
function makeCertificate(into: string): { keyFile: string; certFile: string } {
  const keyFile = join(into, 'key.pem');
  const certFile = join(into, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    return { keyFile, certFile };
  } catch {
    const fixtures = join(import.meta.dirname, 'fixtures');
    return { keyFile: join(fixtures, 'test-only-key.pem'), certFile: join(fixtures, 'test-only-cert.pem') };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trefoil-tls-'));
  const pair = makeCertificate(dir);
  certFile = pair.certFile;
  server = await startHttpsServer((request, response) => sendJson(response, 200, { secure: true, path: request.url }), {
    key: await readFile(pair.keyFile, 'utf8'),
    cert: await readFile(certFile, 'utf8'),
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HttpClient TLS', () => {
  it('trusts a self-signed server through its CA file', async () => {
    const client = new HttpClient({ tls: { caFile: certFile } });
    const response = await client.send({ url: `${server.url}/hello` });
    expect(JSON.parse(response.content!)).toEqual({ secure: true, path: '/hello' });
    await client.close();
  });

  it('refuses an untrusted certificate with a TLS error', async () => {
    const client = new HttpClient();
    const error = await client.send({ url: `${server.url}/` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).code).toBe('TREFOIL_ERR_HTTP_TLS');
    expect((error as HttpRequestError).networkCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    await client.close();
  });

  it('accepts any certificate only with the explicit insecure switch', async () => {
    const client = new HttpClient({ tls: { insecure: true } });
    expect((await client.send({ url: `${server.url}/` })).statusCode).toBe(200);
    await client.close();
  });

  it('reports an unreadable CA file when the client is built', () => {
    expect(() => new HttpClient({ tls: { caFile: join(dir, 'missing.pem') } })).toThrow(/tls.caFile .*missing.pem cannot be read \(ENOENT\)/);
  });
});
