/**
 * Streams a request body: chunks are kept as they arrive (never concatenated) and passed to an
 * optional observer (the content hashers). Past `limit` bytes nothing more is kept, but the body
 * is still read to its end so the answer reaches a client that is still sending.
 */
import type { IncomingMessage } from 'node:http';

/** A body read to its end. */
export interface ReceivedBody {
  /** The kept chunks (empty when `keep` was false or the limit was passed). */
  readonly chunks: Buffer[];
  /** Bytes received, including any past the limit. */
  readonly size: number;
  /** Whether the body was longer than `limit`. */
  readonly overLimit: boolean;
}

/** Options of `receiveBody`. */
export interface ReceiveBodyOptions {
  /** Bytes to accept; more makes `overLimit` true. @default Infinity */
  readonly limit?: number;
  /** Keep the chunks. @default true */
  readonly keep?: boolean;
  /** Sees every accepted chunk in order (not called past the limit). */
  readonly onChunk?: (chunk: Buffer) => void;
}

/** Reads `req` to its end. Rejects if the client aborts. */
export async function receiveBody(req: IncomingMessage, options: ReceiveBodyOptions = {}): Promise<ReceivedBody> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const keep = options.keep ?? true;
  const chunks: Buffer[] = [];
  let size = 0;
  let overLimit = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (overLimit) continue;
    if (size > limit) {
      overLimit = true;
      chunks.length = 0;
      continue;
    }
    if (keep) chunks.push(chunk);
    options.onChunk?.(chunk);
  }
  return { chunks, size, overLimit };
}

/** Reads and discards the rest of a body. */
export async function drainBody(req: IncomingMessage): Promise<number> {
  return (await receiveBody(req, { keep: false })).size;
}

/** A whole small body as one Buffer (RPC JSON, oauth2 forms). */
export async function receiveSmallBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const body = await receiveBody(req, { limit });
  return body.overLimit ? null : Buffer.concat(body.chunks, body.size);
}
