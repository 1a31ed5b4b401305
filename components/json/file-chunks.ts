/**
 * The bytes of an uncompressed JSON file for the streaming parser, read block by block into one
 * reused buffer. The parser keeps nothing of a chunk once `write` returns (strings and numbers
 * that span chunks are copied into its own scratch), so a fresh buffer per read would only be
 * garbage. Compressed files go through `readFileBytes` (components/files/file-byte-source.ts).
 */
import { open } from 'node:fs/promises';
import { fileSystemError } from '../files/file-system-error.ts';

/** Bytes per read. */
export const FILE_BLOCK_SIZE = 256 * 1024;

/**
 * Yields the file's bytes. Each chunk is valid only until the next one is requested: consume it
 * synchronously (as `StreamingJsonParser.write` does). Stops with the abort reason when `signal` fires.
 * @throws TrefoilError `TREFOIL_ERR_FILES_NOT_FOUND`, `…_IS_DIRECTORY`, `…_READ`
 */
export async function* reusedBufferChunks(path: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileSystemError(error, path, 'read');
  }
  try {
    const block = Buffer.allocUnsafe(FILE_BLOCK_SIZE);
    for (;;) {
      signal.throwIfAborted();
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(block, 0, block.length, null));
      } catch (error) {
        throw fileSystemError(error, path, 'read');
      }
      if (bytesRead === 0) return;
      yield bytesRead === block.length ? block : block.subarray(0, bytesRead);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}
