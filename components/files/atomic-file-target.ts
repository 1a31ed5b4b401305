/**
 * One output file written atomically (SPEC §7 **must**):
 *
 * - a new or replaced file is written to a temporary file in the target's directory
 *   (`.NAME.<random>.trefoil-part`, hidden from globs) and renamed over the target by `publish()`
 *   once the component succeeded; `discard()` removes it, so a failure leaves no partial file and
 *   an existing file unchanged;
 * - with `append` to an existing file the bytes go to the file itself, whose original length is
 *   remembered: `discard()` truncates it back, so a failure leaves it as it was.
 *
 * Life cycle: `open` → `append…` (buffered) → `close()` (flushes, closes the descriptor) →
 * `publish()` (renames) — or `discard()` at any point. Text is collected in a string until
 * FLUSH_THRESHOLD characters and then written in one call; the write stream (and gzip, when
 * compressing) apply backpressure: after `append…` check `mustWait` and await `drained()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { fileSystemError, systemCode } from './file-system-error.ts';

/**
 * Characters collected before they are handed to the stream (which encodes them at once).
 * NOTE: small on purpose: a pending string is a rope of every row's pieces, and while it lives
 * the young-generation GC copies it again and again; handed over early, the text lives on as a
 * Buffer outside the JS heap. 64 Ki measured ~10% less CPU than 256 Ki on
 * test/bench/files-bench.ts.
 */
const FLUSH_THRESHOLD = 64 * 1024;
/** Bytes the stream buffers before `mustWait` (one fs write gathers them, via writev). */
const STREAM_HIGH_WATER_MARK = 256 * 1024;

export interface AtomicFileOptions {
  /** Add to an existing file instead of replacing it. */
  readonly append: boolean;
  /** Create missing parent directories. */
  readonly makeDirs: boolean;
  /** gzip-compress what is written (with append: a new gzip member, which gunzip reads on). */
  readonly gzip: boolean;
}

/** Suffix of temporary files; they also start with `.`, so globs and listings skip them. */
export const TEMPORARY_SUFFIX = '.trefoil-part';

export class AtomicFileTarget {
  /** The file's final path. */
  readonly path: string;
  /** True when appending to a file that already had content. */
  readonly appendsToContent: boolean;
  /** Records written to this file (kept by the caller). */
  records = 0;
  /** Where bytes go until `publish()`; null when appending in place. */
  readonly #temporary: string | null;
  /** Length of the existing file before appending (for `discard()`). */
  readonly #originalLength: number;
  readonly #file: WriteStream;
  /** What `append` writes into: the file stream, or gzip in front of it. */
  readonly #head: Writable;
  #pending = '';
  #failure: Error | undefined;
  #state: 'open' | 'closed' | 'published' | 'discarded' = 'open';

