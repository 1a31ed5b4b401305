/**
 * The request executor behind HTTPConnector. One HttpClient per component instance: it owns one
 * undici Agent (which keeps one connection Pool per origin, so connections are reused across
 * records, retries and pages), the component's rate limiter, retry policy and authorizer.
 *
 * `send()` runs one request to completion:
 *
 * ```
 * validate ─ prepare body ─┬─> rate limit ─ authorize ─ dispatch ─┬─ 3xx (followable) ──> next hop
 *                          │                                       ├─ 401 + OAuth2 (once) ─> renew, again
 *                          │<── backoff / Retry-After ─────────────┼─ retryable status or network error
 *                          │                                       └─ read body into the target ─> HttpResponse
 * ```
 *
 * Every wait and transfer is cancelled by the caller's AbortSignal; an aborted send rejects with
 * the signal's reason. Any other failure is an HttpRequestError with a TREFOIL_ERR_HTTP_* code.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { abortableDelay } from './abortable-delay.ts';
import { ACCEPT_ENCODING } from './content-decoding.ts';
import type { HttpRequest } from './http-request.ts';
import { HttpRequestError, transportError, type HttpErrorContext } from './http-request-error.ts';
import { normalizeHeaders, type HttpResponse } from './http-response.ts';
import { RateLimiter, type RateLimit } from './rate-limiter.ts';
import { createRequestAuthorizer, type AuthConfig, type RequestAuthorizer } from './request-auth.ts';
import { prepareBody, type PreparedBody } from './request-body.ts';
import { locationOf, parseHttpUrl, validateRequest, type RequestLocation } from './request-validation.ts';
import { readResponseBody, type ResponseTarget } from './response-target.ts';
import { RetryPolicy, type RetryOptions } from './retry.ts';

/** Timeouts in milliseconds; 0 disables one. */
export interface HttpTimeouts {
  /** Establishing the connection (TCP + TLS). @default 10000 */
  readonly connect?: number;
  /** From sending the request to the end of the response headers. @default 60000 */
  readonly headers?: number;
  /** Longest silence between two chunks of the response body. @default 60000 */
  readonly body?: number;
  /** The whole `send()`, retries and their waits included. @default none */
  readonly total?: number;
}

/** TLS settings for https:// origins. */
export interface HttpTlsOptions {
  /** PEM file with CA certificates trusted in addition to the system's. */
  readonly caFile?: string;
  /** Accept any certificate. Testing only. @default false */
  readonly insecure?: boolean;
}

/** Redirect handling. */
export interface RedirectOptions {
  /** Follow 301/302/303/307/308. When false, the 3xx response is returned. @default true */
  readonly follow?: boolean;
  /** @default 10 */
  readonly max?: number;
  /**
   * Follow redirects of unsafe methods (POST, PUT, …) too: 303, and 301/302 after POST, become
   * a GET without body; 307/308 repeat the method and body. @default false
   */
  readonly unsafeMethods?: boolean;
}

/** What happened when a retry is scheduled (for the component's log). */
export interface RetryEvent {
  readonly method: string;
  readonly url: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly statusCode?: number;
  /** The network error code, for a failure without a response. */
  readonly errorCode?: string;
  readonly delayMs: number;
}

/** Client configuration. Everything is optional. */
export interface HttpClientOptions {
  readonly timeouts?: HttpTimeouts;
  readonly tls?: HttpTlsOptions;
  readonly redirects?: RedirectOptions;
  /** Absent = no retries. */
  readonly retry?: RetryOptions;
  /** Shared by every request of this client: retries, redirects and pages count. */
  readonly rateLimit?: RateLimit;
  readonly auth?: AuthConfig;
  /** Send `Accept-Encoding` and decode gzip/br/deflate bodies. @default true */
  readonly decompress?: boolean;
  /** Connections per origin. @default unlimited (the caller's concurrency bounds them) */
  readonly connectionsPerOrigin?: number;
  /** Sent unless the request sets its own. @default 'trefoil' */
  readonly userAgent?: string;
  /** Hears every secret (tokens, passwords) as it becomes known, for a redactor. */
  readonly onSecret?: (secret: string) => void;
  /** Hears every scheduled retry. */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * Cancels everything the client does: requests in flight are cut (their connections
   * destroyed), waits end, later sends fail — each rejecting with the signal's reason. One
   * listener serves the whole client, where a per-send signal costs a listener per request in
   * flight (on a shared signal, each added and removed by walking all the others).
   */
  readonly signal?: AbortSignal;
}

