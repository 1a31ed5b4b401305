/**
 * Request authorization: a fixed bearer token, HTTP Basic, or OAuth2 tokens (`oauth2.ts`).
 * The authorizer sets the `Authorization` header of each attempt (overriding one given in the
 * request's headers) and, after a 401, says whether a retry with a renewed credential is worth it.
 */
import { OAuth2TokenSource, type OAuth2Config, type OAuth2Transport } from './oauth2.ts';

/** How requests authenticate. */
export type AuthConfig =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | OAuth2Config;

/** Applies one AuthConfig to requests. */
export interface RequestAuthorizer {
  /** Sets `headers.authorization` for one attempt; returns the credential used (for `renew`). */
  authorize(headers: Record<string, string>, signal?: AbortSignal): string | Promise<string>;
  /** Whether `renew` can produce a new credential (OAuth2); a 401 is then retried once. */
  readonly renewable: boolean;
  /**
   * Called once per request after a 401 answered `credential`: obtains a new credential unless
   * another request already replaced that one. Only called when `renewable`.
   */
  renew(credential: string, signal?: AbortSignal): Promise<void>;
  /** Every secret the authorizer knows now, for a redactor. */
  secrets(): string[];
}

class StaticAuthorizer implements RequestAuthorizer {
  readonly #header: string;
  readonly #secrets: string[];

  constructor(header: string, secrets: string[]) {
    this.#header = header;
    this.#secrets = secrets.filter((secret) => secret !== '');
  }

  authorize(headers: Record<string, string>): string {
    headers.authorization = this.#header;
    return this.#header;
  }

  readonly renewable = false;

  renew(): Promise<void> {
    return Promise.resolve();
  }

  secrets(): string[] {
    return [...this.#secrets];
  }
}

class OAuth2Authorizer implements RequestAuthorizer {
  readonly source: OAuth2TokenSource;

  constructor(source: OAuth2TokenSource) {
    this.source = source;
  }

  async authorize(headers: Record<string, string>, signal?: AbortSignal): Promise<string> {
    const token = await this.source.accessToken(signal);
    headers.authorization = `Bearer ${token}`;
    return token;
  }

  readonly renewable = true;

  renew(credential: string, signal?: AbortSignal): Promise<void> {
    return this.source.renew(credential, signal);
  }

  secrets(): string[] {
    return this.source.secrets();
  }
}

/**
 * Builds the authorizer for `config`. `onSecret` hears every secret as it becomes known (now for
 * static ones, on arrival for OAuth2 tokens). `transport` carries OAuth2's token requests.
 */
export function createRequestAuthorizer(
  config: AuthConfig,
  transport: OAuth2Transport,
  onSecret: (secret: string) => void = () => undefined,
): RequestAuthorizer {
  switch (config.kind) {
    case 'bearer': {
      onSecret(config.token);
      return new StaticAuthorizer(`Bearer ${config.token}`, [config.token]);
    }
    case 'basic': {
      const encoded = Buffer.from(`${config.username}:${config.password}`).toString('base64');
      for (const secret of [config.password, encoded]) if (secret !== '') onSecret(secret);
      return new StaticAuthorizer(`Basic ${encoded}`, [config.password, encoded]);
    }
    case 'oauth2':
      return new OAuth2Authorizer(new OAuth2TokenSource(config, transport, onSecret));
  }
}

/** The OAuth2 token source behind an authorizer, if it has one (diagnostics, tests). */
export function oauth2SourceOf(authorizer: RequestAuthorizer): OAuth2TokenSource | undefined {
  return authorizer instanceof OAuth2Authorizer ? authorizer.source : undefined;
}
