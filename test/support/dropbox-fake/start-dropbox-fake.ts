/**
 * A local Dropbox API v2 server for tests: two HTTP servers on 127.0.0.1 (the api host and the
 * content host), an in-memory Dropbox, OAuth tokens, and controls to mutate the Dropbox as
 * another client, inject failures, invalidate cursors, expire tokens and inspect requests.
 *
 * @example
 * const dropbox = await startDropboxFake({ seed: { '/reports/q1.csv': 'id,total\n1,9\n' } });
 * // graph parameters: DROPBOX_API=dropbox.apiUrl, DROPBOX_CONTENT=dropbox.contentUrl,
 * //                   DROPBOX_TOKEN=dropbox.accessToken
 * dropbox.failNext({ kind: 'rate-limit', retryAfter: 1 }, { route: 'files/upload', times: 2 });
 * await dropbox.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatchRequest, type DispatchContext } from './dispatch-request.ts';
import { DropboxTree } from './dropbox-tree.ts';
import { FaultQueue, type DropboxFault, type FaultOptions } from './fault-queue.ts';
import { ListFolderCursors } from './list-folder-cursors.ts';
import type { DropboxRequestRecord } from './request-log.ts';
import type { FakeInternals } from './route-call.ts';
import { TokenStore, type AuthorizationCodeOptions } from './token-store.ts';
import { UploadSessions } from './upload-sessions.ts';

/** Options of `startDropboxFake`. Everything has a default. */
export interface DropboxFakeOptions {
  /** App key (client_id) that /oauth2/token accepts. @default 'test-app-key' */
  readonly appKey?: string;
  /** App secret that /oauth2/token accepts. @default 'test-app-secret' */
  readonly appSecret?: string;
  /** An access token valid from the start (expires after the TTL like any other). @default 'test-access-token' */
  readonly accessToken?: string;
  /** A refresh token valid from the start, tied to `accessToken`. @default 'test-refresh-token' */
  readonly refreshToken?: string;
  /** Authorization codes /oauth2/token will exchange once each. @default {} */
  readonly authorizationCodes?: Readonly<Record<string, AuthorizationCodeOptions>>;
  /** Lifetime of access tokens (`expires_in`). @default 14400 */
  readonly accessTokenTtlSeconds?: number;
  /** `uid` in token responses. @default '12345' */
  readonly uid?: string;
  /** `account_id` in token responses. @default 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc' */
  readonly accountId?: string;
  /** `scope` in code-exchange responses. @default 'account_info.read files.content.read files.content.write files.metadata.read' */
  readonly scope?: string;
  /** Namespace id accepted in `ns:<id>` paths as the root. @default '3235641' */
  readonly rootNamespaceId?: string;
  /** Largest request body per call; more is `payload_too_large`. @default 157286400 (150 MiB) */
  readonly maxRequestBodyBytes?: number;
  /**
   * Entries per list_folder page when the call gives no `limit` (the real page size is the
   * server's choice; set it small to make every listing paginate). @default 500
   */
  readonly listFolderPageSize?: number;
  /** Clock in epoch milliseconds (timestamps, token expiry, session expiry). @default Date.now */
  readonly now?: () => number;
  /**
   * path_display keeps the parent folders' casing as each item's creating call wrote it, as the
   * real server may (see DropboxTreeOptions.displayPathsAsWritten). @default false
   */
  readonly displayPathsAsWritten?: boolean;
  /** Files and folders present at start (see DropboxTree.seed). */
  readonly seed?: Readonly<Record<string, string | Uint8Array | null>>;
}

