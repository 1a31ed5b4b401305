/**
 * OAuth2 access tokens from a token endpoint (RFC 6749), client-credentials or refresh-token
 * grant. A token is refreshed before it expires (proactively) and once after the server rejects
 * it with 401. Concurrent requests share one refresh: however many need a token at once, exactly
 * one token request is in flight.
 *
 * Tokens are never logged or put in messages. Every secret this source knows — the client
 * secret, the refresh token, each access token it obtains — is announced through `onSecret`
 * so the caller can register it with its redactor.
 */
import type { Dispatcher } from 'undici';
import { HttpRequestError, displayUrl, transportError, type HttpErrorContext } from './http-request-error.ts';
import { parseHttpUrl } from './request-validation.ts';
import { readResponseBody } from './response-target.ts';

/** OAuth2 client configuration. */
export interface OAuth2Config {
  readonly kind: 'oauth2';
  /** The token endpoint, e.g. `https://api.dropboxapi.com/oauth2/token`. */
  readonly tokenUrl: string;
  /** @default 'client_credentials', or 'refresh_token' when a refreshToken is given */
  readonly grant?: 'client_credentials' | 'refresh_token';
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Required for the refresh-token grant. A rotated refresh token from the endpoint replaces it. */
  readonly refreshToken?: string;
  /** Space-separated scopes to ask for. */
  readonly scope?: string;
  /** More form fields for the token request (e.g. `audience`). */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** How the client authenticates: HTTP Basic (RFC 6749 §2.3.1) or fields in the body. @default 'basic' */
  readonly clientAuthentication?: 'basic' | 'body';
  /** An access token to start with (skips the first token request). */
  readonly accessToken?: string;
  /** When `accessToken` expires, epoch ms. Unknown = valid until a 401. */
  readonly expiresAt?: number;
  /**
   * Refresh this many ms before expiry (at most half the token's lifetime, so a short-lived
   * token is not refreshed on every use). @default 60000
   */
  readonly refreshMargin?: number;
}

interface Token {
  readonly value: string;
  /** Epoch ms when the token should be refreshed; Infinity when its lifetime is unknown. */
  readonly refreshAt: number;
}

/** What the source needs from its owner: a dispatcher (TLS settings included) and timeouts. */
export interface OAuth2Transport {
  readonly dispatcher: Dispatcher;
  readonly headersTimeout?: number;
  readonly bodyTimeout?: number;
}

/** Races `promise` against `signal` without cancelling the shared work behind the promise. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Form-urlencoding of a client id or secret before Basic encoding (RFC 6749 §2.3.1). */
function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

export class OAuth2TokenSource {
  readonly #config: OAuth2Config;
  readonly #transport: OAuth2Transport;
  readonly #tokenUrl: URL;
  readonly #grant: 'client_credentials' | 'refresh_token';
  readonly #onSecret: (secret: string) => void;
  readonly #now: () => number;
  readonly #margin: number;
  #refreshToken: string | undefined;
  #token: Token | undefined;
  /** The one token request in flight, shared by every caller that needs it. */
  #refreshing: Promise<Token> | undefined;
  #refreshes = 0;

