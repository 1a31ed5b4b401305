/**
 * A response whose status counts as a failure (`failOnStatus`) as an HttpRequestError whose
 * message says what the API said: the `error_summary` of a Dropbox error, OAuth2's `error` and
 * `error_description`, a `message`, an RFC 9457 problem's `title`/`detail`, or the first line
 * of a plain-text body — so the reason shows in the run's error message and the error port's
 * `errorMessage`, not just the status.
 */
import { STATUS_CODES } from 'node:http';
import { HttpRequestError } from './http-request-error.ts';
import type { HttpResponse } from './http-response.ts';

/** Longest API detail quoted in a message. */
const MAX_DETAIL = 300;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The readable part of a parsed JSON error body, if it has one. */
function detailOfJson(body: Record<string, unknown>): string | undefined {
  const summary = text(body.error_summary);
  if (summary !== undefined) {
    // Dropbox may add a human sentence in `user_message.text`.
    const userMessage = text((body.user_message as { text?: unknown } | undefined)?.text);
    return userMessage === undefined ? summary : `${summary} (${userMessage})`;
  }
  const error = body.error;
  const description = text(body.error_description);
  if (text(error) !== undefined) return description === undefined ? text(error) : `${text(error)}: ${description}`;
  if (error !== null && typeof error === 'object') {
    const nested = error as Record<string, unknown>;
    const message = text(nested.message) ?? text(nested.error_summary) ?? text(nested['.tag']);
    if (message !== undefined) return message;
  }
  const message = text(body.message) ?? text(body.error_message);
  if (message !== undefined) return message;
  const title = text(body.title);
  const detail = text(body.detail);
  if (title !== undefined || detail !== undefined) return [title, detail].filter((part) => part !== undefined).join(': ');
  return description;
}

/**
 * What an error response's body says, shortened to one line: from JSON (whatever the declared
 * content type) or plain text. Undefined for an empty, HTML or unrecognised body.
 */
export function describeErrorBody(response: Pick<HttpResponse, 'content' | 'contentBytes' | 'headers'>): string | undefined {
  let body = response.content;
  if (body === undefined && response.contentBytes !== undefined && response.contentBytes.length <= 64 * 1024) {
    body = Buffer.from(response.contentBytes.buffer, response.contentBytes.byteOffset, response.contentBytes.byteLength).toString('utf8');
  }
  if (body === undefined) return undefined;
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  let detail: string | undefined;
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) detail = detailOfJson(parsed as Record<string, unknown>);
    } catch {
      // not JSON after all: treated as text below
    }
  }
  const type = response.headers['content-type'] ?? '';
  if (detail === undefined && (type === '' || type.startsWith('text/plain')) && !trimmed.startsWith('<')) {
    detail = trimmed.split(/\r?\n/, 1)[0];
  }
  if (detail === undefined) return undefined;
  const line = detail.replace(/\s+/g, ' ');
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}…` : line;
}

/** The failure for a response `failOnStatus` rejects: TREFOIL_ERR_HTTP_STATUS with the API's reason. */
export function statusFailure(method: string, response: HttpResponse): HttpRequestError {
  const reason = STATUS_CODES[response.statusCode];
  const detail = describeErrorBody(response);
  return new HttpRequestError(
    'TREFOIL_ERR_HTTP_STATUS',
    `${method} ${response.url}: status ${response.statusCode}${reason === undefined ? '' : ` ${reason}`}${detail === undefined ? '' : `: ${detail}`}`,
    { method, url: response.url, statusCode: response.statusCode, attempts: response.attempts },
  );
}