/** A running fake. */
export interface DropboxFake {
  /** Base URL of the api host (RPC routes, /oauth2/token), e.g. `http://127.0.0.1:41234`; no trailing slash. */
  readonly apiUrl: string;
  /** Base URL of the content host (upload/download routes); no trailing slash. */
  readonly contentUrl: string;
  /**
   * The in-memory Dropbox: `seed`, `putFile`, `makeFolder`, `remove` (journaled, as another
   * client), `readFile`, `getMetadata`, `listPaths`.
   */
  readonly state: DropboxTree;
  /** The access token valid from the start (options.accessToken). */
  readonly accessToken: string;
  /** The refresh token valid from the start (options.refreshToken). */
  readonly refreshToken: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly DropboxRequestRecord[];
  /** The requests to one route (`files/upload_session/append_v2`, `oauth2/token`, …). */
  requestsTo(route: string): DropboxRequestRecord[];
  clearRequests(): void;
  /** The next `times` requests (to `route`, or any) fail with `fault`. */
  failNext(fault: DropboxFault, options?: FaultOptions): void;
  clearFaults(): void;
  /** Every cursor issued so far answers list_folder/continue with 409 `reset`. */
  invalidateCursors(): void;
  /** Expires every access token issued so far (or just `accessToken`): calls get 401 `expired_access_token`. */
  expireAccessTokens(accessToken?: string): void;
  /** Mints an extra valid access token (tied to no refresh token). */
  issueAccessToken(): string;
  /** Registers an authorization code for /oauth2/token. */
  addAuthorizationCode(code: string, options?: AuthorizationCodeOptions): void;
  /** Moves the fake's clock forward (token expiry, timestamps). */
  advanceClock(seconds: number): void;
  /** Upload sessions started and not yet finished. */
  openUploadSessions(): string[];
  /** Unexpected exceptions inside the fake (each also answered 500); a test can assert none. */
  readonly serverErrors: readonly Error[];
  /** Stops both servers and drops open connections. */
  close(): Promise<void>;
}

/** Starts the fake on two ephemeral ports of 127.0.0.1. */
export async function startDropboxFake(options: DropboxFakeOptions = {}): Promise<DropboxFake> {
  const baseNow = options.now ?? Date.now;
  let clockOffsetMs = 0;
  const now = (): number => baseNow() + clockOffsetMs;

  const tokens = new TokenStore(now, options.accessTokenTtlSeconds ?? 14400);
  const accessToken = options.accessToken ?? 'test-access-token';
  const refreshToken = options.refreshToken ?? 'test-refresh-token';
  tokens.addRefreshToken(refreshToken);
  tokens.addAccessToken(accessToken, refreshToken);
  for (const [code, codeOptions] of Object.entries(options.authorizationCodes ?? {})) tokens.addAuthorizationCode(code, codeOptions);

  const tree = new DropboxTree({ now, rootNamespaceId: options.rootNamespaceId ?? '3235641', displayPathsAsWritten: options.displayPathsAsWritten ?? false });
  if (options.seed !== undefined) tree.seed(options.seed);
  const cursors = new ListFolderCursors();
  const fake: FakeInternals = {
    tree,
    sessions: new UploadSessions(now),
    cursors,
    tokens,
    settings: {
      appKey: options.appKey ?? 'test-app-key',
      appSecret: options.appSecret ?? 'test-app-secret',
      uid: options.uid ?? '12345',
      accountId: options.accountId ?? 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
      scope: options.scope ?? 'account_info.read files.content.read files.content.write files.metadata.read',
      maxRequestBodyBytes: options.maxRequestBodyBytes ?? 150 * 1024 * 1024,
      listFolderPageSize: options.listFolderPageSize ?? 500,
    },
  };
  const faults = new FaultQueue();
  const context: DispatchContext = { fake, faults, log: [], serverErrors: [] };

  const apiServer = createServer({ requestTimeout: 0 }, (req, res) => void dispatchRequest('api', req, res, context));
  const contentServer = createServer({ requestTimeout: 0 }, (req, res) => void dispatchRequest('content', req, res, context));
  const [apiUrl, contentUrl] = await Promise.all([listen(apiServer), listen(contentServer)]);

  return {
    apiUrl,
    contentUrl,
    state: tree,
    accessToken,
    refreshToken,
    get requests() {
      return context.log;
    },
    requestsTo: (route) => context.log.filter((record) => record.route === route),
    clearRequests: () => {
      context.log.length = 0;
    },
    failNext: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
    invalidateCursors: () => cursors.invalidateAll(),
    expireAccessTokens: (token) => tokens.expire(token),
    issueAccessToken: () => tokens.issueAccessToken(null),
    addAuthorizationCode: (code, codeOptions = {}) => tokens.addAuthorizationCode(code, codeOptions),
    advanceClock: (seconds) => {
      clockOffsetMs += seconds * 1000;
    },
    openUploadSessions: () => fake.sessions.openSessionIds(),
    serverErrors: context.serverErrors,
    close: () => Promise.all([stop(apiServer), stop(contentServer)]).then(() => undefined),
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