/** Per-call options of `send()`. */
export interface SendOptions {
  /**
   * Cancels the request, its retries and waits. Each request in flight adds one abort listener
   * to it: for many concurrent sends, prefer the client's own `signal` option, or use
   * `mapConcurrent`'s per-task signal (whose listener limit is raised), or raise the limit with
   * `events.setMaxListeners`.
   */
  readonly signal?: AbortSignal;
}

type ResponseBodyStream = Dispatcher.ResponseData['body'];

/** The response of one hop, body unread. */
interface Exchange {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: ResponseBodyStream;
  readonly location: RequestLocation;
  readonly redirects: number;
  /** The credential the authorizer put on this hop, if any. */
  readonly credential: string | undefined;
}

const DEFAULT_TARGET: ResponseTarget = Object.freeze({ kind: 'content' });
const NO_OPTIONS: SendOptions = Object.freeze({});
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** Dropped when a redirect leaves the origin. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Reads the rest of a body we do not need, so the connection can be reused (or closes it). */
async function discard(body: ResponseBodyStream): Promise<void> {
  try {
    await body.dump({ limit: 256 * 1024 });
  } catch {
    // the connection is closed instead; nothing else to do
  }
}

function isDecodeError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__') || code === 'ERR_BROTLI_DECOMPRESSION_FAILED');
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_TLS',
      `tls.caFile ${path} cannot be read (${(cause as { code?: string }).code ?? String(cause)})`,
      { method: '', url: '' },
      { cause },
    );
  }
}

export class HttpClient {
  readonly #agent: Agent;
  readonly #retry: RetryPolicy;
  readonly #limiter: RateLimiter | undefined;
  readonly #authorizer: RequestAuthorizer | undefined;
  readonly #decompress: boolean;
  readonly #userAgent: string;
  readonly #headersTimeout: number;
  readonly #bodyTimeout: number;
  readonly #totalTimeout: number;
  readonly #followRedirects: boolean;
  readonly #maxRedirects: number;
  readonly #redirectUnsafe: boolean;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  /** The client-wide cancellation (options.signal) and its listener, removed by close/destroy. */
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;

