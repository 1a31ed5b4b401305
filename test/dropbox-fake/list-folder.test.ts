import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake, type TaggedMetadataJson } from '../support/dropbox-fake/index.ts';
import { rpc, upload } from './dropbox-calls.ts';

interface ListResult {
  entries: TaggedMetadataJson[];
  cursor: string;
  has_more: boolean;
}

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake({
    seed: { '/Photos/a.jpg': 'A', '/Photos/Trip/b.jpg': 'B', '/notes.txt': 'N', '/Empty/': null },
  });
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

async function listFolder(arg: object): Promise<ListResult> {
  const response = await rpc(dropbox, 'files/list_folder', arg);
  expect(response.status, response.text).toBe(200);
  return response.json();
}

async function listContinue(cursor: string): Promise<ListResult> {
  const response = await rpc(dropbox, 'files/list_folder/continue', { cursor });
  expect(response.status, response.text).toBe(200);
  return response.json();
}

/** Follows has_more to the end; returns every entry and the final cursor. */
async function listAll(arg: object): Promise<{ entries: TaggedMetadataJson[]; cursor: string; pages: number }> {
  let page = await listFolder(arg);
  const entries = [...page.entries];
  let pages = 1;
  while (page.has_more) {
    page = await listContinue(page.cursor);
    entries.push(...page.entries);
    pages += 1;
  }
  return { entries, cursor: page.cursor, pages };
}

const describeEntry = (entry: TaggedMetadataJson) => `${entry['.tag']} ${entry.path_display}`;

