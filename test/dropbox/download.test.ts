/**
 * graphs/dropbox/download.yaml end to end: files/download streamed to LOCAL_FILE, atomically;
 * API errors fail the run with their error_summary; 429 and cut connections are retried.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { expectNoSecrets, expectSuccess, runDropboxGraph, scratchDirectory, type GraphRun } from './dropbox-graph-run.ts';

const BIG = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 31 + (i >> 8)) % 256));

describe('download.yaml', { timeout: 60_000 }, () => {
  let fake: DropboxFake;
  let scratch: { dir: string; cleanup: () => void };
  const runs: GraphRun[] = [];

  const download = async (remotePath: string, localFile: string): Promise<GraphRun> => {
    const run = await runDropboxGraph(fake, 'download', { REMOTE_PATH: remotePath, LOCAL_FILE: localFile }, { cwd: scratch.dir });
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    fake = await startDropboxFake({ seed: { '/Data/big.bin': BIG, '/Données/Ünïcödé "quoted".txt': 'ünïcödé', '/empty.txt': '' } });
    scratch = scratchDirectory();
  });

  afterAll(async () => {
    expect(fake.serverErrors).toEqual([]);
    for (const run of runs) expectNoSecrets(run, [fake.accessToken]);
    await fake.close();
    scratch.cleanup();
  });

  it('downloads a file byte for byte, creating missing directories', async () => {
    expectSuccess(await download('/Data/big.bin', 'out/nested/big.bin'));
    expect(readFileSync(join(scratch.dir, 'out/nested/big.bin')).equals(BIG)).toBe(true);
    const [request] = fake.requestsTo('files/download');
    expect(request).toMatchObject({ host: 'content', method: 'POST', path: '/2/files/download', arg: { path: '/Data/big.bin' }, status: 200 });
    expect(request!.headers.authorization).toBe('Bearer *****');
  });

  it('sends a non-ASCII path as header-safe JSON, and downloads an empty file', async () => {
    expectSuccess(await download('/données/ünïcödé "quoted".txt', 'u.txt'));
    expect(readFileSync(join(scratch.dir, 'u.txt'), 'utf8')).toBe('ünïcödé');
    const request = fake.requestsTo('files/download').at(-1)!;
    expect(request.headers['dropbox-api-arg']).toBe('{"path": "/donn\\u00e9es/\\u00fcn\\u00efc\\u00f6d\\u00e9 \\"quoted\\".txt"}');
    expectSuccess(await download('/empty.txt', 'empty.txt'));
    expect(readFileSync(join(scratch.dir, 'empty.txt')).length).toBe(0);
  });

  it('a missing file fails the run with path/not_found and leaves the local file alone', async () => {
    writeFileSync(join(scratch.dir, 'keep.txt'), 'previous content');
    const run = await download('/no/such/file.txt', 'keep.txt');
    expect(run.code).toBe(1);
    expect(run.error).toMatch(/^trefoil: ERROR TREFOIL_ERR_HTTP_STATUS download \(HTTPConnector\) failed: .*status 409 Conflict: path\/not_found\//);
    expect(readFileSync(join(scratch.dir, 'keep.txt'), 'utf8')).toBe('previous content');
    const missing = await download('/no/such/file.txt', 'never.txt');
    expect(missing.code).toBe(1);
    expect(existsSync(join(scratch.dir, 'never.txt'))).toBe(false);
  });

  it('a bad token fails with the API\'s error', async () => {
    const run = await runDropboxGraph(fake, 'download', { REMOTE_PATH: '/empty.txt', LOCAL_FILE: 'x.txt' }, { cwd: scratch.dir, token: 'not-a-valid-token' });
    expect(run.code).toBe(1);
    expect(run.error).toContain('status 401 Unauthorized: invalid_access_token/');
    expectNoSecrets(run, ['not-a-valid-token']);
  });

  it('retries a 429 after its Retry-After, and a download cut mid-body; a partial body never becomes the file', async () => {
    fake.clearRequests();
    fake.failNext({ kind: 'rate-limit', retryAfter: 1 }, { route: 'files/download' });
    fake.failNext({ kind: 'connection-reset', afterBytes: 1_000_000 }, { route: 'files/download' });
    expectSuccess(await download('/Data/big.bin', 'retried.bin'));
    expect(readFileSync(join(scratch.dir, 'retried.bin')).equals(BIG)).toBe(true);
    const requests = fake.requestsTo('files/download');
    expect(requests.map((request) => request.fault)).toEqual(['rate-limit', 'connection-reset', null]);
    expect(requests[1]!.receivedAt - requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);

    // Cut, then refused: the run fails and no partial or temporary file is left.
    fake.failNext({ kind: 'connection-reset', afterBytes: 1_000_000 }, { route: 'files/download' });
    fake.failNext({ kind: 'route-error', error: { '.tag': 'path', path: { '.tag': 'not_found' } } }, { route: 'files/download' });
    const cut = await download('/Data/big.bin', 'cut/big.bin');
    expect(cut.code).toBe(1);
    expect(cut.error).toContain('path/not_found/');
    expect(readdirSync(join(scratch.dir, 'cut'))).toEqual([]);
  });
});