  private constructor(path: string, temporary: string | null, originalLength: number, handle: FileHandle, gzip: boolean) {
    this.path = path;
    this.#temporary = temporary;
    this.#originalLength = originalLength;
    this.appendsToContent = temporary === null && originalLength > 0;
    this.#file = handle.createWriteStream({ highWaterMark: STREAM_HIGH_WATER_MARK });
    this.#file.on('error', (error) => (this.#failure ??= fileSystemError(error, path, 'write')));
    if (gzip) {
      const compressor = createGzip({ chunkSize: 256 * 1024 });
      compressor.on('error', (error) => (this.#failure ??= fileSystemError(error, path, 'write')));
      compressor.pipe(this.#file);
      this.#head = compressor;
    } else {
      this.#head = this.#file;
    }
  }

  /**
   * Opens the temporary file (or the file itself, to append).
   * @throws TrefoilError `TREFOIL_ERR_FILES_WRITE` (missing directory without makeDirs, no
   *   permission), `TREFOIL_ERR_FILES_IS_DIRECTORY` when the target is a directory
   */
  static async open(path: string, options: AtomicFileOptions): Promise<AtomicFileTarget> {
    const directory = dirname(path);
    if (options.makeDirs) {
      await mkdir(directory, { recursive: true }).catch((error: unknown) => {
        const code = systemCode(error);
        if (code === 'EEXIST' || code === 'ENOTDIR') {
          throw new TrefoilError('TREFOIL_ERR_FILES_NOT_DIRECTORY', `cannot write ${path}: a parent of it is a file, not a directory`, { file: path }, { cause: error });
        }
        throw fileSystemError(error, path, 'write', ' (creating its directory)');
      });
    }
    const existing = await stat(path).catch((error: unknown) => {
      if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return undefined;
      throw fileSystemError(error, path, 'write');
    });
    if (existing?.isDirectory()) throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `cannot write ${path}: it is a directory`, { file: path });
    const inPlace = options.append && existing !== undefined;
    const temporary = inPlace ? null : join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`);
    let handle: FileHandle;
    try {
      handle = await open(temporary ?? path, inPlace ? 'a' : 'wx', existing?.mode ?? 0o666);
    } catch (error) {
      const missingDirectory = systemCode(error) === 'ENOENT' && !options.makeDirs;
      throw fileSystemError(error, path, 'write', missingDirectory ? ` (the directory ${directory} does not exist; set makeDirs: true)` : '');
    }
    return new AtomicFileTarget(path, temporary, inPlace ? existing!.size : 0, handle, options.gzip);
  }

  /** Adds text (UTF-8). Cheap: strings are joined and written in large blocks. */
  append(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= FLUSH_THRESHOLD) this.#flushText();
  }

  /** Adds bytes as they are. */
  appendBytes(bytes: Uint8Array): void {
    if (this.#pending.length > 0) this.#flushText();
    if (bytes.length > 0) this.#head.write(bytes);
  }

  /** True when the stream is above its high-water mark: await `drained()` before appending more. */
  get mustWait(): boolean {
    if (this.#failure !== undefined) throw this.#failure;
    return this.#head.writableNeedDrain;
  }

  /** Resolves when the stream has room again. */
  async drained(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if (!this.#head.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#head.off('drain', done);
        this.#head.off('error', done);
        this.#file.off('error', done);
        resolve();
      };
      this.#head.on('drain', done);
      this.#head.on('error', done);
      this.#file.on('error', done);
    });
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Writes what is buffered and closes the file; the target is not yet in place.
   * @returns the bytes written to disk (compressed size when compressing)
   */
  async close(): Promise<number> {
    if (this.#state !== 'open') throw new Error(`AtomicFileTarget.close() when ${this.#state}`);
    this.#flushText();
    await new Promise<void>((resolve) => {
      const done = (): void => resolve();
      this.#file.once('close', done);
      this.#file.once('error', done);
      this.#head.once('error', done);
      this.#head.end();
    });
    if (this.#failure !== undefined) throw this.#failure;
    this.#state = 'closed';
    return this.#file.bytesWritten;
  }

  /** Moves the closed temporary file into place (nothing to do when appending in place). */
  async publish(): Promise<void> {
    if (this.#state !== 'closed') throw new Error(`AtomicFileTarget.publish() when ${this.#state}`);
    if (this.#temporary !== null) {
      await rename(this.#temporary, this.path).catch((error: unknown) => {
        throw fileSystemError(error, this.path, 'write');
      });
    }
    this.#state = 'published';
  }

  /** Undoes everything: removes the temporary file, or truncates an appended file back. Idempotent. */
  async discard(): Promise<void> {
    if (this.#state === 'published' || this.#state === 'discarded') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'discarded';
    if (wasOpen) {
      this.#pending = '';
      await new Promise<void>((resolve) => {
        if (this.#file.closed) return resolve();
        this.#file.once('close', () => resolve());
        this.#head.destroy();
        this.#file.destroy();
      });
    }
    if (this.#temporary !== null) await rm(this.#temporary, { force: true });
    else await truncate(this.path, this.#originalLength);
  }

  #flushText(): void {
    if (this.#pending.length === 0) return;
    this.#head.write(this.#pending);
    this.#pending = '';
  }
}
