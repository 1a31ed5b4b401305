/**
 * list_folder cursors. A cursor is an opaque string naming an immutable position: the listed
 * folder and options, the journal sequence number the listing is consistent with, and — while
 * the first listing is still being paged — the stored listing and the offset into it. Reusing a
 * cursor replays from the same position, as on the real server. Invalidation bumps an epoch:
 * every older cursor then gets `reset`.
 */
import type { TaggedMetadataJson } from './metadata-types.ts';

/** What a cursor encodes. */
export interface CursorPosition {
  /** Cursor generation; older than the current one means `reset`. */
  readonly epoch: number;
  /** path_lower of the listed folder (`""` = root). */
  readonly scope: string;
  readonly recursive: boolean;
  readonly includeDeleted: boolean;
  /** The `limit` of the list_folder call (applies to every page), or null. */
  readonly limit: number | null;
  /** Journal sequence number the position is consistent with. */
  readonly seq: number;
  /** Stored first listing still being paged, and the next index in it. */
  readonly snapshot?: number;
  readonly offset?: number;
}

const PREFIX = 'AAH';

export class ListFolderCursors {
  #epoch = 0;
  #nextSnapshotId = 1;
  readonly #snapshots = new Map<number, readonly TaggedMetadataJson[]>();

  get epoch(): number {
    return this.#epoch;
  }

  /** Every cursor issued so far will answer `reset`. */
  invalidateAll(): void {
    this.#epoch += 1;
    this.#snapshots.clear();
  }

  /** Keeps a first listing that needs more than one page; returns its id. */
  storeSnapshot(entries: readonly TaggedMetadataJson[]): number {
    const id = this.#nextSnapshotId++;
    this.#snapshots.set(id, entries);
    return id;
  }

  snapshot(id: number): readonly TaggedMetadataJson[] | undefined {
    return this.#snapshots.get(id);
  }

  encode(position: CursorPosition): string {
    return PREFIX + Buffer.from(JSON.stringify(position)).toString('base64url');
  }

  /** The position, or null when the string is not a cursor this fake issued. */
  decode(cursor: string): CursorPosition | null {
    if (!cursor.startsWith(PREFIX)) return null;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const position = value as Partial<CursorPosition>;
    const valid =
      typeof position.epoch === 'number' &&
      typeof position.scope === 'string' &&
      typeof position.recursive === 'boolean' &&
      typeof position.includeDeleted === 'boolean' &&
      (position.limit === null || typeof position.limit === 'number') &&
      typeof position.seq === 'number';
    return valid ? (position as CursorPosition) : null;
  }
}