  /** `now` is injectable for tests. Throws TREFOIL_ERR_HTTP_INVALID_URL / _INVALID_REQUEST for bad config. */
  constructor(
    config: OAuth2Config,
    transport: OAuth2Transport,
    onSecret: (secret: string) => void = () => undefined,
    now: () => number = Date.now,
  ) {
    this.#config = config;
    this.#transport = transport;
    this.#tokenUrl = parseHttpUrl(config.tokenUrl, 'POST');
    this.#grant = config.grant ?? (config.refreshToken !== undefined ? 'refresh_token' : 'client_credentials');
    this.#onSecret = onSecret;
    this.#now = now;
    this.#margin = config.refreshMargin ?? 60_000;
    this.#refreshToken = config.refreshToken;
    if (this.#grant === 'refresh_token' && this.#refreshToken === undefined) {
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_INVALID_REQUEST',
        'auth: the oauth2 refresh_token grant needs a refreshToken',
        { method: 'POST', url: displayUrl(this.#tokenUrl) },
      );
    }
    for (const secret of [config.clientSecret, config.refreshToken, config.accessToken]) {
      if (secret !== undefined && secret !== '') onSecret(secret);
    }
    if (config.accessToken !== undefined) {
      const refreshAt = config.expiresAt === undefined ? Infinity : config.expiresAt - this.#margin;
      this.#token = { value: config.accessToken, refreshAt };
    }
  }

  /** Token requests made so far (diagnostics, tests). */
  get refreshCount(): number {
    return this.#refreshes;
  }

  /** Every secret known now (client secret, refresh token, current access token). */
  secrets(): string[] {
    const all = [this.#config.clientSecret, this.#refreshToken, this.#token?.value];
    return all.filter((secret): secret is string => secret !== undefined && secret !== '');
  }

  /** A valid access token, refreshed first when it is missing or about to expire. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const token = this.#token;
    if (token !== undefined && this.#now() < token.refreshAt) return token.value;
    return (await raceAbort(this.#refresh(), signal)).value;
  }

  /** After a 401 with `rejected`: refreshes, unless another request already replaced that token. */
  async renew(rejected: string, signal?: AbortSignal): Promise<void> {
    if (this.#token !== undefined && this.#token.value !== rejected) return;
    this.#token = undefined;
    await raceAbort(this.#refresh(), signal);
  }

  #refresh(): Promise<Token> {
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#requestToken().finally(() => {
        this.#refreshing = undefined;
      });
    }
    return this.#refreshing;
  }

  async #requestToken(): Promise<Token> {
    this.#refreshes++;
    const config = this.#config;
    const form = new URLSearchParams({ grant_type: this.#grant });
    if (this.#grant === 'refresh_token') form.set('refresh_token', this.#refreshToken!);
    if (config.scope !== undefined) form.set('scope', config.scope);
    for (const [name, value] of Object.entries(config.extraParams ?? {})) form.set(name, value);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (config.clientId !== undefined) {
      if ((config.clientAuthentication ?? 'basic') === 'basic') {
        const pair = `${formEncode(config.clientId)}:${formEncode(config.clientSecret ?? '')}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      } else {
        form.set('client_id', config.clientId);
        if (config.clientSecret !== undefined) form.set('client_secret', config.clientSecret);
      }
    }
    const context: HttpErrorContext = { method: 'POST', url: displayUrl(this.#tokenUrl) };
    let statusCode: number;
    let text: string;
    try {
      const response = await this.#transport.dispatcher.request({
        origin: this.#tokenUrl.origin,
        path: this.#tokenUrl.pathname + this.#tokenUrl.search,
        method: 'POST',
        headers,
        body: form.toString(),
        headersTimeout: this.#transport.headersTimeout,
        bodyTimeout: this.#transport.bodyTimeout,
      });
      statusCode = response.statusCode;
      const body = await readResponseBody(
        response.body,
        response.headers as Record<string, string>,
        { kind: 'content', maxResponseSize: 1024 * 1024 },
        false,
        { ...context, statusCode },
      );
      text = body.content ?? '';
    } catch (error) {
      throw error instanceof HttpRequestError ? error : transportError(error, context);
    }
    let parsed: Record<string, unknown> | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object') parsed = value as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    const accessToken = parsed?.access_token;
    if (statusCode < 200 || statusCode >= 300 || typeof accessToken !== 'string' || accessToken === '') {
      // NOTE: only the standard error fields are shown; the body may hold tokens.
      const reason = [parsed?.error, parsed?.error_description].filter((part) => typeof part === 'string').join(': ');
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_AUTH',
        `auth: token request to ${context.url} failed with status ${statusCode}${reason === '' ? '' : ` (${reason})`}` +
          (statusCode >= 200 && statusCode < 300 ? ': the response has no access_token' : ''),
        { ...context, statusCode },
      );
    }
    this.#onSecret(accessToken);
    const rotated = parsed?.refresh_token;
    if (typeof rotated === 'string' && rotated !== '') {
      this.#refreshToken = rotated;
      this.#onSecret(rotated);
    }
    const expiresIn = Number(parsed?.expires_in);
    let refreshAt = Infinity;
    if (Number.isFinite(expiresIn) && expiresIn > 0) {
      const lifetime = expiresIn * 1000;
      refreshAt = this.#now() + lifetime - Math.min(this.#margin, lifetime / 2);
    }
    const token = { value: accessToken, refreshAt };
    this.#token = token;
    return token;
  }
}
