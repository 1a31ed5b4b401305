/**
 * files/upload_session/append_v2: appends the body at `cursor.offset`. A sequential session
 * takes only the offset it has reached (else `incorrect_offset` with `correct_offset`); a
 * concurrent one takes 4 MiB-aligned pieces in any order. A rejected body is not kept.
 */
import { DropboxContentHasher } from '../content-hash.ts';
import { drainBody, receiveBody } from '../request-body.ts';
import type { UploadSessionAppendArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import type { ConcurrentSession, SequentialSession } from '../upload-sessions.ts';
import { appendToSequential, CONCURRENT_PIECE_UNIT, MAX_SESSION_FILE_SIZE } from '../upload-sessions.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';
import type { UnionJson } from '../metadata-types.ts';

export async function handleUploadSessionAppend(call: RouteCall<UploadSessionAppendArg>): Promise<void> {
  const session = call.fake.sessions.get(call.arg.cursor.session_id);
  if (session === undefined || session.committed) {
    call.record.bodyBytes = await drainBody(call.req);
    return sendRouteError(call.res, { '.tag': session === undefined ? 'not_found' : 'closed' });
  }
  const error = session.kind === 'sequential' ? await appendSequential(call, session) : await appendConcurrent(call, session);
  if (error !== null) return sendRouteError(call.res, error);
  sendResult(call.res, null);
}

async function appendSequential(call: RouteCall<UploadSessionAppendArg>, session: SequentialSession): Promise<UnionJson | null> {
  const { arg } = call;
  if (session.closed || session.size !== arg.cursor.offset) {
    call.record.bodyBytes = await drainBody(call.req);
    return session.closed ? { '.tag': 'closed' } : { '.tag': 'incorrect_offset', correct_offset: session.size };
  }
  const tentative = session.hasher.copy();
  const requestHasher = arg.content_hash === undefined ? null : new DropboxContentHasher();
  const body = await receiveBody(call.req, {
    limit: call.fake.settings.maxRequestBodyBytes,
    onChunk: (chunk) => {
      tentative.update(chunk);
      requestHasher?.update(chunk);
    },
  });
  call.record.bodyBytes = body.size;
  if (body.overLimit) return { '.tag': 'payload_too_large' };
  if (requestHasher !== null && requestHasher.digestHex() !== arg.content_hash) return { '.tag': 'content_hash_mismatch' };
  // Another append may have landed while this body streamed in.
  if (session.closed) return { '.tag': 'closed' };
  if (session.size !== arg.cursor.offset) return { '.tag': 'incorrect_offset', correct_offset: session.size };
  if (session.size + body.size > MAX_SESSION_FILE_SIZE) return { '.tag': 'too_large' };
  appendToSequential(session, body.chunks, body.size, tentative);
  if (arg.close) session.closed = true;
  return null;
}

async function appendConcurrent(call: RouteCall<UploadSessionAppendArg>, session: ConcurrentSession): Promise<UnionJson | null> {
  const { arg } = call;
  const offset = arg.cursor.offset;
  if (offset % CONCURRENT_PIECE_UNIT !== 0) {
    call.record.bodyBytes = await drainBody(call.req);
    return { '.tag': 'concurrent_session_invalid_offset' };
  }
  const requestHasher = arg.content_hash === undefined ? null : new DropboxContentHasher();
  const body = await receiveBody(call.req, { limit: call.fake.settings.maxRequestBodyBytes, onChunk: (chunk) => requestHasher?.update(chunk) });
  call.record.bodyBytes = body.size;
  if (body.overLimit) return { '.tag': 'payload_too_large' };
  if (!arg.close && body.size % CONCURRENT_PIECE_UNIT !== 0) return { '.tag': 'concurrent_session_invalid_data_size' };
  if (requestHasher !== null && requestHasher.digestHex() !== arg.content_hash) return { '.tag': 'content_hash_mismatch' };
  // Pieces may arrive after the closing one, but not beyond the end it set.
  if (session.closed && (arg.close || session.end === null || offset + body.size > session.end)) return { '.tag': 'closed' };
  if (offset + body.size > MAX_SESSION_FILE_SIZE) return { '.tag': 'too_large' };
  session.pieces.set(offset, { chunks: body.chunks, size: body.size });
  if (arg.close) {
    session.closed = true;
    session.end = offset + body.size;
  }
  return null;
}
