import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropboxContentHash, startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { download, rpc, upload } from './dropbox-calls.ts';

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake({ seed: { '/Reports/Q1.csv': 'id,total\n1,9\n', '/Reports/Archive/': null } });
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('files/upload', () => {
  it('creates a file with parents and returns FileMetadata without .tag', async () => {
    const response = await upload(dropbox, 'files/upload', { path: '/New/Dir/Data.JSONL', client_modified: '2024-01-02T03:04:05Z' }, '{"a":1}\n');
    expect(response.status).toBe(200);
    const metadata = response.json();
    expect(metadata).not.toHaveProperty('.tag');
    expect(metadata).toMatchObject({
      name: 'Data.JSONL',
      path_lower: '/new/dir/data.jsonl',
      path_display: '/New/Dir/Data.JSONL',
      size: 8,
      is_downloadable: true,
      client_modified: '2024-01-02T03:04:05Z',
      content_hash: dropboxContentHash(Buffer.from('{"a":1}\n')),
    });
    expect(metadata.id).toMatch(/^id:.+/);
    expect(metadata.rev).toMatch(/^[0-9a-f]{9,}$/);
    expect(metadata.server_modified).toMatch(TIMESTAMP);
    expect(dropbox.state.readFile('/new/DIR/data.jsonl')?.toString()).toBe('{"a":1}\n');
    expect(dropbox.state.getMetadata('/new/dir')).toMatchObject({ path_display: '/New/Dir' });
  });

  it('add: conflicts on different content, autorenames to "name (2).ext", keeps identical content', async () => {
    const conflict = await upload(dropbox, 'files/upload', { path: '/reports/q1.csv', mode: 'add' }, 'other');
    expect(conflict.status).toBe(409);
    const error = conflict.json();
    expect(error.error_summary).toMatch(/^path\/conflict\/file\/\.+$/);
    expect(error.error).toMatchObject({ '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
    expect(error.error.upload_session_id).toEqual(expect.any(String));

    const renamed = await upload(dropbox, 'files/upload', { path: '/reports/q1.csv', mode: 'add', autorename: true }, 'other');
    // The new name follows the requested casing; the existing parent keeps its own.
    expect(renamed.json().path_display).toBe('/Reports/q1 (2).csv');
    const renamedAgain = await upload(dropbox, 'files/upload', { path: '/reports/q1.csv', autorename: true }, 'third');
    expect(renamedAgain.json().path_display).toBe('/Reports/q1 (3).csv');

    const before = dropbox.state.getMetadata('/reports/q1.csv');
    const identical = await upload(dropbox, 'files/upload', { path: '/reports/q1.csv', mode: 'add' }, 'id,total\n1,9\n');
    expect(identical.status).toBe(200);
    expect(identical.json().rev).toBe((before as { rev: string }).rev);
    const strict = await upload(dropbox, 'files/upload', { path: '/reports/q1.csv', mode: 'add', strict_conflict: true }, 'id,total\n1,9\n');
    expect(strict.status).toBe(409);
  });

  it('a failed upload keeps its bytes in a session that finish can commit elsewhere', async () => {
    const conflict = await upload(dropbox, 'files/upload', { path: '/Reports/Q1.csv' }, 'kept bytes');
    const sessionId = conflict.json().error.upload_session_id;
    const finished = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 10 }, commit: { path: '/Reports/Q1-b.csv' } }, '');
    expect(finished.status).toBe(200);
    expect(dropbox.state.readFile('/reports/q1-b.csv')?.toString()).toBe('kept bytes');
  });

  it('overwrite replaces content keeping the id and the existing name casing', async () => {
    const before = dropbox.state.getMetadata('/Reports/Q1.csv') as { id: string; rev: string };
    const response = await upload(dropbox, 'files/upload', { path: '/REPORTS/q1.CSV', mode: 'overwrite' }, 'new');
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ id: before.id, path_display: '/Reports/Q1.csv', size: 3 });
    expect(response.json().rev).not.toBe(before.rev);
    expect(dropbox.state.readFile('/reports/q1.csv')?.toString()).toBe('new');
  });

  it('update overwrites only on the current rev, else conflicts or makes a conflicted copy', async () => {
    const { rev } = dropbox.state.getMetadata('/Reports/Q1.csv') as { rev: string };
    const updated = await upload(dropbox, 'files/upload', { path: '/Reports/Q1.csv', mode: { '.tag': 'update', update: rev } }, 'v2');
    expect(updated.status).toBe(200);
    const stale = await upload(dropbox, 'files/upload', { path: '/Reports/Q1.csv', mode: { '.tag': 'update', update: rev } }, 'v3');
    expect(stale.status).toBe(409);
    expect(stale.json().error.reason).toEqual({ '.tag': 'conflict', conflict: { '.tag': 'file' } });
    const copy = await upload(dropbox, 'files/upload', { path: '/Reports/Q1.csv', mode: { '.tag': 'update', update: rev }, autorename: true }, 'v3');
    expect(copy.json().path_display).toBe('/Reports/Q1 (conflicted copy).csv');
    const strictMissing = await upload(dropbox, 'files/upload', { path: '/Reports/gone.csv', mode: { '.tag': 'update', update: rev }, strict_conflict: true }, 'x');
    expect(strictMissing.status).toBe(409);
    const lenientMissing = await upload(dropbox, 'files/upload', { path: '/Reports/gone.csv', mode: { '.tag': 'update', update: rev } }, 'x');
    expect(lenientMissing.status).toBe(200);
  });

  it('a folder in the way or a file ancestor is a conflict in every mode', async () => {
    const folder = await upload(dropbox, 'files/upload', { path: '/reports/archive', mode: 'overwrite' }, 'x');
    expect(folder.json().error.reason.conflict).toEqual({ '.tag': 'folder' });
    const ancestor = await upload(dropbox, 'files/upload', { path: '/Reports/Q1.csv/inner.txt', mode: 'overwrite' }, 'x');
    expect(ancestor.json().error.reason.conflict).toEqual({ '.tag': 'file_ancestor' });
  });

  it('checks content_hash against the body and limits the request size', async () => {
    const good = await upload(dropbox, 'files/upload', { path: '/h.txt', content_hash: dropboxContentHash(Buffer.from('hash me')) }, 'hash me');
    expect(good.status).toBe(200);
    const bad = await upload(dropbox, 'files/upload', { path: '/h2.txt', content_hash: dropboxContentHash(Buffer.from('other')) }, 'hash me');
    expect(bad.status).toBe(409);
    expect(bad.json().error).toEqual({ '.tag': 'content_hash_mismatch' });
    expect(dropbox.state.getMetadata('/h2.txt')).toBeUndefined();

    const small = await startDropboxFake({ maxRequestBodyBytes: 10 });
    try {
      const tooLarge = await upload(small, 'files/upload', { path: '/big.bin' }, Buffer.alloc(11));
      expect(tooLarge.status).toBe(409);
      expect(tooLarge.json().error).toEqual({ '.tag': 'payload_too_large' });
    } finally {
      await small.close();
    }
  });

  it('reports a malformed path as a WriteError', async () => {
    const response = await upload(dropbox, 'files/upload', { path: '/a//b.txt' }, 'x');
    expect(response.status).toBe(409);
    expect(response.json().error.reason).toEqual({ '.tag': 'malformed_path' });
  });
});

