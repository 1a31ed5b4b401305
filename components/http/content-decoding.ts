/**
 * Response decoding: `Content-Encoding` (gzip, br, deflate — zlib-wrapped or raw, as servers
 * disagree) as streaming transforms, and text by the `Content-Type` charset.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import * as zlib from 'node:zlib';
import { HttpRequestError, type HttpErrorContext } from './http-request-error.ts';

/** The `Accept-Encoding` the client sends when decompression is on. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * `deflate` means zlib-wrapped data (RFC 9110), but some servers send raw deflate. This
 * transform looks at the first two bytes and picks the matching inflater.
 */
class DeflateDecoder extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  #attach(first: Buffer): zlib.Inflate | zlib.InflateRaw {
    const zlibWrapped = first.length >= 2 && (first[0]! & 0x0f) === 8 && ((first[0]! << 8) | first[1]!) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('error', (error) => this.destroy(error));
    this.#inner = inner;
    return inner;
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const inner = this.#inner ?? this.#attach(chunk);
    if (inner.write(chunk)) callback();
    else inner.once('drain', () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.#inner;
    if (inner === undefined) return callback();
    inner.once('end', () => callback());
    inner.end();
  }
}

const NO_DECODERS: readonly Transform[] = Object.freeze([]);

/**
 * The transforms that undo `contentEncoding` (a header value such as `gzip` or `gzip, br`),
 * outermost first. Empty for none / identity. Throws TREFOIL_ERR_HTTP_DECODE for an encoding
 * Node cannot decode.
 */
export function createContentDecoders(contentEncoding: string | undefined, context: HttpErrorContext): readonly Transform[] {
  if (contentEncoding === undefined || contentEncoding === '' || contentEncoding === 'identity') return NO_DECODERS;
  const codings = contentEncoding.toLowerCase().split(',');
  const decoders: Transform[] = [];
  // Codings are listed in the order they were applied; undo them in reverse.
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim();
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip());
    else if (coding === 'br') decoders.push(zlib.createBrotliDecompress());
    else if (coding === 'deflate') decoders.push(new DeflateDecoder());
    else if (coding !== 'identity' && coding !== '') {
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_DECODE',
        `${context.method} ${context.url}: unsupported Content-Encoding "${coding}"`,
        context,
      );
    }
  }
  return decoders;
}

/** The `charset` parameter of a `Content-Type` value, lower case, or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  // Fast path: no parameters at all (`application/json`).
  if (contentType === undefined || !contentType.includes(';')) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match === null ? undefined : match[1]!.toLowerCase();
}

const decoders = new Map<string, TextDecoder>();

/**
 * Decodes `bytes` as text in `charset` (UTF-8 when undefined); a byte-order mark is dropped.
 * Throws TREFOIL_ERR_HTTP_DECODE for a charset the runtime does not know.
 */
export function decodeText(bytes: Buffer, charset: string | undefined, context: HttpErrorContext): string {
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') {
    // NOTE: Buffer#toString is markedly faster than TextDecoder for UTF-8; strip the BOM by hand.
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch (cause) {
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_DECODE',
        `${context.method} ${context.url}: unsupported charset "${charset}"`,
        context,
        { cause },
      );
    }
    decoders.set(charset, decoder);
  }
  return decoder.decode(bytes);
}
