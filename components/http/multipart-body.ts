/**
 * A streaming `multipart/form-data` encoder (RFC 7578). Text fields are encoded up front; files
 * are streamed from disk part by part, so memory does not grow with file size. The total length
 * is computed from the files' sizes, so the request carries a `Content-Length` (some servers,
 * Dropbox's among them, refuse chunked uploads).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { MultipartPart } from './http-request.ts';

/** A multipart body whose files were checked to exist; `open()` streams it (again). */
export interface MultipartBody {
  readonly contentType: string;
  readonly contentLength: number;
  open(): Readable;
}

/** A file part, with its size measured by the caller (who reports a missing file). */
export interface SizedFilePart {
  readonly name: string;
  readonly file: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly size: number;
}

/** WHATWG form-data escaping of names and file names inside the quoted parameter. */
function escapeQuoted(text: string): string {
  return text.replace(/["\r\n]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));
}

const CRLF = Buffer.from('\r\n');

/**
 * Builds the encoder. `parts` are text fields and files (with sizes); the order is kept.
 */
export function encodeMultipart(parts: readonly (MultipartPart | SizedFilePart)[]): MultipartBody {
  const boundary = `----TrefoilFormBoundary${randomBytes(12).toString('hex')}`;
  // Each segment is a Buffer to send as is, or a file to stream.
  const segments: (Buffer | SizedFilePart)[] = [];
  let contentLength = 0;
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(part.name)}"`;
    if ('file' in part) {
      const filename = part.filename ?? basename(part.file);
      head += `; filename="${escapeQuoted(filename)}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`;
      const headBytes = Buffer.from(head);
      segments.push(headBytes, part as SizedFilePart, CRLF);
      contentLength += headBytes.length + (part as SizedFilePart).size + CRLF.length;
    } else {
      if (part.contentType !== undefined) head += `\r\nContent-Type: ${part.contentType}`;
      const bytes = Buffer.from(`${head}\r\n\r\n${part.value}\r\n`);
      segments.push(bytes);
      contentLength += bytes.length;
    }
  }
  const tail = Buffer.from(`--${boundary}--\r\n`);
  segments.push(tail);
  contentLength += tail.length;

  async function* stream(): AsyncGenerator<Buffer> {
    for (const segment of segments) {
      if (Buffer.isBuffer(segment)) yield segment;
      else yield* createReadStream(segment.file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
    }
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    open: () => Readable.from(stream(), { objectMode: false }),
  };
}
