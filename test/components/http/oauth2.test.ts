import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpRequestError } from '../../../components/http/index.ts';
import { oauth2SourceOf } from '../../../components/http/request-auth.ts';
import { readBody, sendJson, startServer, type LocalServer } from './local-server.ts';

interface TokenServer {
  readonly server: LocalServer;
  /** Parsed form of every token request, and its Authorization header. */
  readonly tokenRequests: { form: URLSearchParams; authorization: string | undefined }[];
  /** Authorization headers the API saw, with the status it answered. */
  readonly apiCalls: { authorization: string | undefined; status: number }[];
  /** Tokens the API accepts. */
  readonly valid: Set<string>;
}

let running: LocalServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/**
 * A token endpoint (`/token`, slow on purpose so concurrent callers overlap) and an API (`/api`)
 * on one server. Issued tokens are `tok-1`, `tok-2`, …; `expiresIn` seconds each.
 */
async function startTokenServer(options: { expiresIn?: number; tokenStatus?: number; rotate?: boolean; rejectAll?: boolean } = {}): Promise<TokenServer> {
  const tokenRequests: TokenServer['tokenRequests'] = [];
  const apiCalls: TokenServer['apiCalls'] = [];
  const valid = new Set<string>();
  const server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    if (url.pathname === '/token') {
      const form = new URLSearchParams((await readBody(request)).toString());
      tokenRequests.push({ form, authorization: request.headers.authorization });
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (options.tokenStatus !== undefined) {
        sendJson(response, options.tokenStatus, { error: 'invalid_grant', error_description: 'refresh token revoked' });
        return;
      }
      const token = `tok-${tokenRequests.length}`;
      valid.clear();
      valid.add(token);
      sendJson(response, 200, {
        access_token: token,
        token_type: 'bearer',
        ...(options.expiresIn !== undefined ? { expires_in: options.expiresIn } : {}),
        ...(options.rotate ? { refresh_token: `refresh-${tokenRequests.length + 1}` } : {}),
      });
      return;
    }
    const authorization = request.headers.authorization;
    const ok = options.rejectAll !== true && authorization !== undefined && valid.has(authorization.replace(/^Bearer /, ''));
    apiCalls.push({ authorization, status: ok ? 200 : 401 });
    sendJson(response, ok ? 200 : 401, ok ? { hello: 'world' } : { error_summary: 'expired_access_token/' });
  });
  running = server;
  return { server, tokenRequests, apiCalls, valid };
}

