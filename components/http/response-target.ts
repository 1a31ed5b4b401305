/**
 * Where a response body goes, and the reader that puts it there: text decoded by charset, raw
 * bytes, a file written atomically, or nowhere. In-memory targets are bounded by
 * `maxResponseSize` (counted after content decoding, so a small gzip bomb cannot blow memory);
 * files are not bounded.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { charsetOf, createContentDecoders, decodeText } from './content-decoding.ts';
import { HttpRequestError, type HttpErrorContext } from './http-request-error.ts';
import { writeResponseFile } from './response-file.ts';
import { abandonBody } from './abandon-body.ts';

/**
 * `pipeline` over a source, a variable number of transforms and an async sink function.
 * NOTE: Node's typings have no overload for a spread of transforms followed by a function.
 */
const pipelineStages = pipeline as unknown as (...stages: unknown[]) => Promise<void>;

/** 16 MiB: the default bound on a body kept in memory. */
export const DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024;

/** Where the response body goes. */
export type ResponseTarget =
  | {
      readonly kind: 'content';
      /** Bound on the decoded body in bytes. @default DEFAULT_MAX_RESPONSE_SIZE */
      readonly maxResponseSize?: number;
      /** Charset to decode with, overriding the `Content-Type` one. @default the response's, else UTF-8 */
      readonly charset?: string;
    }
  | {
      readonly kind: 'bytes';
      /** @default DEFAULT_MAX_RESPONSE_SIZE */
      readonly maxResponseSize?: number;
      /** Also decode the body as text into `content` (by the response's charset). @default false */
      readonly withText?: boolean;
    }
  | {
      readonly kind: 'file';
      /** Target path; relative paths resolve against the working directory. */
      readonly path: string;
      /** Create missing parent directories. @default false */
      readonly makeDirs?: boolean;
      /**
       * Write the body to the file for non-2xx statuses too. By default an error status's body
       * goes to `content` (bounded by `maxResponseSize`) and the file is not touched, so a 404
       * page never replaces a good download.
       * @default false
       */
      readonly writeNonSuccess?: boolean;
      /** Bound for an error status's body read as content. @default DEFAULT_MAX_RESPONSE_SIZE */
      readonly maxResponseSize?: number;
    }
  | {
      /**
       * Read and drop a 2xx body (only its size is kept). A non-2xx body is read as content,
       * bounded by `maxResponseSize`, as for `file`: the caller may need the API's error.
       */
      readonly kind: 'discard';
      /** Bound for an error status's body read as content. @default DEFAULT_MAX_RESPONSE_SIZE */
      readonly maxResponseSize?: number;
    };

/**
 * What reading the body produced: `content` and/or `contentBytes`, or `file`, or nothing (a
 * discarded 2xx body).
 */
export interface ResponseBody {
  readonly content?: string;
  readonly contentBytes?: Uint8Array;
  /** Absolute path of the file written. */
  readonly file?: string;
  /** Decoded body size in bytes. */
  readonly bodySize: number;
}

function tooLarge(context: HttpErrorContext, limit: number, known?: number): HttpRequestError {
  return new HttpRequestError(
    'TREFOIL_ERR_HTTP_RESPONSE_TOO_LARGE',
    `${context.method} ${context.url}: response body ${known === undefined ? 'exceeds' : `of ${known} bytes exceeds`} maxResponseSize (${limit} bytes)`,
    context,
  );
}

/**
 * Reads a plain body whole, failing as soon as it passes `limit`.
 * NOTE: 'data' events instead of `for await`: the async iterator costs a promise per chunk and
 * showed in the small-request profile (test/components/http/measure-throughput.ts).
 */
function collectPlain(body: Readable, limit: number, context: HttpErrorContext): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        abandonBody(body);
        reject(tooLarge(context, limit));
        return;
      }
      chunks.push(chunk);
    });
    body.once('error', reject);
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });
}

/**
 * Reads a plain body to its end, keeping only its size.
 * NOTE: events rather than `pipeline` with an async sink, which cost ~40 µs per small response.
 */
function drainPlain(body: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    body.once('error', reject);
    body.once('end', () => resolve(size));
  });
}

/** Reads the whole (decoded) body into one Buffer, failing as soon as it passes `limit`. */
async function collect(
  body: Readable,
  decoders: ReturnType<typeof createContentDecoders>,
  limit: number,
  context: HttpErrorContext,
): Promise<Buffer> {
  if (decoders.length === 0) return collectPlain(body, limit, context);
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow: HttpRequestError | undefined;
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw (overflow = tooLarge(context, limit));
      chunks.push(chunk);
    }
  };
  try {
    await pipelineStages(body, ...decoders, sink);
  } catch (error) {
    // Tearing the pipeline down makes the body report an abort; the overflow is the real cause.
    throw overflow ?? error;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/**
 * Reads `body` into `target`. `headers` are the response's (lower-case names); `decompress`
 * says whether `Content-Encoding` is undone. Body stream failures are rethrown unchanged for the
 * caller to classify (they may be retried); size, decoding and file failures are HttpRequestErrors.
 */
export async function readResponseBody(
  body: Readable,
  headers: Readonly<Record<string, string>>,
  target: ResponseTarget,
  decompress: boolean,
  context: HttpErrorContext,
): Promise<ResponseBody> {
  const encoding = decompress ? headers['content-encoding'] : undefined;
  let decoders: ReturnType<typeof createContentDecoders>;
  try {
    decoders = createContentDecoders(encoding, context);
  } catch (error) {
    abandonBody(body);
    throw error;
  }
  const success = context.statusCode !== undefined && context.statusCode >= 200 && context.statusCode < 300;

  if (target.kind === 'file' && (success || target.writeNonSuccess === true)) {
    const written = await writeResponseFile(body, decoders, target.path, target.makeDirs === true, context);
    return { file: written.path, bodySize: written.bytes };
  }
  if (target.kind === 'discard' && success) {
    if (decoders.length === 0) return { bodySize: await drainPlain(body) };
    let size = 0;
    await pipelineStages(body, ...decoders, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) size += chunk.length;
    });
    return { bodySize: size };
  }

  const limit = target.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE;
  const declared = headers['content-length'];
  if (declared !== undefined && decoders.length === 0 && Number(declared) > limit) {
    abandonBody(body);
    throw tooLarge(context, limit, Number(declared));
  }
  const charset = target.kind === 'bytes' ? undefined : ((target.kind === 'content' ? target.charset : undefined) ?? charsetOf(headers['content-type']));
  if (declared !== undefined && decoders.length === 0 && target.kind === 'content' && isUtf8(charset) && isUndiciBody(body)) {
    // NOTE: a known length within the limit, nothing to decode: undici's own consumer reads the
    // body, its chunks bypassing the stream machinery (less CPU per small response on
    // test/bench/http-bench.ts). It drops a UTF-8 BOM as decodeText does.
    return { content: await body.text(), bodySize: Number(declared) };
  }
  const bytes = await collect(body, decoders, limit, context);
  if (target.kind === 'bytes') {
    if (target.withText !== true) return { contentBytes: bytes, bodySize: bytes.length };
    return { contentBytes: bytes, content: decodeText(bytes, charsetOf(headers['content-type']), context), bodySize: bytes.length };
  }
  return { content: decodeText(bytes, charset, context), bodySize: bytes.length };
}

function isUtf8(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/** undici's response body, which can consume itself as text. */
function isUndiciBody(body: Readable): body is Readable & { text(): Promise<string> } {
  return typeof (body as { text?: unknown }).text === 'function';
}
