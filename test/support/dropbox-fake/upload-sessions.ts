/**
 * Upload sessions (upload_session/start, append_v2, finish). A sequential session holds the
 * bytes received so far as a chunk list plus the running content_hash of the whole file; a
 * concurrent session holds pieces by offset until it is closed and finished.
 */
import { randomBytes } from 'node:crypto';
import { DropboxContentHasher } from './content-hash.ts';
import type { FileContent } from './file-content.ts';

/** Sessions expire after 7 days (files.stone upload_session/start). */
export const UPLOAD_SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Largest file a session can build: 2^41 − 2^22 bytes. */
export const MAX_SESSION_FILE_SIZE = 2 ** 41 - 2 ** 22;

/** Concurrent appends must be multiples of 2^22 bytes (except the closing one). */
export const CONCURRENT_PIECE_UNIT = 2 ** 22;

interface SessionBase {
  readonly id: string;
  readonly createdAt: number;
  /** No more appends (append with close, or start with close). */
  closed: boolean;
  /** finish succeeded; the session is spent. */
  committed: boolean;
}

/** A sequential session: `size` is the next offset the server expects. */
export interface SequentialSession extends SessionBase {
  readonly kind: 'sequential';
  readonly chunks: Buffer[];
  size: number;
  /** content_hash state over every byte received so far. */
  hasher: DropboxContentHasher;
}

/** A concurrent session: pieces keyed by offset; `end` is known once the closing append arrived. */
export interface ConcurrentSession extends SessionBase {
  readonly kind: 'concurrent';
  readonly pieces: Map<number, { readonly chunks: Buffer[]; readonly size: number }>;
  end: number | null;
}

export type UploadSession = SequentialSession | ConcurrentSession;

export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  startSequential(): SequentialSession {
    const session: SequentialSession = {
      kind: 'sequential',
      id: newSessionId(),
      createdAt: this.#now(),
      closed: false,
      committed: false,
      chunks: [],
      size: 0,
      hasher: new DropboxContentHasher(),
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  startConcurrent(): ConcurrentSession {
    const session: ConcurrentSession = {
      kind: 'concurrent',
      id: newSessionId(),
      createdAt: this.#now(),
      closed: false,
      committed: false,
      pieces: new Map(),
      end: null,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The session, or undefined when unknown or older than 7 days. */
  get(id: string): UploadSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (this.#now() - session.createdAt > UPLOAD_SESSION_LIFETIME_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Sessions neither committed nor expired (for tests that check nothing was left open). */
  openSessionIds(): string[] {
    return [...this.#sessions.values()].filter((session) => !session.committed).map((session) => session.id);
  }
}

function newSessionId(): string {
  return 'pid_upload_session:' + randomBytes(30).toString('base64url');
}

/** Appends accepted bytes to a sequential session (no copy: the chunk list grows). */
export function appendToSequential(session: SequentialSession, chunks: readonly Buffer[], size: number, hasher: DropboxContentHasher): void {
  for (const chunk of chunks) session.chunks.push(chunk);
  session.size += size;
  session.hasher = hasher;
}

/** The finished content of a sequential session (the session keeps its hash state). */
export function sequentialContent(session: SequentialSession): FileContent {
  return { chunks: session.chunks, size: session.size, contentHash: session.hasher.copy().digestHex() };
}

/** The content of a closed concurrent session, or null when a piece is missing. */
export function concurrentContent(session: ConcurrentSession): FileContent | null {
  if (session.end === null) return null;
  const offsets = [...session.pieces.keys()].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  const hasher = new DropboxContentHasher();
  let expected = 0;
  for (const offset of offsets) {
    if (offset !== expected) return null;
    const piece = session.pieces.get(offset)!;
    for (const chunk of piece.chunks) {
      chunks.push(chunk);
      hasher.update(chunk);
    }
    expected += piece.size;
  }
  return expected === session.end ? { chunks, size: expected, contentHash: hasher.digestHex() } : null;
}
