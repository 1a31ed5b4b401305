/**
 * OAuth state of the fake: access tokens with expiry on the fake's clock, refresh tokens,
 * and single-use authorization codes.
 */
import { randomBytes } from 'node:crypto';

/** How an authorization code was obtained at /oauth2/authorize (which the fake skips). */
export interface AuthorizationCodeOptions {
  /** Authorized with `token_access_type=offline`: the exchange also returns a refresh_token. @default true */
  readonly offline?: boolean;
  /** The redirect_uri given to /oauth2/authorize; the exchange must repeat it exactly. */
  readonly redirectUri?: string;
  /** PKCE: base64url SHA-256 of the code_verifier (S256); the exchange may then omit the secret. */
  readonly codeChallenge?: string;
}

/** Result of checking a bearer token. */
export type AccessTokenStatus = 'valid' | 'expired' | 'invalid';

interface AccessTokenRecord {
  expiresAt: number;
  readonly refreshToken: string | null;
  revoked: boolean;
}

/** Outcome of redeeming a code. */
export type CodeRedemption = { readonly ok: true; readonly code: AuthorizationCodeOptions } | { readonly ok: false; readonly reason: 'unknown' | 'used' };

export class TokenStore {
  readonly #access = new Map<string, AccessTokenRecord>();
  /** Refresh tokens: whether revoked, and whether issued to a PKCE client (which refreshes without a secret). */
  readonly #refresh = new Map<string, { revoked: boolean; readonly pkce: boolean }>();
  readonly #codes = new Map<string, { options: AuthorizationCodeOptions; used: boolean }>();
  readonly #now: () => number;
  readonly #ttlSeconds: number;

  constructor(now: () => number, ttlSeconds: number) {
    this.#now = now;
    this.#ttlSeconds = ttlSeconds;
  }

  /** Lifetime of new access tokens in seconds (`expires_in`). */
  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  /** Registers a refresh token (valid until revoked). */
  addRefreshToken(refreshToken: string, pkce = false): void {
    this.#refresh.set(refreshToken, { revoked: false, pkce });
  }

  /** Registers an access token, optionally tied to a refresh token, valid for the TTL. */
  addAccessToken(accessToken: string, refreshToken: string | null): void {
    this.#access.set(accessToken, { expiresAt: this.#now() + this.#ttlSeconds * 1000, refreshToken, revoked: false });
  }

  /** Mints a new access token (for a refresh token, or standalone). */
  issueAccessToken(refreshToken: string | null): string {
    const accessToken = 'sl.' + randomBytes(48).toString('base64url');
    this.addAccessToken(accessToken, refreshToken);
    return accessToken;
  }

  /** Mints and registers a new refresh token. */
  issueRefreshToken(pkce: boolean): string {
    const refreshToken = randomBytes(40).toString('base64url');
    this.addRefreshToken(refreshToken, pkce);
    return refreshToken;
  }

  check(accessToken: string): AccessTokenStatus {
    const record = this.#access.get(accessToken);
    if (record === undefined || record.revoked) return 'invalid';
    return this.#now() >= record.expiresAt ? 'expired' : 'valid';
  }

  isRefreshTokenValid(refreshToken: string): boolean {
    return this.#refresh.get(refreshToken)?.revoked === false;
  }

  /** Whether the refresh token came from a PKCE exchange (refreshing it needs no client secret). */
  isPkceRefreshToken(refreshToken: string): boolean {
    return this.#refresh.get(refreshToken)?.pkce === true;
  }

  /** Makes every access token issued so far expired (or just `accessToken`). */
  expire(accessToken?: string): void {
    const past = this.#now() - 1;
    if (accessToken !== undefined) {
      const record = this.#access.get(accessToken);
      if (record !== undefined) record.expiresAt = past;
      return;
    }
    for (const record of this.#access.values()) record.expiresAt = Math.min(record.expiresAt, past);
  }

  /** auth/token/revoke: disables the token, its refresh token and that refresh token's other access tokens. */
  revoke(accessToken: string): void {
    const record = this.#access.get(accessToken);
    if (record === undefined) return;
    record.revoked = true;
    if (record.refreshToken === null) return;
    const refresh = this.#refresh.get(record.refreshToken);
    if (refresh !== undefined) refresh.revoked = true;
    for (const other of this.#access.values()) {
      if (other.refreshToken === record.refreshToken) other.revoked = true;
    }
  }

  addAuthorizationCode(code: string, options: AuthorizationCodeOptions): void {
    this.#codes.set(code, { options, used: false });
  }

  /** Marks a code used; a code works once. */
  redeemCode(code: string): CodeRedemption {
    const entry = this.#codes.get(code);
    if (entry === undefined) return { ok: false, reason: 'unknown' };
    if (entry.used) return { ok: false, reason: 'used' };
    entry.used = true;
    return { ok: true, code: entry.options };
  }

  /** Looks at a code without using it. */
  peekCode(code: string): AuthorizationCodeOptions | undefined {
    const entry = this.#codes.get(code);
    return entry === undefined || entry.used ? undefined : entry.options;
  }
}
