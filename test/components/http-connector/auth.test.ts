/**
 * HTTPConnector authentication against a real server with a token endpoint: bearer (a secret,
 * or a template read per record), basic, OAuth2 (client credentials; refresh token with exactly
 * one refresh for many concurrent requests that all got 401) — and tokens masked in messages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECT, runYaml } from '../../support/graph-runner.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
let tokenRequests: URLSearchParams[] = [];
let tokenAuthorizations: (string | undefined)[] = [];
/** Access tokens the API accepts. */
const valid = new Set<string>(['fixed-token']);
let issued = 0;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const body = (await readBody(request)).toString();
    if (url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(body);
      tokenRequests.push(form);
      tokenAuthorizations.push(request.headers.authorization);
      await sleep(50); // slow enough for concurrent requests to pile up behind one refresh
      const token = `issued-${++issued}-${'x'.repeat(20)}`;
      valid.add(token);
      return sendJson(response, 200, { access_token: token, token_type: 'bearer', expires_in: 14400 });
    }
    const authorization = request.headers.authorization ?? '';
    if (url.pathname === '/basic') {
      return sendJson(response, authorization === `Basic ${Buffer.from('ada:s3cret pass').toString('base64')}` ? 200 : 401, {});
    }
    if (url.pathname === '/leaky') {
      // An API that quotes the credential in its error.
      return sendJson(response, 403, { error_summary: `token ${authorization.slice(7)} lacks scope files.content.read` });
    }
    if (!authorization.startsWith('Bearer ') || !valid.has(authorization.slice(7))) {
      return sendJson(response, 401, { error_summary: 'expired_access_token/' });
    }
    return sendJson(response, 200, { token: authorization.slice(7), path: url.pathname + url.search });
  });
});

beforeEach(() => {
  tokenRequests = [];
  tokenAuthorizations = [];
});

afterAll(() => server.close());

const graph = (auth: string, { records = 1, concurrency = 1, path = '/api?n=*{n}', dictionary = '', extra = '' } = {}) => `
graph: auth
${dictionary}
metadata:
  In: { fields: { n: long } }
  Out: { fields: { n: long, statusCode: integer, content: string } }
components:
  numbers: { type: DataGenerator, records: ${records}, generate: "$out[0].n = index;" }
  http:
    type: HTTPConnector
    url: "${server.url}${path}"
    concurrency: ${concurrency}
    auth: ${auth}
${extra}
  sink: { type: ${COLLECT} }
edges:
  - { from: numbers, to: http, metadata: In }
  - { from: http, to: sink, metadata: Out }
`;

describe('HTTPConnector auth', () => {
  it('bearer: a fixed (secret) token on every request', async () => {
    const { result, collected } = await runYaml(graph('{ type: bearer, token: fixed-token }', { records: 2 }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200, 200]);
  });

  it('bearer: a template token read per record (from the dictionary)', async () => {
    const { result, collected } = await runYaml(
      graph('{ type: bearer, token: "*{dict.token}" }', { dictionary: 'dictionary: { token: string }' }),
      { dictionary: { token: 'fixed-token' } },
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200]);
  });

  it('basic: user and password', async () => {
    const { collected } = await runYaml(graph('{ type: basic, username: ada, password: "s3cret pass" }', { path: '/basic' }));
    expect(collected.sink!.map((r) => r.statusCode)).toEqual([200]);
  });

  it('oauth2 client credentials: one token request for many concurrent requests', async () => {
    const { result, collected } = await runYaml(
      graph(`{ type: oauth2, tokenUrl: "${server.url}/oauth2/token", clientId: app, clientSecret: "app secret", scope: files.read }`, { records: 20, concurrency: 8 }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0]!)).toEqual({ grant_type: 'client_credentials', scope: 'files.read' });
    expect(tokenAuthorizations[0]).toBe(`Basic ${Buffer.from('app:app+secret').toString('base64')}`);
  });

  it('oauth2 refresh token: an expired token rejected by 16 concurrent requests is refreshed exactly once', async () => {
    const { result, collected } = await runYaml(
      graph(
        `{ type: oauth2, tokenUrl: "${server.url}/oauth2/token", clientId: app, clientSecret: pw, clientAuthentication: body, refreshToken: refresh-1, accessToken: expired-token }`,
        { records: 16, concurrency: 16 },
      ),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0]!)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'app', client_secret: 'pw' });
    // Every request went again with the one new token.
    const tokens = new Set(collected.sink!.map((r) => (JSON.parse(r.content as string) as { token: string }).token));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^issued-\d+-x+$/);
  });

  it('masks tokens obtained at run time in the run\'s error message', async () => {
    const { result } = await runYaml(
      graph(`{ type: oauth2, tokenUrl: "${server.url}/oauth2/token", clientId: app, clientSecret: pw }`, { path: '/leaky', extra: '    failOnStatus: [4xx]' }),
    );
    expect(result.status).toBe('ERROR');
    expect(result.error!.message).toBe(`http (HTTPConnector) failed at record 1: GET ${server.url}/leaky: status 403 Forbidden: token ***** lacks scope files.content.read`);
  });

  it('masks a configured secret token in the run\'s error message', async () => {
    const { result } = await runYaml(graph('{ type: bearer, token: fixed-token }', { path: '/leaky', extra: '    failOnStatus: [4xx]' }));
    expect(result.error!.message).toContain('token ***** lacks scope');
    expect(result.error!.message).not.toContain('fixed-token');
  });
});