describe('files/download', () => {
  it('streams the bytes with FileMetadata in Dropbox-API-Result, by path (any case), id and rev', async () => {
    const byPath = await download(dropbox, { path: '/reports/Q1.CSV' });
    expect(byPath.status).toBe(200);
    expect(byPath.headers['content-type']).toBe('application/octet-stream');
    expect(byPath.text).toBe('id,total\n1,9\n');
    const metadata = JSON.parse(byPath.headers['dropbox-api-result'] as string);
    expect(metadata).toMatchObject({ name: 'Q1.csv', path_display: '/Reports/Q1.csv', size: 13 });
    expect(metadata).not.toHaveProperty('.tag');

    const byId = await download(dropbox, { path: metadata.id });
    expect(byId.text).toBe('id,total\n1,9\n');

    dropbox.state.putFile('/Reports/Q1.csv', 'changed');
    const oldRev = await download(dropbox, { path: `rev:${metadata.rev}` });
    expect(oldRev.status).toBe(200);
    expect(oldRev.text).toBe('id,total\n1,9\n');
  });

  it('answers not_found and not_file as 409 path errors', async () => {
    const missing = await download(dropbox, { path: '/nope.txt' });
    expect(missing.status).toBe(409);
    expect(missing.json()).toMatchObject({ error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
    expect(missing.json().error_summary).toMatch(/^path\/not_found\//);
    const folder = await download(dropbox, { path: '/Reports' });
    expect(folder.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_file' } });
  });

  it('honours Range and If-None-Match', async () => {
    const partial = await download(dropbox, { path: '/Reports/Q1.csv' }, { headers: { Range: 'bytes=3-7' } });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-range']).toBe('bytes 3-7/13');
    expect(partial.text).toBe('total');
    const full = await download(dropbox, { path: '/Reports/Q1.csv' });
    const cached = await download(dropbox, { path: '/Reports/Q1.csv' }, { method: 'GET', headers: { 'If-None-Match': full.headers.etag as string } });
    expect(cached.status).toBe(304);
    expect(cached.body.length).toBe(0);
  });
});

describe('files/delete_v2 and files/create_folder_v2', () => {
  it('deletes a folder with its contents and returns its metadata from before, tagged', async () => {
    const response = await rpc(dropbox, 'files/delete_v2', { path: '/reports' });
    expect(response.status).toBe(200);
    expect(response.json().metadata).toMatchObject({ '.tag': 'folder', name: 'Reports', path_display: '/Reports' });
    expect(dropbox.state.listPaths()).toEqual([]);
  });

  it('deletes a file only when parent_rev matches', async () => {
    const { rev } = dropbox.state.getMetadata('/Reports/Q1.csv') as { rev: string };
    const stale = await rpc(dropbox, 'files/delete_v2', { path: '/Reports/Q1.csv', parent_rev: 'abcdef0123' });
    expect(stale.status).toBe(409);
    expect(stale.json().error['.tag']).toBe('path_write');
    const ok = await rpc(dropbox, 'files/delete_v2', { path: '/Reports/Q1.csv', parent_rev: rev });
    expect(ok.json().metadata).toMatchObject({ '.tag': 'file', rev });
    const again = await rpc(dropbox, 'files/delete_v2', { path: '/Reports/Q1.csv' });
    expect(again.json().error_summary).toMatch(/^path_lookup\/not_found\//);
  });

  it('creates folders with parents and reports conflicts as path/conflict/…', async () => {
    const created = await rpc(dropbox, 'files/create_folder_v2', { path: '/a/B/c' });
    expect(created.status).toBe(200);
    expect(created.json().metadata).toMatchObject({ name: 'c', path_lower: '/a/b/c', path_display: '/a/B/c' });
    expect(created.json().metadata).not.toHaveProperty('.tag');
    expect(dropbox.state.listPaths()).toContain('/a/B/');

    const exists = await rpc(dropbox, 'files/create_folder_v2', { path: '/A/b/C' });
    expect(exists.status).toBe(409);
    expect(exists.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } });
    expect(exists.json().error_summary).toMatch(/^path\/conflict\/folder\//);
    const fileThere = await rpc(dropbox, 'files/create_folder_v2', { path: '/Reports/Q1.csv' });
    expect(fileThere.json().error.path.conflict).toEqual({ '.tag': 'file' });
    const renamed = await rpc(dropbox, 'files/create_folder_v2', { path: '/a/b/c', autorename: true });
    expect(renamed.json().metadata.path_display).toBe('/a/B/c (2)');
    const rootInvalid = await rpc(dropbox, 'files/create_folder_v2', { path: '' });
    expect(rootInvalid.status).toBe(400);
  });
});
