/**
 * Turns a RequestBody into something undici can send, as many times as needed: a retry, a
 * 307/308 redirect or a page opens a fresh stream for files. Files are checked (exist, are
 * regular files) before the first byte goes out, so a missing file is a clear error and not a
 * half-sent request.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { MultipartPart, RequestBody } from './http-request.ts';
import { HttpRequestError, type HttpErrorContext } from './http-request-error.ts';
import { encodeMultipart, type SizedFilePart } from './multipart-body.ts';

/** A body ready to send. */
export interface PreparedBody {
  /** Content type to send unless the request sets its own `Content-Type` header. */
  readonly contentType: string;
  /** Length in bytes, when known before sending (always, except for none). */
  readonly contentLength: number;
  /** A fresh body for one attempt. Strings and bytes are shared; files are re-opened. */
  open(): string | Uint8Array | Readable;
}

async function fileSize(path: string, context: HttpErrorContext): Promise<number> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) {
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_BODY_FILE',
        `${context.method} ${context.url}: body file ${path} is not a regular file`,
        context,
      );
    }
    return stats.size;
  } catch (cause) {
    if (cause instanceof HttpRequestError) throw cause;
    const code = (cause as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(cause)})`;
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_BODY_FILE',
      `${context.method} ${context.url}: body file ${path} ${why}`,
      context,
      { cause },
    );
  }
}

function fixed(content: string | Uint8Array, contentType: string): PreparedBody {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return { contentType, contentLength: bytes.byteLength, open: () => bytes };
}

/** Prepares `body` for sending; checks files. `context` names the request in errors. */
export async function prepareBody(body: RequestBody, context: HttpErrorContext): Promise<PreparedBody> {
  if (typeof body === 'string') return fixed(body, 'text/plain; charset=utf-8');
  if (body instanceof Uint8Array) return fixed(body, 'application/octet-stream');
  switch (body.kind) {
    case 'json':
      return fixed(JSON.stringify(body.value) ?? 'null', 'application/json');
    case 'form': {
      const params = new URLSearchParams();
      for (const name of Object.keys(body.fields)) {
        const value = body.fields[name]!;
        if (typeof value === 'string') params.append(name, value);
        else for (const item of value) params.append(name, item);
      }
      return fixed(params.toString(), 'application/x-www-form-urlencoded');
    }
    case 'file': {
      const path = body.path;
      const size = await fileSize(path, context);
      return {
        contentType: body.contentType ?? 'application/octet-stream',
        contentLength: size,
        open: () => createReadStream(path, { highWaterMark: 64 * 1024 }),
      };
    }
    case 'multipart': {
      const parts: (MultipartPart | SizedFilePart)[] = [];
      for (const part of body.parts) {
        parts.push('file' in part ? { ...part, size: await fileSize(part.file, context) } : part);
      }
      return encodeMultipart(parts);
    }
    default:
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_INVALID_REQUEST',
        `${context.method} ${context.url}: unknown body kind ${JSON.stringify((body as { kind?: unknown }).kind)}`,
        context,
      );
  }
}
