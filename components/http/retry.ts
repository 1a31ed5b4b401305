/**
 * When to retry a request and how long to wait first.
 *
 * - A response is retried when its status is listed (default 429, 502, 503, 504); the wait is
 *   its `Retry-After` (delta-seconds or an HTTP date, capped at `maxRetryAfter`) when present,
 *   else exponential backoff with full jitter: `random(0, min(maxDelay, baseDelay * 2^n))`
 *   for the n-th retry (0-based), as in the AWS architecture blog's "full jitter" (or the
 *   ceiling itself with `jitter: false`).
 * - A network failure is retried when its code is listed (ECONNRESET, timeouts, socket closed…).
 * - Methods that are not idempotent (POST, PATCH, anything unknown) are retried only with
 *   `retryNonIdempotent: true` — except after a failure that proves the request was not
 *   processed, which is always safe: it never reached the server (connection refused, DNS
 *   failure, connect timeout), or the server refused it with 429 Too Many Requests (a rate
 *   limiter answers before the request is handled; APIs whose every call is a POST, such as
 *   Dropbox's, rely on clients retrying it after `Retry-After`).
 */
import type { HttpRequestError } from './http-request-error.ts';

/** Retry configuration. Absent = no retries. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  readonly count?: number;
  /** First backoff ceiling in ms. @default 500 */
  readonly baseDelay?: number;
  /** Cap on one backoff in ms. @default 30000 */
  readonly maxDelay?: number;
  /**
   * Full jitter: wait a random time up to the backoff ceiling, so clients that failed together
   * do not retry together. False waits the ceiling itself. @default true
   */
  readonly jitter?: boolean;
  /** Statuses that are retried. @default [429, 502, 503, 504] */
  readonly statuses?: readonly number[];
  /** Error codes that are retried. @default DEFAULT_RETRY_NETWORK_ERRORS */
  readonly networkErrors?: readonly string[];
  /** Wait what `Retry-After` says instead of the backoff. @default true */
  readonly honourRetryAfter?: boolean;
  /** Cap on a `Retry-After` wait in ms; longer values are shortened to it. @default 120000 */
  readonly maxRetryAfter?: number;
  /** Retry POST, PATCH and other non-idempotent methods too. @default false */
  readonly retryNonIdempotent?: boolean;
}

/** Network error codes retried by default. */
export const DEFAULT_RETRY_NETWORK_ERRORS: readonly string[] = Object.freeze([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Statuses retried by default. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = Object.freeze([429, 502, 503, 504]);

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Failures that happen before a request is on the wire: retrying cannot repeat a side effect. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Parses a `Retry-After` value into milliseconds from `now`: delta-seconds (`120`) or an
 * HTTP date. Undefined when absent or unparsable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** A compiled retry configuration; one per client, shared by all its requests. */
export class RetryPolicy {
  /** Retries allowed after the first attempt (0 = never retry). */
  readonly maxRetries: number;
  readonly #baseDelay: number;
  readonly #maxDelay: number;
  readonly #statuses: ReadonlySet<number>;
  readonly #networkErrors: ReadonlySet<string>;
  readonly #honourRetryAfter: boolean;
  readonly #maxRetryAfter: number;
  readonly #retryNonIdempotent: boolean;
  readonly #random: () => number;

  /** `random` is injectable for tests. */
  constructor(options: RetryOptions | undefined, random: () => number = Math.random) {
    if (options?.jitter === false) random = () => 1;
    this.maxRetries = options === undefined ? 0 : Math.max(0, options.count ?? 3);
    this.#baseDelay = options?.baseDelay ?? 500;
    this.#maxDelay = options?.maxDelay ?? 30_000;
    this.#statuses = new Set(options?.statuses ?? DEFAULT_RETRY_STATUSES);
    this.#networkErrors = new Set(options?.networkErrors ?? DEFAULT_RETRY_NETWORK_ERRORS);
    this.#honourRetryAfter = options?.honourRetryAfter ?? true;
    this.#maxRetryAfter = options?.maxRetryAfter ?? 120_000;
    this.#retryNonIdempotent = options?.retryNonIdempotent ?? false;
    this.#random = random;
  }

  #methodAllows(method: string): boolean {
    return this.#retryNonIdempotent || IDEMPOTENT_METHODS.has(method);
  }

  /** Whether a response with `status` to a `method` request is retried (retries left aside). */
  retriesStatus(method: string, status: number): boolean {
    return this.#statuses.has(status) && (status === 429 || this.#methodAllows(method));
  }

  /** Whether `error` (a network or timeout failure) of a `method` request is retried. */
  retriesError(method: string, error: HttpRequestError): boolean {
    if (error.code !== 'TREFOIL_ERR_HTTP_NETWORK' && error.code !== 'TREFOIL_ERR_HTTP_TIMEOUT') return false;
    const code = error.networkCode;
    if (code === undefined || !this.#networkErrors.has(code)) return false;
    return NOT_SENT_CODES.has(code) || this.#methodAllows(method);
  }

  /**
   * Milliseconds to wait before retry number `retryIndex` (0-based). `retryAfter` is the
   * response's `Retry-After` header, if any.
   */
  delay(retryIndex: number, retryAfter?: string, now: number = Date.now()): number {
    if (this.#honourRetryAfter) {
      const requested = parseRetryAfter(retryAfter, now);
      if (requested !== undefined) return Math.min(requested, this.#maxRetryAfter);
    }
    const ceiling = Math.min(this.#maxDelay, this.#baseDelay * 2 ** retryIndex);
    return Math.floor(this.#random() * ceiling);
  }
}