describe('OAuth2', () => {
  it('fetches exactly one token for many concurrent requests (client credentials, Basic client auth)', async () => {
    const fake = await startTokenServer({ expiresIn: 3600 });
    const client = new HttpClient({
      auth: { kind: 'oauth2', tokenUrl: `${fake.server.url}/token`, clientId: 'app id', clientSecret: 's3cr3t', scope: 'files.read' },
    });
    const responses = await Promise.all(Array.from({ length: 25 }, () => client.send({ url: `${fake.server.url}/api` })));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(25).fill(200));
    expect(fake.tokenRequests).toHaveLength(1);
    const [tokenRequest] = fake.tokenRequests;
    expect(Object.fromEntries(tokenRequest!.form)).toEqual({ grant_type: 'client_credentials', scope: 'files.read' });
    expect(tokenRequest!.authorization).toBe(`Basic ${Buffer.from('app+id:s3cr3t').toString('base64')}`);
    expect(new Set(fake.apiCalls.map((call) => call.authorization))).toEqual(new Set(['Bearer tok-1']));
    await client.close();
  });

  it('refreshes exactly once when concurrent requests all get 401, then retries each once', async () => {
    const fake = await startTokenServer();
    const client = new HttpClient({
      auth: {
        kind: 'oauth2',
        tokenUrl: `${fake.server.url}/token`,
        grant: 'refresh_token',
        refreshToken: 'refresh-1',
        clientId: 'app',
        clientSecret: 'secret',
        clientAuthentication: 'body',
        accessToken: 'stale-token',
      },
    });
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.send({ url: `${fake.server.url}/api` })));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
    expect(responses.every((response) => response.attempts === 2)).toBe(true);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(fake.tokenRequests[0]!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'app',
      client_secret: 'secret',
    });
    expect(fake.apiCalls.filter((call) => call.status === 401)).toHaveLength(20);
    expect(oauth2SourceOf(client.authorizer!)!.refreshCount).toBe(1);
    await client.close();
  });

  it('refreshes proactively before the token expires', async () => {
    const fake = await startTokenServer({ expiresIn: 1 });
    const client = new HttpClient({ auth: { kind: 'oauth2', tokenUrl: `${fake.server.url}/token`, clientId: 'app', clientSecret: 'secret' } });
    expect((await client.send({ url: `${fake.server.url}/api` })).statusCode).toBe(200);
    expect((await client.send({ url: `${fake.server.url}/api` })).statusCode).toBe(200);
    expect(fake.tokenRequests).toHaveLength(1);
    // A one-second token is refreshed in its second half, before the server would reject it.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await client.send({ url: `${fake.server.url}/api` });
    expect(later.statusCode).toBe(200);
    expect(later.attempts).toBe(1);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.apiCalls.every((call) => call.status === 200)).toBe(true);
    await client.close();
  });

  it('uses a rotated refresh token and reports every secret, never in messages', async () => {
    const fake = await startTokenServer({ rotate: true });
    const secrets: string[] = [];
    const client = new HttpClient({
      auth: { kind: 'oauth2', tokenUrl: `${fake.server.url}/token`, refreshToken: 'refresh-1', clientId: 'app', clientSecret: 'cs' },
      onSecret: (secret) => secrets.push(secret),
    });
    expect(secrets).toEqual(['cs', 'refresh-1']);
    await client.send({ url: `${fake.server.url}/api` });
    fake.valid.clear(); // the server revokes the token: next call gets 401 and refreshes
    await client.send({ url: `${fake.server.url}/api` });
    expect(fake.tokenRequests.map((request) => request.form.get('refresh_token'))).toEqual(['refresh-1', 'refresh-2']);
    expect(secrets).toEqual(['cs', 'refresh-1', 'tok-1', 'refresh-2', 'tok-2', 'refresh-3']);
    expect(client.secrets()).toEqual(['cs', 'refresh-3', 'tok-2']);
    await client.close();
  });

  it('returns a second 401 instead of looping', async () => {
    const fake = await startTokenServer({ rejectAll: true });
    const client = new HttpClient({ auth: { kind: 'oauth2', tokenUrl: `${fake.server.url}/token`, clientId: 'a', clientSecret: 'b' } });
    const response = await client.send({ url: `${fake.server.url}/api` });
    expect(response.statusCode).toBe(401);
    expect(response.attempts).toBe(2);
    expect(fake.tokenRequests).toHaveLength(2);
    await client.close();
  });

  it('fails with the endpoint error code and without the refresh token in the message', async () => {
    const fake = await startTokenServer({ tokenStatus: 400 });
    const client = new HttpClient({
      auth: { kind: 'oauth2', tokenUrl: `${fake.server.url}/token`, refreshToken: 'very-secret-refresh', clientId: 'a', clientSecret: 'b' },
    });
    const error = await client.send({ url: `${fake.server.url}/api` }).catch((caught: unknown) => caught as HttpRequestError);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).code).toBe('TREFOIL_ERR_HTTP_AUTH');
    expect((error as HttpRequestError).message).toContain('status 400 (invalid_grant: refresh token revoked)');
    expect((error as HttpRequestError).message).not.toContain('very-secret-refresh');
    expect(fake.apiCalls).toHaveLength(0);
    await client.close();
  });

  it('sets bearer and basic headers', async () => {
    const echo = await startServer((request, response) => sendJson(response, 200, { authorization: request.headers.authorization }));
    running = echo;
    const bearer = new HttpClient({ auth: { kind: 'bearer', token: 'abc' } });
    expect(JSON.parse((await bearer.send({ url: echo.url, headers: { Authorization: 'ignored' } })).content!)).toEqual({ authorization: 'Bearer abc' });
    const basic = new HttpClient({ auth: { kind: 'basic', username: 'user', password: 'pa:ss' } });
    expect(JSON.parse((await basic.send({ url: echo.url })).content!)).toEqual({
      authorization: `Basic ${Buffer.from('user:pa:ss').toString('base64')}`,
    });
    expect(basic.secrets()).toContain('pa:ss');
    await bearer.close();
    await basic.close();
  });
});
