/**
 * The one error type the HTTP machinery throws (aborts excepted: an aborted request rejects with
 * the signal's reason, untouched, so the engine sees its own abort). It is a TrefoilError with a
 * `TREFOIL_ERR_HTTP_*` code plus what an error-port record needs: the method, the URL and, when
 * a response arrived, its status.
 */
import { TrefoilError, type ErrorLocation } from '../../engine/errors/trefoil-error.ts';
import type { ErrorCode } from '../../engine/errors/registry.ts';

/** What the request was, for the message and the error record. */
export interface HttpErrorContext {
  readonly method: string;
  /** The URL as displayed: user info removed. */
  readonly url: string;
  /** Status of the response the failure happened on, if one arrived. */
  readonly statusCode?: number;
  /** Attempts made, retries included. @default 1 */
  readonly attempts?: number;
}

export class HttpRequestError extends TrefoilError {
  readonly method: string;
  readonly url: string;
  readonly statusCode: number | undefined;
  readonly attempts: number;
  /**
   * The low-level error code behind a network failure (`ECONNRESET`, `UND_ERR_SOCKET`,
   * `UND_ERR_HEADERS_TIMEOUT`, …), used by the retry policy; undefined otherwise.
   */
  readonly networkCode: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    context: HttpErrorContext,
    options: { cause?: unknown; networkCode?: string; location?: ErrorLocation } = {},
  ) {
    super(code, message, options.location, { cause: options.cause });
    this.name = 'HttpRequestError';
    this.method = context.method;
    this.url = context.url;
    this.statusCode = context.statusCode;
    this.attempts = context.attempts ?? 1;
    this.networkCode = options.networkCode;
  }

  /** The same error, reporting how many attempts were made in the end. */
  withAttempts(attempts: number): HttpRequestError {
    if (attempts === this.attempts) return this;
    const copy = new HttpRequestError(
      this.code,
      attempts > 1 ? `${this.message} (after ${attempts} attempts)` : this.message,
      { method: this.method, url: this.url, statusCode: this.statusCode, attempts },
      { cause: this.cause, networkCode: this.networkCode, location: this.location },
    );
    return copy;
  }
}

/** The URL without user info (`https://user:pass@host/` → `https://host/`), for messages. */
export function displayUrl(input: URL | string): string {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return input as string;
  }
  const href = url.href;
  // Fast path: no user info without an '@' (URL getters cost ~0.2 µs each).
  if (!href.includes('@') || (url.username === '' && url.password === '')) return href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const TIMEOUT_WHAT: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting',
  UND_ERR_HEADERS_TIMEOUT: 'waiting for the response headers',
  UND_ERR_BODY_TIMEOUT: 'waiting for response body data',
  ETIMEDOUT: 'on the connection',
};

/**
 * The most specific `code` on an error or its causes: undici wraps the system error
 * (`UND_ERR_SOCKET` → `ECONNRESET`), and the inner one says more.
 */
export function findErrorCode(error: unknown): string | undefined {
  let generic: string | undefined;
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
      generic ??= code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return generic;
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    code.includes('SELF_SIGNED') ||
    code.startsWith('UNABLE_TO_') ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  );
}

/**
 * Classifies a failure of the transport (undici or a system error) as a timeout, a TLS or a
 * network error, keeping the low-level code for the retry policy.
 */
export function transportError(error: unknown, context: HttpErrorContext): HttpRequestError {
  if (error instanceof HttpRequestError) return error;
  const code = findErrorCode(error) ?? 'UNKNOWN';
  const detail = error instanceof Error ? error.message : String(error);
  const target = `${context.method} ${context.url}`;
  if (TIMEOUT_CODES.has(code)) {
    return new HttpRequestError(
      'TREFOIL_ERR_HTTP_TIMEOUT',
      `${target}: timed out ${TIMEOUT_WHAT[code] ?? ''} (${code})`.replace('  ', ' '),
      context,
      { cause: error, networkCode: code },
    );
  }
  if (isTlsCode(code)) {
    return new HttpRequestError('TREFOIL_ERR_HTTP_TLS', `${target}: TLS failed: ${detail} (${code})`, context, {
      cause: error,
      networkCode: code,
    });
  }
  return new HttpRequestError('TREFOIL_ERR_HTTP_NETWORK', `${target}: ${detail} (${code})`, context, {
    cause: error,
    networkCode: code,
  });
}
