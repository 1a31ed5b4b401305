/**
 * files/upload (content host, upload style): the body streams into the content hasher and a
 * chunk list; the commit follows the WriteMode rules. A failed write keeps the bytes in a new
 * upload session whose id the 409 carries (UploadWriteFailed), as the real server does.
 */
import { DropboxContentHasher } from '../content-hash.ts';
import { receiveBody } from '../request-body.ts';
import type { UploadArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { appendToSequential } from '../upload-sessions.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';
import { commitOptionsOf } from './commit-info.ts';

export async function handleUpload(call: RouteCall<UploadArg>): Promise<void> {
  const { arg, fake, res } = call;
  const hasher = new DropboxContentHasher();
  const body = await receiveBody(call.req, { limit: fake.settings.maxRequestBodyBytes, onChunk: (chunk) => hasher.update(chunk) });
  call.record.bodyBytes = body.size;
  if (body.overLimit) return sendRouteError(res, { '.tag': 'payload_too_large' });
  const sessionHasher = hasher.copy();
  const contentHash = hasher.digestHex();
  if (arg.content_hash !== undefined && arg.content_hash !== contentHash) return sendRouteError(res, { '.tag': 'content_hash_mismatch' });
  const outcome = fake.tree.writeFile(arg.path, { chunks: body.chunks, size: body.size, contentHash }, commitOptionsOf(arg));
  if (outcome.ok) return sendResult(res, outcome.value);
  const session = fake.sessions.startSequential();
  appendToSequential(session, body.chunks, body.size, sessionHasher);
  sendRouteError(res, { '.tag': 'path', reason: outcome.error, upload_session_id: session.id });
}
