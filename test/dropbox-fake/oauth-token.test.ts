import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { oauthToken, rpc } from './dropbox-calls.ts';

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake({
    appKey: 'key123',
    appSecret: 'secret456',
    authorizationCodes: { 'code-offline': {}, 'code-online': { offline: false }, 'code-redirect': { redirectUri: 'http://localhost/cb' } },
  });
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

const basic = (key: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` });

describe('oauth2/token', () => {
  it('exchanges a code (Basic client auth) for a working token with refresh_token, uid and account_id', async () => {
    const response = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'code-offline' }, basic('key123', 'secret456'));
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 14400, uid: '12345', account_id: expect.stringMatching(/^dbid:/) });
    expect(body.access_token).toMatch(/^sl\./);
    expect(body.refresh_token).toEqual(expect.any(String));
    expect((await rpc(dropbox, 'files/list_folder', { path: '' }, { token: body.access_token })).status).toBe(200);
  });

  it('accepts form client credentials and omits refresh_token for online codes', async () => {
    const response = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'code-online', client_id: 'key123', client_secret: 'secret456' });
    expect(response.status).toBe(200);
    expect(response.json()).not.toHaveProperty('refresh_token');
  });

  it('answers invalid_grant for unknown or reused codes and a redirect_uri mismatch', async () => {
    const form = { grant_type: 'authorization_code', client_id: 'key123', client_secret: 'secret456' };
    const unknown = await oauthToken(dropbox, { ...form, code: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect((await oauthToken(dropbox, { ...form, code: 'code-offline' })).status).toBe(200);
    expect((await oauthToken(dropbox, { ...form, code: 'code-offline' })).json().error).toBe('invalid_grant');
    expect((await oauthToken(dropbox, { ...form, code: 'code-redirect' })).json().error).toBe('invalid_grant');
    expect((await oauthToken(dropbox, { ...form, code: 'code-redirect', redirect_uri: 'http://localhost/cb' })).status).toBe(200);
  });

  it('rejects a wrong client and unsupported grant types with 400 JSON', async () => {
    const wrongSecret = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'code-offline' }, basic('key123', 'wrong'));
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.json().error).toBe('invalid_client');
    const noClient = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'code-offline' });
    expect(noClient.json().error).toBe('invalid_request');
    const password = await oauthToken(dropbox, { grant_type: 'password' }, basic('key123', 'secret456'));
    expect(password.json().error).toBe('unsupported_grant_type');
  });

  it('refreshes an expired access token, and the old one stays expired', async () => {
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(200);
    dropbox.expireAccessTokens();
    const expired = await rpc(dropbox, 'files/list_folder', { path: '' });
    expect(expired.status).toBe(401);
    expect(expired.json().error['.tag']).toBe('expired_access_token');

    const refreshed = await oauthToken(dropbox, { grant_type: 'refresh_token', refresh_token: dropbox.refreshToken, client_id: 'key123', client_secret: 'secret456' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json()).toEqual({ access_token: expect.stringMatching(/^sl\./), token_type: 'bearer', expires_in: 14400 });
    expect((await rpc(dropbox, 'files/list_folder', { path: '' }, { token: refreshed.json().access_token })).status).toBe(200);
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(401);

    const bogus = await oauthToken(dropbox, { grant_type: 'refresh_token', refresh_token: 'bogus' }, basic('key123', 'secret456'));
    expect(bogus.json().error).toBe('invalid_grant');
  });

  it('supports PKCE: code_verifier instead of the secret, for the exchange and the refresh', async () => {
    const verifier = 'a'.repeat(50);
    dropbox.addAuthorizationCode('pkce-code', { codeChallenge: createHash('sha256').update(verifier).digest('base64url') });
    const wrong = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'pkce-code', client_id: 'key123', code_verifier: 'b'.repeat(50) });
    expect(wrong.json().error).toBe('invalid_grant');
    const exchanged = await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'pkce-code', client_id: 'key123', code_verifier: verifier });
    expect(exchanged.status).toBe(200);
    const refreshed = await oauthToken(dropbox, { grant_type: 'refresh_token', refresh_token: exchanged.json().refresh_token, client_id: 'key123' });
    expect(refreshed.status).toBe(200);
  });

  it('auth/token/revoke disables the token and its refresh token', async () => {
    const revoked = await rpc(dropbox, 'auth/token/revoke', 'null');
    expect(revoked.status).toBe(200);
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).json().error['.tag']).toBe('invalid_access_token');
    const refresh = await oauthToken(dropbox, { grant_type: 'refresh_token', refresh_token: dropbox.refreshToken }, basic('key123', 'secret456'));
    expect(refresh.json().error).toBe('invalid_grant');
  });

  it('logs the form with secrets masked', async () => {
    await oauthToken(dropbox, { grant_type: 'authorization_code', code: 'code-offline', client_id: 'key123', client_secret: 'secret456' });
    const [record] = dropbox.requestsTo('oauth2/token');
    expect(record!.arg).toEqual({ grant_type: 'authorization_code', code: '*****', client_id: 'key123', client_secret: '*****' });
  });
});
