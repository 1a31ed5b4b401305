/**
 * files/upload_session/finish: appends the final body (sequential sessions), then commits the
 * session's bytes under the CommitInfo rules. Lookup problems are `lookup_failed/…`; a write
 * problem is `path/…` and leaves the session open with the data appended, so the client can
 * retry with an empty body and the new offset.
 */
import { DropboxContentHasher } from '../content-hash.ts';
import type { FileContent } from '../file-content.ts';
import type { UnionJson } from '../metadata-types.ts';
import { drainBody, receiveBody } from '../request-body.ts';
import type { UploadSessionFinishArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import type { ConcurrentSession, SequentialSession } from '../upload-sessions.ts';
import { appendToSequential, concurrentContent, MAX_SESSION_FILE_SIZE, sequentialContent } from '../upload-sessions.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';
import { commitOptionsOf } from './commit-info.ts';

function lookupFailed(reason: UnionJson): UnionJson {
  return { '.tag': 'lookup_failed', lookup_failed: reason };
}

export async function handleUploadSessionFinish(call: RouteCall<UploadSessionFinishArg>): Promise<void> {
  const { arg, fake, res } = call;
  const session = fake.sessions.get(arg.cursor.session_id);
  if (session === undefined || session.committed) {
    call.record.bodyBytes = await drainBody(call.req);
    return sendRouteError(res, lookupFailed({ '.tag': session === undefined ? 'not_found' : 'closed' }));
  }
  const content = session.kind === 'sequential' ? await finishSequential(call, session) : await finishConcurrent(call, session);
  if ('.tag' in content) return sendRouteError(res, content);
  const outcome = fake.tree.writeFile(arg.commit.path, content, commitOptionsOf(arg.commit));
  if (!outcome.ok) return sendRouteError(res, { '.tag': 'path', path: outcome.error });
  session.committed = true;
  session.closed = true;
  sendResult(res, outcome.value);
}

async function finishSequential(call: RouteCall<UploadSessionFinishArg>, session: SequentialSession): Promise<FileContent | UnionJson> {
  const { arg } = call;
  if (session.size !== arg.cursor.offset) {
    call.record.bodyBytes = await drainBody(call.req);
    return lookupFailed({ '.tag': 'incorrect_offset', correct_offset: session.size });
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
  if (session.closed && body.size > 0) return lookupFailed({ '.tag': 'closed' });
  if (requestHasher !== null && requestHasher.digestHex() !== arg.content_hash) return { '.tag': 'content_hash_mismatch' };
  if (session.size !== arg.cursor.offset) return lookupFailed({ '.tag': 'incorrect_offset', correct_offset: session.size });
  if (session.size + body.size > MAX_SESSION_FILE_SIZE) return lookupFailed({ '.tag': 'too_large' });
  appendToSequential(session, body.chunks, body.size, tentative);
  return sequentialContent(session);
}

async function finishConcurrent(call: RouteCall<UploadSessionFinishArg>, session: ConcurrentSession): Promise<FileContent | UnionJson> {
  const size = await drainBody(call.req);
  call.record.bodyBytes = size;
  if (size > 0) return { '.tag': 'concurrent_session_data_not_allowed' };
  if (!session.closed) return { '.tag': 'concurrent_session_not_closed' };
  const content = concurrentContent(session);
  if (content === null) return { '.tag': 'concurrent_session_missing_data' };
  if (call.arg.cursor.offset !== content.size) return lookupFailed({ '.tag': 'incorrect_offset', correct_offset: content.size });
  return content;
}
