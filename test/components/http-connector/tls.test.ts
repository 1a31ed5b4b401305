/**
 * HTTPConnector over HTTPS to a self-signed server: trusted through `tls.caFile`, refused
 * without it (a clear TLS failure), accepted by `tls.insecure`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { sendJson, startHttpsServer, type LocalServer } from '../http/local-server.ts';

const scratch = temporaryDirectory('trefoil-http-tls-');
let server: LocalServer;
let certFile: string;

/** A fresh self-signed pair from openssl, else the library tests' committed test-only pair. */
function makeCertificate(): { keyFile: string; certFile: string } {
  const keyFile = join(scratch.dir, 'key.pem');
  const cert = join(scratch.dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', cert, '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    return { keyFile, certFile: cert };
  } catch {
    const fixtures = join(import.meta.dirname, '../http/fixtures');
    return { keyFile: join(fixtures, 'test-only-key.pem'), certFile: join(fixtures, 'test-only-cert.pem') };
  }
}

beforeAll(async () => {
  const pair = makeCertificate();
  certFile = pair.certFile;
  server = await startHttpsServer((request, response) => sendJson(response, 200, { secure: true, path: request.url }), {
    key: readFileSync(pair.keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
  });
});

afterAll(async () => {
  await server.close();
  scratch.cleanup();
});

const graph = (tls: string) => `
graph: tls
components:
  http:
    type: HTTPConnector
    url: "${server.url}/hello"
${tls}
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink }
`;

describe('HTTPConnector TLS', () => {
  it('trusts a self-signed server through its CA file', async () => {
    const { result, collected } = await runYaml(graph(`    tls: { caFile: "${certFile}" }`));
    expect(result.error?.message).toBeUndefined();
    expect(JSON.parse(collected.sink![0]!.content as string)).toEqual({ secure: true, path: '/hello' });
  });

  it('refuses the self-signed certificate without it, with a TLS error', async () => {
    const { result } = await runYaml(graph(''));
    expect(result.status).toBe('ERROR');
    expect(result.error!.code).toBe('TREFOIL_ERR_HTTP_TLS');
    expect(result.error!.message).toMatch(/^http \(HTTPConnector\) failed: GET https:\/\/127\.0\.0\.1:\d+\/hello: TLS failed: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
  });

  it('accepts any certificate with insecure: true', async () => {
    const { collected } = await runYaml(graph('    tls: { insecure: true }'));
    expect(collected.sink![0]!.statusCode).toBe(200);
  });

  it('fails the run before any request for an unreadable CA file', async () => {
    const { result } = await runYaml(graph(`    tls: { caFile: "${join(scratch.dir, 'missing.pem')}" }`));
    expect(result.status).toBe('ERROR');
    expect(result.error!.message).toMatch(/^http \(HTTPConnector\) failed: tls\.caFile .*missing\.pem cannot be read \(ENOENT\)$/);
  });
});
