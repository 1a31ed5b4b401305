/**
 * How the real API answers, byte for byte where it matters: JSON results, `null` for Void,
 * 409 route errors with `error_summary`, plain-text 400s, JSON 401/429 bodies, and the
 * header-safe JSON of `Dropbox-API-Result`.
 */
import type { ServerResponse } from 'node:http';
import type { UnionJson } from './metadata-types.ts';

const NON_HEADER_SAFE = /[\u007f-\uffff]/g;

/**
 * JSON that can travel in an HTTP header: 0x7F and every non-ASCII UTF-16 unit written as a
 * `\uXXXX` escape (ENDPOINTS.md §1, JSON-encoding page).
 */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_HEADER_SAFE, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Padding after the summary's trailing `/` varies on the real server ("path/not_found/.."). */
let summaryPadding = 0;

/**
 * `error_summary` of a route error: the chain of `.tag`s joined with `/`, then `/` and one to
 * three dots. Follows a member's value (`{".tag": "path", "path": {…}}`) or, for inlined
 * structs, the first field holding a union (`{".tag": "path", "reason": {…}}`).
 */
export function errorSummary(error: UnionJson): string {
  const tags: string[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && typeof (current as UnionJson)['.tag'] === 'string') {
    const union = current as UnionJson;
    const tag = union['.tag'];
    tags.push(tag);
    const next: unknown = union[tag];
    current = typeof next === 'object' && next !== null ? next : Object.values(union).find((field) => typeof field === 'object' && field !== null && '.tag' in field);
  }
  summaryPadding = (summaryPadding + 1) % 3;
  return tags.join('/') + '/' + '.'.repeat(summaryPadding + 1);
}

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** 200 with a JSON result; a Void result is the body `null`. */
export function sendResult(res: ServerResponse, result: unknown): void {
  sendJson(res, 200, result ?? null);
}

/** 409 with `{"error_summary", "error"}` for a route error union value. */
export function sendRouteError(res: ServerResponse, error: UnionJson): void {
  sendJson(res, 409, { error_summary: errorSummary(error), error });
}

/** 400 plain text, as the real server answers malformed arguments and headers. */
export function sendBadInput(res: ServerResponse, routeName: string, message: string): void {
  sendText(res, 400, `Error in call to API function "${routeName}": ${message}`);
}

/** A plain-text answer (400 bad input, 5xx, unknown paths). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** auth.AuthError tags the fake produces. */
export type AuthErrorTag = 'invalid_access_token' | 'expired_access_token';

/** 401 with an auth.AuthError body. */
export function sendAuthError(res: ServerResponse, tag: AuthErrorTag): void {
  const error = { '.tag': tag };
  sendJson(res, 401, { error_summary: errorSummary(error), error });
}

/** 429 with `Retry-After` and an auth.RateLimitError body (or a plain-text body). */
export function sendRateLimited(
  res: ServerResponse,
  retryAfterSeconds: number,
  reason: 'too_many_requests' | 'too_many_write_operations',
  plainText: boolean,
): void {
  const headers = { 'Retry-After': String(retryAfterSeconds) };
  if (plainText) {
    res.writeHead(429, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Too Many Requests');
    return;
  }
  const error = { reason: { '.tag': reason }, retry_after: retryAfterSeconds };
  sendJson(res, 429, { error_summary: `${reason}/${'.'.repeat(2)}`, error }, headers);
}
