/**
 * graphs/dropbox/chunked-upload.yaml end to end: upload_session/start, one append_v2 per chunk
 * but the last, finish with the last chunk and the commit — for every size edge case, a large
 * file in bounded memory, a lost answer recovered, and incorrect_offset as a clear failure.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropboxContentHash, startDropboxFake, type DropboxFake, type DropboxRequestRecord } from '../support/dropbox-fake/index.ts';
import { expectNoSecrets, expectSuccess, runDropboxGraph, runDropboxGraphMeasured, scratchDirectory, type GraphRun } from './dropbox-graph-run.ts';

const MiB = 1024 * 1024;

/** Deterministic bytes that differ from chunk to chunk. */
function pattern(size: number, seed = 1): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = state >>> 16;
  }
  return bytes;
}

interface SessionCalls {
  readonly start: DropboxRequestRecord;
  readonly appends: readonly DropboxRequestRecord[];
  readonly finish: DropboxRequestRecord;
}

/** The session calls logged since `from`. */
function sessionCalls(fake: DropboxFake, from: number): SessionCalls {
  const calls = fake.requests.slice(from);
  const of = (route: string) => calls.filter((request) => request.route === `files/upload_session/${route}`);
  expect(of('start')).toHaveLength(1);
  expect(of('finish')).toHaveLength(1);
  return { start: of('start')[0]!, appends: of('append_v2'), finish: of('finish')[0]! };
}

const offsetOf = (request: DropboxRequestRecord): number => (request.arg as { cursor: { offset: number } }).cursor.offset;