  /** Throws an HttpRequestError for unusable options (unreadable CA file, bad token URL). */
  constructor(options: HttpClientOptions = {}) {
    const timeouts = options.timeouts ?? {};
    this.#headersTimeout = timeouts.headers ?? 60_000;
    this.#bodyTimeout = timeouts.body ?? 60_000;
    this.#totalTimeout = timeouts.total ?? 0;
    const tls = options.tls ?? {};
    // NOTE: the CA file adds to the system trust store instead of replacing it, so one client
    // can reach both a private server and a public token endpoint.
    const ca = tls.caFile === undefined ? undefined : [...rootCertificates, readCaFile(tls.caFile)];
    this.#agent = new Agent({
      connect: { timeout: timeouts.connect ?? 10_000, rejectUnauthorized: tls.insecure !== true, ...(ca ? { ca } : {}) },
      headersTimeout: this.#headersTimeout,
      bodyTimeout: this.#bodyTimeout,
      ...(options.connectionsPerOrigin !== undefined ? { connections: options.connectionsPerOrigin } : {}),
    });
    this.#retry = new RetryPolicy(options.retry);
    this.#limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit);
    this.#authorizer =
      options.auth === undefined
        ? undefined
        : createRequestAuthorizer(
            options.auth,
            { dispatcher: this.#agent, headersTimeout: this.#headersTimeout, bodyTimeout: this.#bodyTimeout },
            options.onSecret,
          );
    this.#decompress = options.decompress ?? true;
    this.#userAgent = options.userAgent ?? 'trefoil';
    const redirects = options.redirects ?? {};
    this.#followRedirects = redirects.follow ?? true;
    this.#maxRedirects = redirects.max ?? 10;
    this.#redirectUnsafe = redirects.unsafeMethods ?? false;
    this.#onRetry = options.onRetry;
    this.#signal = options.signal;
    if (this.#signal !== undefined) {
      const signal = this.#signal;
      // Requests in flight fail with undici's ClientDestroyedError; send() reports the reason.
      this.#onAbort = () => void this.#agent.destroy().catch(() => undefined);
      if (signal.aborted) this.#onAbort();
      else signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The authorizer in use, if any (its `secrets()` feed a redactor). */
  get authorizer(): RequestAuthorizer | undefined {
    return this.#authorizer;
  }

  /** Every secret the client knows now (auth tokens and passwords). */
  secrets(): string[] {
    return this.#authorizer?.secrets() ?? [];
  }

  /**
   * Sends `request` and reads its response into `target`. Retries, redirects, the rate limit
   * and auth renewal happen inside. Resolves for every status (deciding which statuses fail
   * is the caller's business); rejects with an HttpRequestError when no usable response
   * arrived, or with the signal's reason when aborted.
   */
  async send(request: HttpRequest, target: ResponseTarget = DEFAULT_TARGET, options: SendOptions = NO_OPTIONS): Promise<HttpResponse> {
    const validated = validateRequest(request);
    const context: HttpErrorContext = { method: validated.method, url: validated.location.href };
    const body = validated.body === undefined ? undefined : await prepareBody(validated.body, context);

    // The request signal goes to undici (a listener per request); waits (rate limit, backoff,
    // tokens) also end on the client's signal, whose abort destroys the connections.
    let requestSignal = options.signal;
    let totalTimer: NodeJS.Timeout | undefined;
    let totalController: AbortController | undefined;
    if (this.#totalTimeout > 0) {
      totalController = new AbortController();
      totalTimer = setTimeout(() => totalController!.abort(), this.#totalTimeout);
      requestSignal = requestSignal === undefined ? totalController.signal : AbortSignal.any([requestSignal, totalController.signal]);
    }
    const clientSignal = this.#signal;
    const waitSignal =
      requestSignal === undefined ? clientSignal : clientSignal === undefined ? requestSignal : AbortSignal.any([requestSignal, clientSignal]);
    try {
      return await this.#run(validated.method, validated.location, validated.headers, body, target, context, waitSignal, requestSignal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (clientSignal?.aborted) throw clientSignal.reason;
      if (totalController?.signal.aborted) {
        throw new HttpRequestError(
          'TREFOIL_ERR_HTTP_TIMEOUT',
          `${context.method} ${context.url}: no complete response within the total timeout of ${this.#totalTimeout} ms`,
          context,
          { networkCode: 'TREFOIL_TOTAL_TIMEOUT' },
        );
      }
      throw error;
    } finally {
      if (totalTimer !== undefined) clearTimeout(totalTimer);
    }
  }

  async #run(
    method: string,
    location: RequestLocation,
    headers: Record<string, string>,
    body: PreparedBody | undefined,
    target: ResponseTarget,
    context: HttpErrorContext,
    signal: AbortSignal | undefined,
    requestSignal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    const started = performance.now();
    let attempts = 0;
    let retries = 0;
    let renewedAuth = false;
    for (;;) {
      attempts++;
      let exchange: Exchange;
      try {
        exchange = await this.#exchange(method, location, headers, body, context, signal, requestSignal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const failure = transportError(error, context);
        if (retries < this.#retry.maxRetries && this.#retry.retriesError(method, failure)) {
          await this.#backoff(context, attempts, retries++, undefined, failure.networkCode, undefined, signal);
          continue;
        }
        throw failure.withAttempts(attempts);
      }
      const statusCode = exchange.statusCode;

      if (statusCode === 401 && !renewedAuth && exchange.credential !== undefined && this.#authorizer?.renewable === true) {
        // Once per request: a token the server rejects is renewed (or replaced by another
        // request's renewal) and the request goes again; a second 401 is returned as is.
        renewedAuth = true;
        await discard(exchange.body);
        await this.#authorizer.renew(exchange.credential, signal);
        continue;
      }

      if (retries < this.#retry.maxRetries && this.#retry.retriesStatus(method, statusCode)) {
        await discard(exchange.body);
        await this.#backoff(context, attempts, retries++, statusCode, undefined, exchange.headers['retry-after'], signal);
        continue;
      }

      const finalUrl = exchange.redirects === 0 ? context.url : exchange.location.href;
      const responseContext: HttpErrorContext = { method: context.method, url: finalUrl, statusCode, attempts };
      try {
        const read = await readResponseBody(exchange.body as Readable, exchange.headers, target, this.#decompress, responseContext);
        // NOTE: one object shape for every target (absent parts undefined), so the code reading
        // responses stays monomorphic.
        return {
          statusCode,
          headers: exchange.headers,
          url: finalUrl,
          content: read.content,
          contentBytes: read.contentBytes,
          file: read.file,
          bodySize: read.bodySize,
          durationMs: performance.now() - started,
          attempts,
          redirects: exchange.redirects,
        };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof HttpRequestError) throw error;
        if (isDecodeError(error)) {
          throw new HttpRequestError(
            'TREFOIL_ERR_HTTP_DECODE',
            `${context.method} ${responseContext.url}: cannot decode the ${exchange.headers['content-encoding']} body: ${(error as Error).message}`,
            responseContext,
            { cause: error },
          );
        }
        // The body broke off mid-transfer (connection reset, body timeout): like a failed attempt.
        const failure = transportError(error, responseContext);
        if (retries < this.#retry.maxRetries && this.#retry.retriesError(method, failure)) {
          await this.#backoff(context, attempts, retries++, statusCode, failure.networkCode, undefined, signal);
          continue;
        }
        throw failure.withAttempts(attempts);
      }
    }
  }

  async #backoff(
    context: HttpErrorContext,
    attempt: number,
    retryIndex: number,
    statusCode: number | undefined,
    errorCode: string | undefined,
    retryAfter: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const delayMs = this.#retry.delay(retryIndex, retryAfter);
    this.#onRetry?.({ method: context.method, url: context.url, attempt, statusCode, errorCode, delayMs });
    await abortableDelay(delayMs, signal);
  }

  /** One attempt: sends the request and follows redirects; the final response's body is unread. */
  async #exchange(
    method: string,
    first: RequestLocation,
    requestHeaders: Readonly<Record<string, string>>,
    body: PreparedBody | undefined,
    context: HttpErrorContext,
    signal: AbortSignal | undefined,
    requestSignal: AbortSignal | undefined,
  ): Promise<Exchange> {
    let location = first;
    let headers: Record<string, string> = requestHeaders as Record<string, string>;
    for (let redirects = 0; ; redirects++) {
      const hopHeaders: Record<string, string> = { ...headers };
      if (hopHeaders['user-agent'] === undefined) hopHeaders['user-agent'] = this.#userAgent;
      if (this.#decompress && hopHeaders['accept-encoding'] === undefined) hopHeaders['accept-encoding'] = ACCEPT_ENCODING;
      if (body !== undefined) {
        if (hopHeaders['content-type'] === undefined) hopHeaders['content-type'] = body.contentType;
        hopHeaders['content-length'] = String(body.contentLength);
      }
      let credential: string | undefined;
      // NOTE: credentials go only to the origin the request was made for, never to a redirect target elsewhere.
      if (this.#authorizer !== undefined && location.origin === first.origin) credential = await this.#authorizer.authorize(hopHeaders, signal);
      const wait = this.#limiter?.acquire(signal);
      if (wait !== undefined) await wait;

      const response = await this.#agent.request({
        origin: location.origin,
        path: location.path,
        method: method as Dispatcher.HttpMethod,
        headers: hopHeaders,
        body: body === undefined ? null : (body.open() as string | Uint8Array | Readable),
        signal: requestSignal ?? null,
        headersTimeout: this.#headersTimeout,
        bodyTimeout: this.#bodyTimeout,
      });
      const responseHeaders = normalizeHeaders(response.headers);
      const statusCode = response.statusCode;
      const redirectTo = responseHeaders.location;
      const follow =
        REDIRECT_STATUSES.has(statusCode) &&
        redirectTo !== undefined &&
        this.#followRedirects &&
        (SAFE_METHODS.has(method) || this.#redirectUnsafe);
      if (!follow) return { statusCode, headers: responseHeaders, body: response.body, location, redirects, credential };

      await discard(response.body);
      if (redirects >= this.#maxRedirects) {
        throw new HttpRequestError(
          'TREFOIL_ERR_HTTP_TOO_MANY_REDIRECTS',
          `${context.method} ${context.url}: more than ${this.#maxRedirects} redirects (last to ${redirectTo})`,
          { ...context, statusCode },
        );
      }
      let next: RequestLocation;
      try {
        next = locationOf(parseHttpUrl(new URL(redirectTo, location.href).href, method));
      } catch (cause) {
        throw new HttpRequestError(
          'TREFOIL_ERR_HTTP_INVALID_URL',
          `${context.method} ${context.url}: the server redirected to an invalid URL ${JSON.stringify(redirectTo)}`,
          { ...context, statusCode },
          { cause },
        );
      }
      if ((statusCode === 303 && method !== 'HEAD') || ((statusCode === 301 || statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = { ...headers };
        delete headers['content-type'];
      }
      if (next.origin !== location.origin) {
        headers = { ...headers };
        for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
      }
      location = next;
    }
  }

  /** Closes idle connections and waits for in-flight requests to finish. */
  close(): Promise<void> {
    this.#forgetSignal();
    return this.#agent.close();
  }

  /** Drops every connection at once, failing in-flight requests. */
  destroy(): Promise<void> {
    this.#forgetSignal();
    return this.#agent.destroy();
  }

  #forgetSignal(): void {
    if (this.#onAbort !== undefined) this.#signal!.removeEventListener('abort', this.#onAbort);
  }
}
