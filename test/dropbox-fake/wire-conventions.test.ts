import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { download, rpc, upload } from './dropbox-calls.ts';

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake({ seed: { '/docs/readme.txt': 'hi' } });
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

describe('dropbox fake wire conventions', () => {
  it('serves both hosts on 127.0.0.1 with separate base URLs', () => {
    expect(dropbox.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dropbox.contentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dropbox.apiUrl).not.toBe(dropbox.contentUrl);
  });

  it('answers a missing Authorization header with a plain-text 400', async () => {
    const response = await rpc(dropbox, 'files/list_folder', { path: '' }, { token: null });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toBe('Error in call to API function "files/list_folder": Must provide HTTP header "Authorization" or URL parameter "authorization".');
  });

  it('answers an unknown token with a JSON 401 invalid_access_token', async () => {
    const response = await rpc(dropbox, 'files/list_folder', { path: '' }, { token: 'nope' });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json().error).toEqual({ '.tag': 'invalid_access_token' });
    expect(response.json().error_summary).toMatch(/^invalid_access_token\/\.+$/);
  });

  it('answers an expired token with 401 expired_access_token, after the TTL or on demand', async () => {
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(200);
    dropbox.advanceClock(14400);
    const afterTtl = await rpc(dropbox, 'files/list_folder', { path: '' });
    expect(afterTtl.status).toBe(401);
    expect(afterTtl.json().error).toEqual({ '.tag': 'expired_access_token' });

    const fresh = dropbox.issueAccessToken();
    expect((await download(dropbox, { path: '/docs/readme.txt' }, { token: fresh })).status).toBe(200);
    dropbox.expireAccessTokens();
    const expired = await download(dropbox, { path: '/docs/readme.txt' }, { token: fresh });
    expect(expired.status).toBe(401);
    expect(expired.json().error['.tag']).toBe('expired_access_token');
  });

  it('rejects a malformed Authorization value with a 400', async () => {
    const response = await rpc(dropbox, 'files/list_folder', { path: '' }, { token: null, headers: { Authorization: 'Bearer' } });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Expecting "Bearer <oauth2-access-token>"');
  });

  it('rejects a wrong Content-Type on RPC and upload routes with a 400 naming the accepted types', async () => {
    const rpcResponse = await rpc(dropbox, 'files/list_folder', { path: '' }, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(rpcResponse.status).toBe(400);
    expect(rpcResponse.text).toContain('Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded".  Expecting one of "application/json"');
    const uploadResponse = await upload(dropbox, 'files/upload', { path: '/x.txt' }, 'x', { headers: { 'Content-Type': 'application/json' } });
    expect(uploadResponse.status).toBe(400);
    expect(uploadResponse.text).toContain('"application/octet-stream"');
    const downloadResponse = await download(dropbox, { path: '/docs/readme.txt' }, { headers: { 'Content-Type': 'application/json' } });
    expect(downloadResponse.status).toBe(400);
  });

  it('rejects bad arguments with plain-text 400s that locate the problem', async () => {
    const cases: Array<[unknown, string]> = [
      [{ path: '', root: 'dropbox' }, "request body: unknown field 'root'"],
      [{ recursive: true }, "request body: missing required field 'path'"],
      [{ path: 'docs' }, "request body: path: 'docs' did not match pattern"],
      [{ path: '', recursive: 'yes' }, 'request body: recursive:'],
      [{ path: '', limit: 0 }, 'request body: limit:'],
    ];
    for (const [arg, message] of cases) {
      const response = await rpc(dropbox, 'files/list_folder', arg);
      expect(response.status, JSON.stringify(arg)).toBe(400);
      expect(response.text).toContain(`Error in call to API function "files/list_folder": ${message}`);
    }
    const notJson = await rpc(dropbox, 'files/list_folder', '{path:');
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('request body: could not decode input as JSON');
    const badMode = await upload(dropbox, 'files/upload', { path: '/a.txt', mode: 'update' }, 'x');
    expect(badMode.status).toBe(400);
    expect(badMode.text).toContain('HTTP header "Dropbox-API-Arg": mode:');
    const badRev = await upload(dropbox, 'files/upload', { path: '/a.txt', mode: { '.tag': 'update', update: 'xyz' } }, 'x');
    expect(badRev.status).toBe(400);
    expect(badRev.text).toContain('mode.update:');
  });

  it('requires Dropbox-API-Arg or the arg query parameter on content routes', async () => {
    const missing = await request(`${dropbox.contentUrl}/2/files/download`, { method: 'POST', headers: { Authorization: `Bearer ${dropbox.accessToken}` } });
    expect(missing.statusCode).toBe(400);
    expect(await missing.body.text()).toContain('Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
    const viaQuery = await request(`${dropbox.contentUrl}/2/files/download?arg=${encodeURIComponent(JSON.stringify({ path: '/docs/readme.txt' }))}`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${dropbox.accessToken}` },
    });
    expect(viaQuery.statusCode).toBe(200);
    expect(await viaQuery.body.text()).toBe('hi');
  });

  it('needs header-safe JSON in Dropbox-API-Arg and sends header-safe JSON in Dropbox-API-Result', async () => {
    const escapedArg = JSON.stringify({ path: '/über.txt', mode: 'add' }).replace('ü', '\\u00fc');
    const uploaded = await request(`${dropbox.contentUrl}/2/files/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${dropbox.accessToken}`, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': escapedArg },
      body: 'umlaut',
    });
    expect(uploaded.statusCode).toBe(200);
    expect(((await uploaded.body.json()) as { path_display: string }).path_display).toBe('/über.txt');

    const raw = await request(`${dropbox.contentUrl}/2/files/upload`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${dropbox.accessToken}`,
        'Content-Type': 'application/octet-stream',
        'Dropbox-API-Arg': Buffer.from(JSON.stringify({ path: '/ü2.txt' }), 'utf8').toString('latin1'),
      },
      body: 'x',
    });
    expect(raw.statusCode).toBe(400);
    expect(await raw.body.text()).toContain('HTTP header "Dropbox-API-Arg"');

    const downloaded = await download(dropbox, { path: '/ÜBER.txt' });
    expect(downloaded.status).toBe(200);
    const result = downloaded.headers['dropbox-api-result'] as string;
    expect(result).toMatch(/^[\x20-\x7e]+$/);
    expect(result).toContain('\\u00fc');
    expect(JSON.parse(result).name).toBe('über.txt');
  });

  it('answers route errors with 409 JSON {error_summary, error} and Void results with null', async () => {
    const missing = await rpc(dropbox, 'files/delete_v2', { path: '/nothing-here' });
    expect(missing.status).toBe(409);
    expect(missing.headers['content-type']).toBe('application/json');
    expect(missing.json().error).toEqual({ '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } });
    expect(missing.json().error_summary).toMatch(/^path_lookup\/not_found\/\.{1,3}$/);

    const started = await upload(dropbox, 'files/upload_session/start', {}, 'abc');
    const appended = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: started.json().session_id, offset: 3 } }, 'def');
    expect(appended.status).toBe(200);
    expect(appended.headers['content-type']).toBe('application/json');
    expect(appended.text).toBe('null');

    const revoke = await request(`${dropbox.apiUrl}/2/auth/token/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${dropbox.issueAccessToken()}` } });
    expect(revoke.statusCode).toBe(200);
    expect(await revoke.body.text()).toBe('null');
  });

  it('answers unknown functions, wrong hosts and bodies sent to download with 400s', async () => {
    const unknown = await rpc(dropbox, 'files/get_everything', {});
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Unknown API function: /2/files/get_everything');

    const wrongHost = await request(`${dropbox.apiUrl}/2/files/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${dropbox.accessToken}`, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': '{"path":"/a"}' },
      body: 'x',
    });
    expect(wrongHost.statusCode).toBe(400);
    expect(await wrongHost.body.text()).toContain('content.dropboxapi.com');

    const withBody = await request(`${dropbox.contentUrl}/2/files/download`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${dropbox.accessToken}`, 'Dropbox-API-Arg': '{"path":"/docs/readme.txt"}', 'Content-Type': 'text/plain' },
      body: 'not empty',
    });
    expect(withBody.statusCode).toBe(400);
    expect(await withBody.body.text()).toContain('The request body is supposed to be empty');
  });
});