describe('chunked-upload.yaml', { timeout: 120_000 }, () => {
  let fake: DropboxFake;
  let scratch: { dir: string; cleanup: () => void };
  const runs: GraphRun[] = [];

  const upload = async (data: Buffer, remotePath: string, chunkSize?: number): Promise<GraphRun> => {
    const name = `local-${runs.length}.bin`;
    writeFileSync(join(scratch.dir, name), data);
    const run = await runDropboxGraph(fake, 'chunked-upload', { LOCAL_FILE: name, REMOTE_PATH: remotePath, ...(chunkSize === undefined ? {} : { CHUNK_SIZE: chunkSize }) }, { cwd: scratch.dir });
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    fake = await startDropboxFake({ seed: { '/Backups/existing.bin': 'to be replaced' } });
    scratch = scratchDirectory();
  });

  afterAll(async () => {
    expect(fake.serverErrors).toEqual([]);
    for (const run of runs) expectNoSecrets(run, [fake.accessToken]);
    await fake.close();
    scratch.cleanup();
  });

  const CHUNK = 64 * 1024;
  const cases: [string, number, number][] = [
    // name, size, appends expected (every chunk but the last, which goes with finish)
    ['0 bytes', 0, 0],
    ['less than one chunk', 1000, 0],
    ['exactly one chunk', CHUNK, 0],
    ['one chunk and one byte', CHUNK + 1, 1],
    ['exactly three chunks', 3 * CHUNK, 2],
    ['two and a half chunks', 2.5 * CHUNK, 2],
  ];
  for (const [name, size, appends] of cases) {
    it(`uploads ${name} with correct offsets`, async () => {
      const data = pattern(size, size + 7);
      const from = fake.requests.length;
      expectSuccess(await upload(data, `/Chunked/${size}.bin`, CHUNK));
      const calls = sessionCalls(fake, from);
      expect(calls.start).toMatchObject({ arg: { close: false }, bodyBytes: 0, status: 200 });
      expect(calls.appends.map(offsetOf)).toEqual(Array.from({ length: appends }, (_, i) => i * CHUNK));
      expect(calls.appends.every((request) => request.bodyBytes === CHUNK && request.status === 200)).toBe(true);
      const sessionId = (calls.finish.arg as { cursor: { session_id: string } }).cursor.session_id;
      expect(calls.appends.every((request) => (request.arg as { cursor: { session_id: string } }).cursor.session_id === sessionId)).toBe(true);
      expect(calls.finish).toMatchObject({ arg: { cursor: { offset: appends * CHUNK }, commit: { path: `/Chunked/${size}.bin`, mode: 'overwrite' } }, status: 200 });
      expect(calls.finish.bodyBytes).toBe(size - appends * CHUNK);
      expect(fake.state.readFile(`/Chunked/${size}.bin`)!.equals(data)).toBe(true);
      expect(fake.openUploadSessions()).toEqual([]);
    });
  }

  it('replaces an existing file (mode overwrite) with the default 4 MiB chunks', async () => {
    const data = pattern(9 * MiB + 5);
    const from = fake.requests.length;
    expectSuccess(await upload(data, '/Backups/existing.bin'));
    expect(sessionCalls(fake, from).appends.map(offsetOf)).toEqual([0, 4 * MiB]);
    expect(fake.state.getMetadata('/Backups/existing.bin')).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
  });

  it('streams a 120 MB file chunk by chunk in bounded memory', async () => {
    // NOTE: large enough that "bounded" is told apart from V8's own slack: freed 4 MiB chunk
    // buffers are external memory, collected only once tens of MB have accumulated (a 50 MB
    // file with a 40 MB bound failed now and then on a loaded machine for that reason alone).
    const size = 120 * 1000 * 1000;
    const file = join(scratch.dir, 'large.bin');
    const out = createWriteStream(file);
    const block = pattern(MiB, 99);
    const hashes: Buffer[] = [];
    for (let written = 0; written < size; written += block.length) {
      const piece = block.subarray(0, Math.min(block.length, size - written));
      piece[0] = written & 0xff; // every MiB differs
      hashes.push(Buffer.from(piece));
      if (!out.write(Buffer.from(piece))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const expectedHash = dropboxContentHash(Buffer.concat(hashes));
    hashes.length = 0;

    writeFileSync(join(scratch.dir, 'tiny.bin'), 'tiny');
    const tiny = await runDropboxGraphMeasured(fake, 'chunked-upload', { LOCAL_FILE: 'tiny.bin', REMOTE_PATH: '/Large/tiny.bin' }, { cwd: scratch.dir });
    runs.push(tiny);
    expectSuccess(tiny);

    const from = fake.requests.length;
    const large = await runDropboxGraphMeasured(fake, 'chunked-upload', { LOCAL_FILE: file, REMOTE_PATH: '/Large/large.bin', CHUNK_SIZE: 4 * MiB }, { cwd: scratch.dir });
    runs.push(large);
    expectSuccess(large);
    const calls = sessionCalls(fake, from);
    const chunks = Math.ceil(size / (4 * MiB));
    expect(calls.appends.map(offsetOf)).toEqual(Array.from({ length: chunks - 1 }, (_, i) => i * 4 * MiB));
    expect(offsetOf(calls.finish)).toBe((chunks - 1) * 4 * MiB);
    expect(fake.state.getMetadata('/Large/large.bin')).toMatchObject({ size, content_hash: expectedHash });
    if (large.peakRssBytes !== undefined && tiny.peakRssBytes !== undefined) {
      // The whole file in memory would add 120 MB; a few 4 MiB chunks in flight plus the GC's
      // slack for external memory add far less.
      expect(large.peakRssBytes - tiny.peakRssBytes).toBeLessThan(80 * 1000 * 1000);
    }
  });

  it('an answer lost after an append landed is recovered (the retry sees incorrect_offset just past the chunk)', async () => {
    const data = pattern(4 * CHUNK + 10, 3);
    fake.failNext({ kind: 'lost-response' }, { route: 'files/upload_session/append_v2' });
    const from = fake.requests.length;
    expectSuccess(await upload(data, '/Chunked/lost.bin', CHUNK));
    const appends = sessionCalls(fake, from).appends;
    expect(appends.map((request) => [offsetOf(request), request.status])).toEqual([
      [0, null],
      [0, 409],
      [CHUNK, 200],
      [2 * CHUNK, 200],
      [3 * CHUNK, 200],
    ]);
    expect(fake.state.readFile('/Chunked/lost.bin')!.equals(data)).toBe(true);
  });

  it('incorrect_offset fails the run with a message that says what happened, and commits nothing', async () => {
    fake.failNext({ kind: 'route-error', error: { '.tag': 'incorrect_offset', correct_offset: 17 } }, { route: 'files/upload_session/append_v2' });
    const from = fake.requests.length;
    const run = await upload(pattern(3 * CHUNK), '/Chunked/refused.bin', CHUNK);
    expect(run.code).toBe(1);
    expect(run.error).toContain('appendFailed (Fail) failed');
    expect(run.error).toContain('chunk 1 (bytes 0-65535) was refused with incorrect_offset: the upload session holds 17 bytes, not 0; nothing was committed to /Chunked/refused.bin');
    expect(run.error).toContain('status 409 Conflict: incorrect_offset/');
    expect(fake.requests.slice(from).some((request) => request.route === 'files/upload_session/finish')).toBe(false);
    expect(fake.state.getMetadata('/Chunked/refused.bin')).toBeUndefined();
  });

  it('an API error of finish fails the run with its error_summary', async () => {
    const run = await upload(pattern(100), '/Backups/existing.bin/inside.bin', CHUNK);
    expect(run.code).toBe(1);
    expect(run.error).toMatch(/finish \(HTTPConnector\) failed.*status 409 Conflict: path\/conflict\//);
  });

  // Last: it expires the token the other tests use.
  it('an expired access token is renewed with the refresh token, and every chunk still arrives', async () => {
    fake.expireAccessTokens();
    const data = pattern(3 * CHUNK + 3, 11);
    writeFileSync(join(scratch.dir, 'renew.bin'), data);
    const from = fake.requests.length;
    const run = await runDropboxGraph(
      fake,
      'chunked-upload',
      { LOCAL_FILE: 'renew.bin', REMOTE_PATH: '/Chunked/renewed.bin', CHUNK_SIZE: CHUNK, DROPBOX_REFRESH_TOKEN: fake.refreshToken, APP_KEY: 'test-app-key', APP_SECRET: 'test-app-secret' },
      { cwd: scratch.dir },
    );
    runs.push(run);
    expectSuccess(run);
    expect(fake.state.readFile('/Chunked/renewed.bin')!.equals(data)).toBe(true);
    expect(fake.requests.slice(from).filter((request) => request.route === 'oauth2/token').length).toBeGreaterThanOrEqual(1);
    expectNoSecrets(run, ['test-app-secret']);
  });
});
