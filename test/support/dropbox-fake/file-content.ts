/**
 * The bytes of one file revision, kept as the chunk list they arrived in (NOTE: an upload of
 * hundreds of MB is never concatenated; appending a session chunk is a push, not a copy).
 */
import { dropboxContentHash } from './content-hash.ts';

/** Immutable file content: chunks in order, their total size and the content_hash. */
export interface FileContent {
  readonly chunks: readonly Buffer[];
  readonly size: number;
  readonly contentHash: string;
}

/** Content from a string (UTF-8) or bytes, hashed once. */
export function fileContentOf(data: string | Uint8Array): FileContent {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { chunks: [buffer], size: buffer.length, contentHash: dropboxContentHash(buffer) };
}

/** The content as one Buffer (test-side convenience; copies). */
export function contentToBuffer(content: FileContent): Buffer {
  return content.chunks.length === 1 ? Buffer.from(content.chunks[0]!) : Buffer.concat(content.chunks as Buffer[], content.size);
}

/** Yields the bytes in [start, end) without copying (views into the stored chunks). */
export function* contentSlices(content: FileContent, start: number, end: number): Generator<Buffer> {
  let chunkStart = 0;
  for (const chunk of content.chunks) {
    const chunkEnd = chunkStart + chunk.length;
    if (chunkEnd > start && chunkStart < end) {
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end, chunkEnd) - chunkStart;
      yield from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    }
    if (chunkEnd >= end) return;
    chunkStart = chunkEnd;
  }
}
