/**
 * The bytes of one input file, as a sequence of Buffers: read in large blocks, gunzipped
 * transparently when the name ends in `.gz`. Every failure is a TrefoilError naming the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { fileSystemError } from './file-system-error.ts';

/**
 * Bytes per read. NOTE: 256 KiB rather than 1 MiB: the same speed on test/bench/files-bench.ts,
 * ~40 MB less peak RSS (read blocks are external memory the GC frees late).
 */
export const READ_BLOCK_SIZE = 256 * 1024;

/** True when the file is read through gunzip. */
export function isGzipName(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/**
 * Opens `path` for reading and checks it is a regular file, so "not found" and "is a directory"
 * are reported before anything is read.
 */
async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileSystemError(error, path, 'read');
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `${path} is a directory, not a file`, { file: path });
  } catch (error) {
    await handle.close();
    throw fileSystemError(error, path, 'read');
  }
  return handle;
}

/**
 * Yields the file's bytes (decompressed for `.gz` names unless `decompress` is false). Each
 * yielded Buffer is fresh: the consumer may keep it. Stops with the abort reason when `signal`
 * fires.
 * @throws TrefoilError `TREFOIL_ERR_FILES_NOT_FOUND`, `…_IS_DIRECTORY`, `…_READ`, or
 *   `…_GZIP` for a corrupt or truncated gzip stream
 */
export async function* readFileBytes(path: string, signal: AbortSignal, decompress = isGzipName(path)): AsyncGenerator<Buffer> {
  const handle = await openRegularFile(path);
  try {
    if (decompress) {
      yield* gunzipped(handle, path, signal);
      return;
    }
    yield* blocks(handle, path, signal, false);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Yields an uncompressed file's bytes read into ONE reused buffer: each chunk is valid only
 * until the next is requested, so the consumer must take it synchronously (as
 * `StreamingJsonParser.write` does, copying what spans chunks). Saves a buffer's garbage per read.
 * @throws as `readFileBytes`
 */
export async function* reusedBufferChunks(path: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await openRegularFile(path);
  try {
    yield* blocks(handle, path, signal, true);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The read loop both share: fresh blocks, or one block reused. */
async function* blocks(handle: FileHandle, path: string, signal: AbortSignal, reuse: boolean): AsyncGenerator<Buffer> {
  let block = Buffer.allocUnsafe(READ_BLOCK_SIZE);
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
    if (!reuse) block = Buffer.allocUnsafe(READ_BLOCK_SIZE);
  }
}

async function* gunzipped(handle: FileHandle, path: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  const raw = handle.createReadStream({ highWaterMark: READ_BLOCK_SIZE, autoClose: false, start: 0 });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  let sourceError: unknown;
  raw.on('error', (error) => (sourceError = error));
  // NOTE: pipeline destroys the gunzip stream with the first error, so iterating it throws.
  pipeline(raw, gunzip, () => undefined);
  const onAbort = (): void => void gunzip.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (sourceError !== undefined) throw fileSystemError(sourceError, path, 'read');
    const reason = (error as Error).message === 'unexpected end of file' ? 'the compressed data is truncated' : (error as Error).message;
    throw new TrefoilError('TREFOIL_ERR_FILES_GZIP', `cannot read ${path} as gzip: ${reason}`, { file: path }, { cause: error });
  } finally {
    signal.removeEventListener('abort', onAbort);
    raw.destroy();
  }
}
