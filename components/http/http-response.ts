/** One response as the executor hands it back: status, headers, final URL and the body where the target put it. */
import type { IncomingHttpHeaders } from 'node:http';

/** A completed exchange. Field names match HTTPConnector's output record where they overlap. */
export interface HttpResponse {
  readonly statusCode: number;
  /** Response headers, lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The final URL, after redirects (user info removed). */
  readonly url: string;
  /** The body as text (target `content`, or a file target's non-2xx body). */
  readonly content?: string;
  /** The body as bytes (target `bytes`). */
  readonly contentBytes?: Uint8Array;
  /** Absolute path of the file the body was written to (target `file`, 2xx). */
  readonly file?: string;
  /** Decoded body size in bytes. */
  readonly bodySize: number;
  /** From the first attempt's start to the end of the body, waits for retries included. */
  readonly durationMs: number;
  /** Attempts made: 1 + retries + an OAuth2 retry after a 401. */
  readonly attempts: number;
  /** Redirects followed on the final attempt. */
  readonly redirects: number;
}

/**
 * undici's header object → one string per lower-case name (arrays joined with `, `).
 * NOTE: undici builds a fresh plain object per response; when every value is already a string
 * (the usual case) it is returned as is instead of copied.
 */
export function normalizeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  let plain = true;
  for (const name in headers) {
    if (typeof headers[name] !== 'string') {
      plain = false;
      break;
    }
  }
  if (plain) return headers as Record<string, string>;
  const result: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    result[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return result;
}
