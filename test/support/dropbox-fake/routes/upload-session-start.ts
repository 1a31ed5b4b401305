/**
 * files/upload_session/start: opens a sequential session holding the first chunk (maybe empty),
 * or a concurrent session, which takes no data and cannot start closed.
 */
import { DropboxContentHasher } from '../content-hash.ts';
import { receiveBody } from '../request-body.ts';
import type { UploadSessionStartArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { appendToSequential } from '../upload-sessions.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';

export async function handleUploadSessionStart(call: RouteCall<UploadSessionStartArg>): Promise<void> {
  const { arg, fake, res } = call;
  if (arg.session_type?.['.tag'] === 'concurrent') {
    const body = await receiveBody(call.req, { keep: false });
    call.record.bodyBytes = body.size;
    if (body.size > 0) return sendRouteError(res, { '.tag': 'concurrent_session_data_not_allowed' });
    if (arg.close) return sendRouteError(res, { '.tag': 'concurrent_session_close_not_allowed' });
    return sendResult(res, { session_id: fake.sessions.startConcurrent().id });
  }
  const hasher = new DropboxContentHasher();
  const body = await receiveBody(call.req, { limit: fake.settings.maxRequestBodyBytes, onChunk: (chunk) => hasher.update(chunk) });
  call.record.bodyBytes = body.size;
  if (body.overLimit) return sendRouteError(res, { '.tag': 'payload_too_large' });
  // The first chunk is the whole session so far: its request hash equals the running hash.
  if (arg.content_hash !== undefined && arg.content_hash !== hasher.copy().digestHex()) {
    return sendRouteError(res, { '.tag': 'content_hash_mismatch' });
  }
  const session = fake.sessions.startSequential();
  appendToSequential(session, body.chunks, body.size, hasher);
  session.closed = arg.close;
  sendResult(res, { session_id: session.id });
}
