/**
 * JSON over node:http for the server API: responses, request bodies, and {@link ApiError}, the
 * one way a handler refuses a request (a 4xx/5xx JSON body `{ error: { code, message } }`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors/registry.ts';
import { TrefoilError } from '../errors/trefoil-error.ts';

/** A request the API refuses, with its HTTP status. */
export class ApiError extends TrefoilError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(code, message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
  }
}

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Sends `body` as JSON (bigints as exact text). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** Sends an error as `{ error: { code, message } }`. */
export function sendError(response: ServerResponse, error: ApiError): void {
  sendJson(response, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/**
 * Reads a JSON object body, whatever the content type says (`curl -d` sends JSON labelled as a
 * form; every mutating call needs an Authorization header, which no cross-site form can send).
 * @throws ApiError 413 beyond {@link MAX_BODY_BYTES}, 400 for malformed JSON or a body that is
 *   not an object.
 */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'TREFOIL_ERR_SERVER_API_REQUEST', `the body is larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', 'the body is empty; expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'TREFOIL_ERR_SERVER_API_REQUEST', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
