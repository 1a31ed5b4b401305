/**
 * graphs/dropbox/sync.yaml end to end: one-way sync of a Dropbox folder into a local directory
 * through the CLI, against the Dropbox fake, run after run on one Dropbox whose content another
 * client changes in between.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { expectNoSecrets, expectSuccess, localTree, runDropboxGraph, scratchDirectory, type GraphRun } from './dropbox-graph-run.ts';

/** What the local mirror of `remoteRoot` should hold: relative display paths → content (null for folders). */
function remoteTree(fake: DropboxFake, remoteRoot = ''): Record<string, string | null> {
  const tree: Record<string, string | null> = {};
  const prefix = remoteRoot === '' ? '/' : `${remoteRoot}/`;
  for (const path of fake.state.listPaths()) {
    const folder = path.endsWith('/');
    const display = folder ? path.slice(0, -1) : path;
    if (!display.toLowerCase().startsWith(prefix.toLowerCase())) continue;
    const key = display.slice(prefix.length);
    tree[key] = folder ? null : fake.state.readFile(display)!.toString('latin1');
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sorted(tree: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Dropbox paths downloaded by the requests logged since `from`. */
function downloadsSince(fake: DropboxFake, from: number): string[] {
  return fake.requests
    .slice(from)
    .filter((request) => request.route === 'files/download' && request.status === 200)
    .map((request) => (request.arg as { path: string }).path)
    .sort();
}

const BINARY = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));

describe('sync.yaml', { timeout: 60_000 }, () => {
  let fake: DropboxFake;
  let scratch: { dir: string; cleanup: () => void };
  let localDir: string;
  let stateFile: string;
  const runs: GraphRun[] = [];

  const sync = async (parameters: Record<string, string> = {}): Promise<GraphRun> => {
    const run = await runDropboxGraph(fake, 'sync', { LOCAL_DIR: 'mirror', STATE_DIR: 'state', ...parameters }, { cwd: scratch.dir });
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    fake = await startDropboxFake({
      // Small pages, so every listing follows has_more.
      listFolderPageSize: 3,
      seed: {
        '/Reports/': null,
        '/Reports/2024/q1.csv': 'id,total\n1,9\n',
        '/Reports/2024/q2.csv': 'id,total\n2,12\n',
        '/Reports/Über uns.txt': 'grüße',
        '/Photos/cat.bin': BINARY,
        '/Photos/Empty Album/': null,
        '/notes.txt': 'first notes',
        '/old/a.txt': 'a',
        '/old/deep/b.txt': 'b',
        '/Zero.txt': '',
      },
    });
    scratch = scratchDirectory();
    localDir = join(scratch.dir, 'mirror');
    stateFile = join(scratch.dir, 'state', 'dropbox-sync.json');
  });

  afterAll(async () => {
    expect(fake.serverErrors).toEqual([]);
    for (const run of runs) expectNoSecrets(run, [fake.accessToken, fake.refreshToken]);
    await fake.close();
    scratch.cleanup();
  });

  it('first run: mirrors everything (following has_more), empty folders and empty files included', async () => {
    const run = await sync();
    expectSuccess(run);
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    expect(localTree(localDir)['Photos/Empty Album']).toBeNull();
    expect(readFileSync(join(localDir, 'Photos/cat.bin')).equals(BINARY)).toBe(true);
    const listing = fake.requests.filter((request) => request.route.startsWith('files/list_folder'));
    expect(listing[0]).toMatchObject({ route: 'files/list_folder', arg: { path: '', recursive: true } });
    expect(listing.filter((request) => request.route === 'files/list_folder/continue').length).toBeGreaterThan(2);
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).cursor).toMatch(/^AAH/);
  });

  it('nothing changed: lists the changes since the stored cursor and downloads nothing', async () => {
    const from = fake.requests.length;
    const stateBefore = JSON.parse(readFileSync(stateFile, 'utf8'));
    expectSuccess(await sync());
    const routes = fake.requests.slice(from).map((request) => request.route);
    expect(routes).toEqual(['files/list_folder/continue']);
    expect((fake.requests[from]!.arg as { cursor: string }).cursor).toBe(stateBefore.cursor);
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
  });

  it('applies every kind of change: add, modify, delete a file, delete a folder with children, new folders, kind changes', async () => {
    fake.state.putFile('/Reports/2024/q3.csv', 'id,total\n3,7\n'); // added
    fake.state.putFile('/notes.txt', 'second notes, longer'); // modified
    fake.state.remove('/Reports/2024/q1.csv'); // file deleted
    fake.state.remove('/old'); // folder with children deleted
    fake.state.makeFolder('/New Folder/Sub'); // new (empty) folders
    fake.state.putFile('/Fresh/inside/deep.txt', 'deep'); // new folders holding a file
    fake.state.remove('/Zero.txt');
    fake.state.makeFolder('/Zero.txt'); // a file became a folder
    fake.state.remove('/Photos/Empty Album');
    fake.state.putFile('/Photos/Empty Album', 'now a file'); // a folder became a file
    const from = fake.requests.length;
    expectSuccess(await sync());
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    expect(existsSync(join(localDir, 'old'))).toBe(false);
    expect(downloadsSince(fake, from)).toEqual(['/fresh/inside/deep.txt', '/notes.txt', '/photos/empty album', '/reports/2024/q3.csv']);
  });

  it('reset: a cursor Dropbox no longer accepts is replaced by a full listing; unchanged files are not downloaded again', async () => {
    fake.invalidateCursors();
    fake.state.putFile('/Reports/2024/q2.csv', 'id,total\n2,13\n'); // changed while the cursor was invalid
    fake.state.remove('/Fresh'); // deleted while the cursor was invalid: no deleted entry in a fresh listing
    const from = fake.requests.length;
    expectSuccess(await sync());
    const requests = fake.requests.slice(from);
    expect(requests[0]).toMatchObject({ route: 'files/list_folder/continue', status: 409 });
    expect(requests[1]).toMatchObject({ route: 'files/list_folder', status: 200, arg: { path: '', recursive: true } });
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    expect(existsSync(join(localDir, 'Fresh'))).toBe(false);
    expect(downloadsSince(fake, from)).toEqual(['/reports/2024/q2.csv']);

    const next = fake.requests.length;
    expectSuccess(await sync());
    expect(fake.requests.slice(next).map((request) => [request.route, request.status])).toEqual([['files/list_folder/continue', 200]]);
  });

  it('honours 429 Retry-After on listing and downloads', async () => {
    fake.state.putFile('/notes.txt', 'third notes');
    fake.failNext({ kind: 'rate-limit', retryAfter: 1 }, { route: 'files/list_folder/continue' });
    fake.failNext({ kind: 'rate-limit', retryAfter: 1, plainText: true }, { route: 'files/download' });
    fake.failNext({ kind: 'server-error', status: 503 }, { route: 'files/download' });
    const from = fake.requests.length;
    expectSuccess(await sync());
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    const requests = fake.requests.slice(from);
    const continues = requests.filter((request) => request.route === 'files/list_folder/continue');
    expect(continues.map((request) => request.status)).toEqual([429, 200]);
    expect(continues[1]!.receivedAt - continues[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    const downloads = requests.filter((request) => request.route === 'files/download');
    expect(downloads.map((request) => request.status)).toEqual([429, 503, 200]);
    expect(downloads[1]!.receivedAt - downloads[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('a failure part-way keeps the old cursor, so the next run applies the changes', async () => {
    const stateBefore = readFileSync(stateFile, 'utf8');
    fake.state.putFile('/a-first.txt', 'one');
    fake.state.putFile('/z-second.txt', 'two');
    fake.state.remove('/Reports/Über uns.txt');
    fake.failNext({ kind: 'route-error', error: { '.tag': 'path', path: { '.tag': 'restricted_content' } } }, { route: 'files/download' });
    const failed = await sync();
    expect(failed.code).toBe(1);
    expect(failed.error).toContain('path/restricted_content/');
    expect(readFileSync(stateFile, 'utf8')).toBe(stateBefore);

    const from = fake.requests.length;
    expectSuccess(await sync());
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    expect(downloadsSince(fake, from)).toEqual(['/a-first.txt', '/z-second.txt']);
    expect(readFileSync(stateFile, 'utf8')).not.toBe(stateBefore);
  });

  it('names holding ; [ ] { } * and blanks are created and deleted exactly', async () => {
    const odd = ['/Odd/a;b [1].txt', '/Odd/{x,y}/inside.txt', '/Odd/star*.txt', '/Odd/report 1.txt', '/Odd/ padded .txt'];
    for (const path of odd) fake.state.putFile(path, path);
    expectSuccess(await sync());
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    fake.state.remove('/Odd/a;b [1].txt');
    fake.state.remove('/Odd/{x,y}');
    fake.state.remove('/Odd/star*.txt');
    expectSuccess(await sync());
    expect(sorted(localTree(localDir))).toEqual(remoteTree(fake));
    expect(Object.keys(localTree(join(localDir, 'Odd')))).toEqual([' padded .txt', 'report 1.txt']);
  });

  it('an API error while listing fails the run with its error_summary', async () => {
    const run = await runDropboxGraph(fake, 'sync', { LOCAL_DIR: 'elsewhere', STATE_DIR: 'elsewhere-state', REMOTE_PATH: '/no/such/folder' }, { cwd: scratch.dir });
    runs.push(run);
    expect(run.code).toBe(1);
    expect(run.error).toMatch(/status 409 Conflict: path\/not_found\//);
    expect(existsSync(join(scratch.dir, 'elsewhere-state', 'dropbox-sync.json'))).toBe(false);
  });

  it('mirrors a subfolder (REMOTE_PATH) relative to LOCAL_DIR, including changes below it only', async () => {
    const photos = (remote = '/photos') => runDropboxGraph(fake, 'sync', { LOCAL_DIR: 'photos', STATE_DIR: 'photos-state', REMOTE_PATH: remote }, { cwd: scratch.dir });
    const first = await photos();
    runs.push(first);
    expectSuccess(first);
    expect(sorted(localTree(join(scratch.dir, 'photos')))).toEqual(remoteTree(fake, '/Photos'));
    fake.state.putFile('/Photos/dog.bin', 'woof');
    fake.state.putFile('/notes.txt', 'outside the folder');
    const from = fake.requests.length;
    const second = await photos('Photos/'); // the same folder, written differently
    runs.push(second);
    expectSuccess(second);
    expect(fake.requests[from]).toMatchObject({ route: 'files/list_folder/continue' });
    expect(downloadsSince(fake, from)).toEqual(['/photos/dog.bin']);
    expect(sorted(localTree(join(scratch.dir, 'photos')))).toEqual(remoteTree(fake, '/Photos'));
  });

  it('a stored state for another REMOTE_PATH is not used', async () => {
    const state = JSON.parse(readFileSync(join(scratch.dir, 'photos-state', 'dropbox-sync.json'), 'utf8'));
    expect(state.remotePath).toBe('/Photos');
    writeFileSync(join(scratch.dir, 'photos-state', 'dropbox-sync.json'), JSON.stringify({ ...state, remotePath: '/Reports' }));
    const from = fake.requests.length;
    const run = await runDropboxGraph(fake, 'sync', { LOCAL_DIR: 'photos', STATE_DIR: 'photos-state', REMOTE_PATH: '/photos' }, { cwd: scratch.dir });
    runs.push(run);
    expectSuccess(run);
    expect(fake.requests[from]).toMatchObject({ route: 'files/list_folder', arg: { path: '/photos' } });
  });
});

describe('sync.yaml with path_display casing that differs from the folders\' own', { timeout: 60_000 }, () => {
  it('puts every item into the local folder first created for its parent, also after a reset', async () => {
    // As files.stone warns, path_display may carry the casing a client wrote rather than the folder's.
    const fake = await startDropboxFake({ displayPathsAsWritten: true, seed: { '/Docs/': null } });
    const scratch = scratchDirectory();
    try {
      fake.state.putFile('/docs/readme.txt', 'read me');
      fake.state.putFile('/DOCS/Sub/deep.txt', 'deep');
      fake.state.putFile('/dOcS/sub/Other.txt', 'other');
      const listed = (await startListing(fake)).map((entry) => entry.path_display);
      expect(listed).toEqual(expect.arrayContaining(['/docs/readme.txt', '/DOCS/Sub/deep.txt', '/dOcS/sub/Other.txt']));
      const sync = () => runDropboxGraph(fake, 'sync', { LOCAL_DIR: 'mirror', STATE_DIR: 'state' }, { cwd: scratch.dir });
      const expected = { Docs: null, 'Docs/Sub': null, 'Docs/Sub/Other.txt': 'other', 'Docs/Sub/deep.txt': 'deep', 'Docs/readme.txt': 'read me' };
      expectSuccess(await sync());
      expect(sorted(localTree(join(scratch.dir, 'mirror')))).toEqual(expected);
      expect(remoteTree(fake)).toEqual(expected);

      fake.invalidateCursors();
      const from = fake.requests.length;
      expectSuccess(await sync());
      expect(sorted(localTree(join(scratch.dir, 'mirror')))).toEqual(expected);
      expect(downloadsSince(fake, from)).toEqual([]);

      fake.state.remove('/docs/SUB');
      expectSuccess(await sync());
      expect(sorted(localTree(join(scratch.dir, 'mirror')))).toEqual({ Docs: null, 'Docs/readme.txt': 'read me' });
    } finally {
      await fake.close();
      scratch.cleanup();
    }
  });
});

/** The entries of a first recursive listing of the root, straight from the fake. */
async function startListing(fake: DropboxFake): Promise<{ path_display: string }[]> {
  const response = await fetch(`${fake.apiUrl}/2/files/list_folder`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${fake.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: '', recursive: true }),
  });
  return ((await response.json()) as { entries: { path_display: string }[] }).entries;
}
