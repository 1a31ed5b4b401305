import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_HASH_BLOCK_SIZE, dropboxContentHash, startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { upload } from './dropbox-calls.ts';

let dropbox: DropboxFake;
beforeEach(async () => {
  dropbox = await startDropboxFake();
});
afterEach(async () => {
  expect(dropbox.serverErrors).toEqual([]);
  await dropbox.close();
});

async function start(data: string | Buffer = '', arg: object = {}): Promise<string> {
  const response = await upload(dropbox, 'files/upload_session/start', arg, data);
  expect(response.status).toBe(200);
  return response.json().session_id;
}

describe('upload sessions (sequential)', () => {
  it('builds a file from start + append_v2 chunks + finish, and the log shows each offset', async () => {
    const data = Buffer.alloc(3 * CONTENT_HASH_BLOCK_SIZE + 12345);
    for (let index = 0; index < data.length; index++) data[index] = (index * 31) % 256;
    const chunk = 4 * 1024 * 1024;
    const sessionId = await start(data.subarray(0, chunk));
    let offset = chunk;
    while (data.length - offset > chunk) {
      const appended = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset }, close: false }, data.subarray(offset, offset + chunk));
      expect(appended.status).toBe(200);
      expect(appended.text).toBe('null');
      offset += chunk;
    }
    const finished = await upload(
      dropbox,
      'files/upload_session/finish',
      { cursor: { session_id: sessionId, offset }, commit: { path: '/Big/data.bin', mode: 'overwrite' } },
      data.subarray(offset),
    );
    expect(finished.status).toBe(200);
    expect(finished.json()).toMatchObject({ path_display: '/Big/data.bin', size: data.length, content_hash: dropboxContentHash(data) });
    expect(dropbox.state.readFile('/big/data.bin')!.equals(data)).toBe(true);

    const appendOffsets = dropbox.requestsTo('files/upload_session/append_v2').map((record) => (record.arg as { cursor: { offset: number } }).cursor.offset);
    expect(appendOffsets).toEqual([chunk, 2 * chunk]);
    expect(dropbox.requestsTo('files/upload_session/append_v2').map((record) => record.bodyBytes)).toEqual([chunk, chunk]);
    expect(dropbox.requestsTo('files/upload_session/finish')[0]!.bodyBytes).toBe(data.length - 3 * chunk);
    expect(dropbox.openUploadSessions()).toEqual([]);
  });

  it('answers a wrong append offset with incorrect_offset and the correct offset, keeping nothing', async () => {
    const sessionId = await start('12345');
    const behind = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 0 } }, 'again');
    expect(behind.status).toBe(409);
    expect(behind.json()).toEqual({ error_summary: expect.stringMatching(/^incorrect_offset\/\.+$/), error: { '.tag': 'incorrect_offset', correct_offset: 5 } });
    const ahead = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 9 } }, 'x');
    expect(ahead.json().error.correct_offset).toBe(5);
    const right = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 5 } }, '678');
    expect(right.status).toBe(200);
    const finished = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 8 }, commit: { path: '/n.txt' } }, '');
    expect(finished.json().size).toBe(8);
    expect(dropbox.state.readFile('/n.txt')?.toString()).toBe('12345678');
  });

  it('checks the finish offset as lookup_failed/incorrect_offset', async () => {
    const sessionId = await start('abc');
    const response = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 2 }, commit: { path: '/f.txt' } }, 'd');
    expect(response.status).toBe(409);
    expect(response.json().error).toEqual({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 3 } });
    expect(response.json().error_summary).toMatch(/^lookup_failed\/incorrect_offset\//);
  });

  it('rejects appends after close and any use of an unknown or finished session', async () => {
    const sessionId = await start('ab');
    const closing = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 2 }, close: true }, 'cd');
    expect(closing.status).toBe(200);
    const afterClose = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 4 } }, 'ef');
    expect(afterClose.json().error).toEqual({ '.tag': 'closed' });
    const finishWithData = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 4 }, commit: { path: '/c.txt' } }, 'ef');
    expect(finishWithData.json().error).toEqual({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'closed' } });
    const finish = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 4 }, commit: { path: '/c.txt' } }, '');
    expect(finish.status).toBe(200);
    const reuse = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 4 } }, 'x');
    expect(reuse.json().error).toEqual({ '.tag': 'closed' });
    const unknown = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: 'pid_upload_session:nope', offset: 0 } }, 'x');
    expect(unknown.json().error).toEqual({ '.tag': 'not_found' });
    const unknownFinish = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: 'nope', offset: 0 }, commit: { path: '/x' } }, '');
    expect(unknownFinish.json().error).toEqual({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } });
  });

  it('drops an append whose content_hash does not match its body', async () => {
    const sessionId = await start('ab');
    const bad = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 2 }, content_hash: dropboxContentHash(Buffer.from('zz')) }, 'cd');
    expect(bad.json().error).toEqual({ '.tag': 'content_hash_mismatch' });
    const good = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 2 }, content_hash: dropboxContentHash(Buffer.from('cd')) }, 'cd');
    expect(good.status).toBe(200);
    const finished = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 4 }, commit: { path: '/h.txt' } }, '');
    expect(finished.json().content_hash).toBe(dropboxContentHash(Buffer.from('abcd')));
  });

  it('a commit conflict at finish answers path/conflict and keeps the session for a retry', async () => {
    dropbox.state.putFile('/taken.txt', 'old');
    const sessionId = await start('new');
    const conflict = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 3 }, commit: { path: '/taken.txt', mode: 'add' } }, '!');
    expect(conflict.status).toBe(409);
    expect(conflict.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
    const retry = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 4 }, commit: { path: '/taken.txt', mode: 'overwrite' } }, '');
    expect(retry.status).toBe(200);
    expect(dropbox.state.readFile('/taken.txt')?.toString()).toBe('new!');
  });
});

describe('upload sessions (concurrent)', () => {
  it('accepts 4 MiB-aligned pieces in any order and refuses data at start and finish', async () => {
    const unit = 4 * 1024 * 1024;
    const data = Buffer.alloc(2 * unit + 10, 7);
    expect((await upload(dropbox, 'files/upload_session/start', { session_type: 'concurrent' }, 'x')).json().error).toEqual({ '.tag': 'concurrent_session_data_not_allowed' });
    const sessionId = await start('', { session_type: 'concurrent' });
    const badSize = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 0 } }, Buffer.alloc(10));
    expect(badSize.json().error).toEqual({ '.tag': 'concurrent_session_invalid_data_size' });
    const badOffset = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 10 } }, Buffer.alloc(unit));
    expect(badOffset.json().error).toEqual({ '.tag': 'concurrent_session_invalid_offset' });
    const notClosed = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: 0 }, commit: { path: '/c.bin' } }, '');
    expect(notClosed.json().error).toEqual({ '.tag': 'concurrent_session_not_closed' });

    const last = await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 2 * unit }, close: true }, data.subarray(2 * unit));
    expect(last.status).toBe(200);
    await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: unit } }, data.subarray(unit, 2 * unit));
    const missing = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: data.length }, commit: { path: '/c.bin' } }, '');
    expect(missing.json().error).toEqual({ '.tag': 'concurrent_session_missing_data' });
    await upload(dropbox, 'files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: 0 } }, data.subarray(0, unit));
    const finished = await upload(dropbox, 'files/upload_session/finish', { cursor: { session_id: sessionId, offset: data.length }, commit: { path: '/c.bin' } }, '');
    expect(finished.status).toBe(200);
    expect(finished.json()).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
  });
});
