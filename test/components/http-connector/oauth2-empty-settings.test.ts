/**
 * HTTPConnector oauth2 settings left empty (parameters whose default is ""): they count as not
 * set, so one graph serves a user with only an access token and one with a refresh token too
 * (graphs/dropbox: DROPBOX_TOKEN, DROPBOX_REFRESH_TOKEN, APP_KEY, APP_SECRET).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECT, runYaml } from '../../support/graph-runner.ts';
import { readBody, sendJson, startServer, type LocalServer } from '../http/local-server.ts';

let server: LocalServer;
let tokenRequests: Record<string, string>[] = [];
const valid = new Set<string>(['good-token']);
const seenAuthorizations: string[] = [];

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const body = (await readBody(request)).toString();
    if (url.pathname === '/oauth2/token') {
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenRequests.push(form);
      if (form.grant_type !== 'refresh_token' || form.refresh_token !== 'refresh-me' || form.client_id !== 'app') {
        return sendJson(response, 400, { error: 'invalid_request', error_description: 'bad token request' });
      }
      valid.add('refreshed-token');
      return sendJson(response, 200, { access_token: 'refreshed-token', token_type: 'bearer', expires_in: 14400 });
    }
    const authorization = request.headers.authorization ?? '';
    seenAuthorizations.push(authorization);
    if (!authorization.startsWith('Bearer ') || !valid.has(authorization.slice(7))) {
      return sendJson(response, 401, { error_summary: 'expired_access_token/', error: { '.tag': 'expired_access_token' } });
    }
    return sendJson(response, 200, { ok: true });
  });
});

beforeEach(() => {
  tokenRequests = [];
  seenAuthorizations.length = 0;
});

afterAll(() => server.close());

const graph = (auth: Record<string, string>) => `
graph: oauth2-empty
metadata:
  Out: { fields: { statusCode: integer, content: string } }
components:
  http:
    type: HTTPConnector
    url: "${server.url}/api"
    auth: { type: oauth2, tokenUrl: "${server.url}/oauth2/token", clientAuthentication: body, ${Object.entries(auth).map(([name, value]) => `${name}: "${value}"`).join(', ')} }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink, metadata: Out }
`;

describe('HTTPConnector oauth2 with empty settings', () => {
  it('only an access token (refresh token, client id and secret empty): sent as a bearer token', async () => {
    const { result, collected } = await runYaml(graph({ accessToken: 'good-token', refreshToken: '', clientId: '', clientSecret: '' }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.statusCode)).toEqual([200]);
    expect(seenAuthorizations).toEqual(['Bearer good-token']);
    expect(tokenRequests).toEqual([]);
  });

  it('an expired access token with nothing to refresh it: the 401 is the response, no token request', async () => {
    const { result, collected } = await runYaml(graph({ accessToken: 'old-token', refreshToken: '', clientId: '', clientSecret: '' }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.statusCode)).toEqual([401]);
    expect(tokenRequests).toEqual([]);
  });

  it('an expired access token with a refresh token and client: refreshed once, then the request succeeds', async () => {
    const { result, collected } = await runYaml(graph({ accessToken: 'old-token', refreshToken: 'refresh-me', clientId: 'app', clientSecret: 'pw' }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.statusCode)).toEqual([200]);
    expect(tokenRequests).toEqual([{ grant_type: 'refresh_token', refresh_token: 'refresh-me', client_id: 'app', client_secret: 'pw' }]);
    expect(seenAuthorizations).toEqual(['Bearer old-token', 'Bearer refreshed-token']);
  });

  it('an empty access token with a refresh token: a token is obtained first (no empty Bearer is sent)', async () => {
    const { result, collected } = await runYaml(graph({ accessToken: '', refreshToken: 'refresh-me', clientId: 'app', clientSecret: 'pw' }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.statusCode)).toEqual([200]);
    expect(tokenRequests).toHaveLength(1);
    expect(seenAuthorizations).toEqual(['Bearer refreshed-token']);
  });
});
