/** The fake's record of every request, so tests can assert what a graph sent. */
import type { IncomingHttpHeaders } from 'node:http';
import type { DropboxFault } from './fault-queue.ts';

/** One request as the fake received it. Filled in as the request is processed. */
export interface DropboxRequestRecord {
  /** 0-based arrival order (since the fake started or the log was last cleared). */
  readonly index: number;
  /** When the request arrived (epoch ms, the real clock): shows how long a client waited between calls. */
  readonly receivedAt: number;
  readonly host: 'api' | 'content';
  readonly method: string;
  /** URL path without the query (`/2/files/upload`, `/oauth2/token`). */
  readonly path: string;
  /** Route name (`files/upload`, `files/upload_session/append_v2`, `oauth2/token`). */
  readonly route: string;
  /** Request headers, names lowercased; the Authorization value is masked to its scheme (`Bearer *****`). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The argument as sent (parsed JSON from Dropbox-API-Arg, `arg` or the RPC body, before
   * defaults), or the oauth2/token form fields with `client_secret`, `code`, `refresh_token` and
   * `code_verifier` masked. Undefined when absent or unparseable.
   */
  arg: unknown;
  /** Request body bytes received. */
  bodyBytes: number;
  /** Response status; null while pending or when the connection was reset. */
  status: number | null;
  /** Injected fault applied to this request, if any. */
  fault: DropboxFault['kind'] | null;
}

const MASK = '*****';
const SECRET_FORM_FIELDS = new Set(['client_secret', 'code', 'refresh_token', 'code_verifier']);

/** Headers with the Authorization value reduced to its scheme. */
export function maskedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    masked[name] = name === 'authorization' ? `${text.split(' ')[0]} ${MASK}` : text;
  }
  return masked;
}

/** oauth2/token form fields with secrets masked. */
export function maskedForm(fields: URLSearchParams): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of fields) masked[name] = SECRET_FORM_FIELDS.has(name) ? MASK : value;
  return masked;
}
