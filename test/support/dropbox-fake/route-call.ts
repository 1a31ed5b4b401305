/** What a route handler receives, and the shared state of one fake instance. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DropboxTree } from './dropbox-tree.ts';
import type { ListFolderCursors } from './list-folder-cursors.ts';
import type { DropboxRequestRecord } from './request-log.ts';
import type { StoneDecoder } from './stone-types.ts';
import type { TokenStore } from './token-store.ts';
import type { UploadSessions } from './upload-sessions.ts';

/** Settings fixed at start (resolved DropboxFakeOptions). */
export interface FakeSettings {
  readonly appKey: string;
  readonly appSecret: string;
  readonly uid: string;
  readonly accountId: string;
  readonly scope: string;
  readonly maxRequestBodyBytes: number;
  readonly listFolderPageSize: number;
}

/** One fake's state, shared by its routes. */
export interface FakeInternals {
  readonly tree: DropboxTree;
  readonly sessions: UploadSessions;
  readonly cursors: ListFolderCursors;
  readonly tokens: TokenStore;
  readonly settings: FakeSettings;
}

/** A request that passed host, method, content-type, auth and argument checks. */
export interface RouteCall<Arg> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Route name for error messages (`files/upload`). */
  readonly route: string;
  /** The decoded argument (defaults filled in). */
  readonly arg: Arg;
  /** The bearer token that authorized the call (null for oauth2/token). */
  readonly accessToken: string | null;
  readonly fake: FakeInternals;
  readonly record: DropboxRequestRecord;
  /** files/download only: cut the connection after this many body bytes (injected fault). */
  readonly resetAfterBytes: number | null;
}

/** Route styles (stone_cfg `style`), plus the form-encoded oauth2/token endpoint. */
export type RouteStyle = 'rpc' | 'upload' | 'download' | 'oauth';

/** A route the fake serves. */
export interface RouteDefinition {
  /** `files/upload_session/append_v2` (the URL is `/2/<name>`, or `/oauth2/token`). */
  readonly name: string;
  readonly host: 'api' | 'content';
  readonly style: RouteStyle;
  /** Whether a valid bearer token is required. */
  readonly userAuth: boolean;
  /** Argument decoder; null for a Void argument. */
  readonly decode: StoneDecoder | null;
  // NOTE: `any` here only: each route's handler narrows the decoded argument to its own type.
  readonly handle: (call: RouteCall<any>) => Promise<void>;
}

/** Thrown when the client went away mid-response; the dispatcher ignores it. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}