describe('files/list_folder', () => {
  it('lists the root with path "" and tags each entry', async () => {
    const result = await listFolder({ path: '' });
    expect(result.has_more).toBe(false);
    expect(result.cursor.length).toBeGreaterThan(0);
    expect(result.entries.map(describeEntry)).toEqual(['folder /Empty', 'file /notes.txt', 'folder /Photos']);
    const file = result.entries.find((entry) => entry['.tag'] === 'file')!;
    expect(file).toMatchObject({ name: 'notes.txt', path_lower: '/notes.txt', size: 1 });
  });

  it('answers "/" with the real plain-text 400 and a relative path with a pattern 400', async () => {
    const slash = await rpc(dropbox, 'files/list_folder', { path: '/' });
    expect(slash.status).toBe(400);
    expect(slash.text).toBe('Error in call to API function "files/list_folder": request body: path: Specify the root folder as an empty string rather than as "/".');
    const relative = await rpc(dropbox, 'files/list_folder', { path: 'Photos' });
    expect(relative.status).toBe(400);
  });

  it('lists recursively, the listed folder itself first, parents before children', async () => {
    const photos = await listFolder({ path: '/photos', recursive: true });
    expect(photos.entries.map(describeEntry)).toEqual(['folder /Photos', 'file /Photos/a.jpg', 'folder /Photos/Trip', 'file /Photos/Trip/b.jpg']);
    const root = await listFolder({ path: '', recursive: true });
    expect(root.entries).toHaveLength(6);
  });

  it('answers path errors with 409 path/not_found and path/not_folder', async () => {
    const missing = await rpc(dropbox, 'files/list_folder', { path: '/nope' });
    expect(missing.status).toBe(409);
    expect(missing.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
    const file = await rpc(dropbox, 'files/list_folder', { path: '/notes.txt' });
    expect(file.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_folder' } });
  });

  it('paginates with limit and has_more until the listing is complete', async () => {
    const first = await listFolder({ path: '', recursive: true, limit: 2 });
    expect(first.entries).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const all = await listAll({ path: '', recursive: true, limit: 2 });
    expect(all.pages).toBe(3);
    expect(all.entries.map(describeEntry)).toEqual((await listFolder({ path: '', recursive: true })).entries.map(describeEntry));
    // A page cursor can be replayed: the same page comes back.
    expect((await listContinue(first.cursor)).entries).toEqual((await listContinue(first.cursor)).entries);
  });

  it('paginates by the fake-wide page size when the client gives no limit', async () => {
    const small = await startDropboxFake({ listFolderPageSize: 1, seed: { '/a': '1', '/b': '2', '/c': '3' } });
    try {
      const first = await rpc(small, 'files/list_folder', { path: '' });
      expect(first.json().entries).toHaveLength(1);
      expect(first.json().has_more).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('include_deleted adds DeletedMetadata for items that used to exist', async () => {
    dropbox.state.remove('/notes.txt');
    const result = await listFolder({ path: '', include_deleted: true });
    expect(result.entries.map(describeEntry)).toContain('deleted /notes.txt');
    expect((await listFolder({ path: '' })).entries.map(describeEntry)).not.toContain('deleted /notes.txt');
  });
});

describe('files/list_folder/continue', () => {
  it('returns nothing when nothing changed, then exactly the changes since the cursor', async () => {
    const { cursor } = await listAll({ path: '', recursive: true });
    const quiet = await listContinue(cursor);
    expect(quiet).toMatchObject({ entries: [], has_more: false });

    dropbox.state.putFile('/Photos/a.jpg', 'A2');
    dropbox.state.putFile('/Docs/New/report.csv', 'r');
    dropbox.state.remove('/Photos/Trip');
    dropbox.state.makeFolder('/Empty/Sub');
    await rpc(dropbox, 'files/delete_v2', { path: '/notes.txt' });

    const changes = await listContinue(quiet.cursor);
    expect(changes.has_more).toBe(false);
    expect(changes.entries.map(describeEntry)).toEqual([
      'file /Photos/a.jpg',
      'folder /Docs',
      'folder /Docs/New',
      'file /Docs/New/report.csv',
      'deleted /Photos/Trip',
      'deleted /Photos/Trip/b.jpg',
      'folder /Empty/Sub',
      'deleted /notes.txt',
    ]);
    expect(changes.entries[0]).toMatchObject({ size: 2 });
    expect(changes.entries[4]).toEqual({ '.tag': 'deleted', name: 'Trip', path_lower: '/photos/trip', path_display: '/Photos/Trip' });

    expect((await listContinue(changes.cursor)).entries).toEqual([]);
    // Reusing the older cursor replays the same changes.
    expect((await listContinue(quiet.cursor)).entries.map(describeEntry)).toEqual(changes.entries.map(describeEntry));
  });

  it('reports each changed path once, with what it holds now', async () => {
    const { cursor } = await listAll({ path: '', recursive: true });
    dropbox.state.putFile('/notes.txt', 'v2');
    dropbox.state.putFile('/notes.txt', 'v3');
    dropbox.state.putFile('/tmp.txt', 'short-lived');
    dropbox.state.remove('/tmp.txt');
    dropbox.state.remove('/Photos');
    dropbox.state.makeFolder('/Photos');
    const changes = await listContinue(cursor);
    expect(changes.entries.map(describeEntry)).toEqual([
      'file /notes.txt',
      'deleted /tmp.txt',
      'deleted /Photos/a.jpg',
      'deleted /Photos/Trip',
      'deleted /Photos/Trip/b.jpg',
      'folder /Photos',
    ]);
    expect(changes.entries[0]).toMatchObject({ size: 2 });
  });

  it('records writes made through the API routes too, and identical uploads change nothing', async () => {
    const { cursor } = await listAll({ path: '', recursive: true });
    await upload(dropbox, 'files/upload', { path: '/notes.txt', mode: 'overwrite' }, 'N');
    expect((await listContinue(cursor)).entries).toEqual([]);
    await upload(dropbox, 'files/upload', { path: '/notes.txt', mode: 'overwrite' }, 'changed');
    await rpc(dropbox, 'files/create_folder_v2', { path: '/Made' });
    expect((await listContinue(cursor)).entries.map(describeEntry)).toEqual(['file /notes.txt', 'folder /Made']);
  });

  it('limits a non-recursive cursor to direct children and a folder cursor to its subtree', async () => {
    const top = await listFolder({ path: '' });
    const photos = await listFolder({ path: '/Photos', recursive: true });
    dropbox.state.putFile('/Photos/Trip/c.jpg', 'C');
    dropbox.state.putFile('/top.txt', 'T');
    expect((await listContinue(top.cursor)).entries.map(describeEntry)).toEqual(['file /top.txt']);
    expect((await listContinue(photos.cursor)).entries.map(describeEntry)).toEqual(['file /Photos/Trip/c.jpg']);
    dropbox.state.remove('/Photos');
    const gone = await rpc(dropbox, 'files/list_folder/continue', { cursor: photos.cursor });
    expect(gone.status).toBe(409);
    expect(gone.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
  });

  it('pages changes with the listing limit without skipping any', async () => {
    const { cursor } = await listAll({ path: '', recursive: true, limit: 2 });
    for (let index = 0; index < 5; index++) dropbox.state.putFile(`/batch/${index}.txt`, String(index));
    let page = await listContinue(cursor);
    const seen = page.entries.map(describeEntry);
    expect(page.entries).toHaveLength(2);
    while (page.has_more) {
      page = await listContinue(page.cursor);
      seen.push(...page.entries.map(describeEntry));
    }
    expect(seen).toEqual(['folder /batch', ...[0, 1, 2, 3, 4].map((index) => `file /batch/${index}.txt`)]);
  });

  it('answers 409 reset for cursors issued before invalidateCursors(), and a fresh listing works again', async () => {
    const first = await listFolder({ path: '', limit: 1 });
    const done = await listAll({ path: '' });
    dropbox.invalidateCursors();
    for (const cursor of [first.cursor, done.cursor]) {
      const reset = await rpc(dropbox, 'files/list_folder/continue', { cursor });
      expect(reset.status).toBe(409);
      expect(reset.json()).toEqual({ error_summary: expect.stringMatching(/^reset\/\.+$/), error: { '.tag': 'reset' } });
    }
    const again = await listFolder({ path: '' });
    expect((await listContinue(again.cursor)).entries).toEqual([]);
  });

  it('rejects a cursor it never issued with a 400', async () => {
    const response = await rpc(dropbox, 'files/list_folder/continue', { cursor: 'garbage' });
    expect(response.status).toBe(400);
    const empty = await rpc(dropbox, 'files/list_folder/continue', { cursor: '' });
    expect(empty.status).toBe(400);
  });
});
