import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { download, rpc, upload } from './dropbox-calls.ts';

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake({ seed: { '/f.bin': Buffer.alloc(100_000, 1) } });
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

describe('injected failures', () => {
  it('answers N requests of a route with 429, Retry-After and a RateLimitError body, then normally', async () => {
    dropbox.failNext({ kind: 'rate-limit', retryAfter: 3 }, { route: 'files/upload', times: 2 });
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt++) {
      const limited = await upload(dropbox, 'files/upload', { path: '/u.txt' }, 'body');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('3');
      expect(limited.json()).toEqual({
        error_summary: expect.stringMatching(/^too_many_requests\//),
        error: { reason: { '.tag': 'too_many_requests' }, retry_after: 3 },
      });
    }
    expect((await upload(dropbox, 'files/upload', { path: '/u.txt' }, 'body')).status).toBe(200);
    expect(dropbox.requestsTo('files/upload').map((record) => [record.status, record.fault])).toEqual([
      [429, 'rate-limit'],
      [429, 'rate-limit'],
      [200, null],
    ]);
    expect(dropbox.state.readFile('/u.txt')?.toString()).toBe('body');
  });

  it('can send a plain-text 429 and 5xx errors', async () => {
    dropbox.failNext({ kind: 'rate-limit', plainText: true, reason: 'too_many_write_operations' });
    dropbox.failNext({ kind: 'server-error', status: 503 });
    dropbox.failNext({ kind: 'server-error' });
    const plain = await rpc(dropbox, 'files/list_folder', { path: '' });
    expect(plain.status).toBe(429);
    expect(plain.headers['content-type']).toMatch(/^text\/plain/);
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(503);
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(500);
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(200);
  });

  it('resets the connection, or cuts a download after some bytes', async () => {
    dropbox.failNext({ kind: 'connection-reset' }, { route: 'files/list_folder' });
    await expect(rpc(dropbox, 'files/list_folder', { path: '' })).rejects.toThrow();
    expect((await rpc(dropbox, 'files/list_folder', { path: '' })).status).toBe(200);

    dropbox.failNext({ kind: 'connection-reset', afterBytes: 1000 }, { route: 'files/download' });
    const response = await request(`${dropbox.contentUrl}/2/files/download`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${dropbox.accessToken}`, 'Dropbox-API-Arg': '{"path":"/f.bin"}' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('100000');
    await expect(response.body.arrayBuffer()).rejects.toThrow();
    const retry = await download(dropbox, { path: '/f.bin' });
    expect(retry.body.length).toBe(100_000);
  });
});

describe('request log', () => {
  it('records method, path, route, masked headers, the arg as sent and body size', async () => {
    await upload(dropbox, 'files/upload', { path: '/log.txt', mode: 'overwrite' }, 'twelve bytes');
    await rpc(dropbox, 'files/list_folder', { path: '', recursive: true });
    const [uploadRecord, listRecord] = dropbox.requests;
    expect(uploadRecord).toMatchObject({
      host: 'content',
      method: 'POST',
      path: '/2/files/upload',
      route: 'files/upload',
      arg: { path: '/log.txt', mode: 'overwrite' },
      bodyBytes: 12,
      status: 200,
      fault: null,
    });
    expect(uploadRecord!.headers.authorization).toBe('Bearer *****');
    expect(JSON.stringify(dropbox.requests)).not.toContain(dropbox.accessToken);
    expect(listRecord).toMatchObject({ host: 'api', route: 'files/list_folder', arg: { path: '', recursive: true }, status: 200 });
    dropbox.clearRequests();
    expect(dropbox.requests).toEqual([]);
  });

  it('requestsTo filters one route in arrival order', async () => {
    dropbox.state.putFile('/g.bin', 'g');
    await download(dropbox, { path: '/f.bin' });
    await rpc(dropbox, 'files/list_folder', { path: '' });
    await download(dropbox, { path: '/g.bin' });
    expect(dropbox.requestsTo('files/download').map((record) => (record.arg as { path: string }).path)).toEqual(['/f.bin', '/g.bin']);
    expect(dropbox.requestsTo('files/download').map((record) => record.index)).toEqual([0, 2]);
});
});
