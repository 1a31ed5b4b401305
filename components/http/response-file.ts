/**
 * Streams a response body to a file atomically: the bytes go to a temporary file next to the
 * target, which is renamed into place only once the whole body arrived. On any failure (network,
 * decoding, disk, abort) the temporary file is removed and an existing target is untouched.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpRequestError, type HttpErrorContext } from './http-request-error.ts';
import { abandonBody } from './abandon-body.ts';

/** The file written and its size in bytes (after content decoding). */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
}

function fileError(context: HttpErrorContext, path: string, cause: unknown, hint = ''): HttpRequestError {
  const code = (cause as { code?: string }).code;
  return new HttpRequestError(
    'TREFOIL_ERR_HTTP_RESPONSE_FILE',
    `${context.method} ${context.url}: cannot write response file ${path}: ${code ?? String(cause)}${hint}`,
    context,
    { cause },
  );
}

/**
 * Writes `body` (through `decoders`) to `path` (resolved against the working directory).
 * Errors that are not about the file itself (the body stream failing) are rethrown unchanged for
 * the caller to classify; file-system errors become TREFOIL_ERR_HTTP_RESPONSE_FILE.
 */
export async function writeResponseFile(
  body: Readable,
  decoders: readonly Transform[],
  path: string,
  makeDirs: boolean,
  context: HttpErrorContext,
): Promise<WrittenFile> {
  const target = resolve(path);
  const directory = dirname(target);
  if (makeDirs) {
    try {
      await mkdir(directory, { recursive: true });
    } catch (cause) {
      abandonBody(body);
      throw fileError(context, target, cause);
    }
  }
  const temporary = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.trefoil-part`);
  const out = createWriteStream(temporary, { flags: 'wx', highWaterMark: 256 * 1024 });
  try {
    await pipeline([body, ...decoders, out]);
    await rename(temporary, target);
    return { path: target, bytes: out.bytesWritten };
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    // pipeline rejects with the first failure. File-system errors carry the path they concern;
    // body and decoding errors do not and go back to the caller unchanged.
    if (typeof (error as { path?: unknown }).path !== 'string') throw error;
    const missingDirectory =
      (error as { code?: string }).code === 'ENOENT' &&
      !makeDirs &&
      !(await stat(directory).then(
        () => true,
        () => false,
      ));
    throw fileError(context, target, error, missingDirectory ? ' (the directory does not exist; set makeDirs: true)' : '');
  }
}
