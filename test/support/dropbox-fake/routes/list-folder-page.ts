/**
 * Pages of list_folder results: a first listing is served from a stored snapshot until it is
 * exhausted; after that the cursor sits on a journal position and continue reports changes.
 */
import type { CursorPosition } from '../list-folder-cursors.ts';
import type { TaggedMetadataJson } from '../metadata-types.ts';
import type { FakeInternals } from '../route-call.ts';

/** ListFolderResult. */
export interface ListFolderResultJson {
  entries: TaggedMetadataJson[];
  cursor: string;
  has_more: boolean;
}

/** The position of a listing, minus where it is in the first listing. */
export type ListingBase = Omit<CursorPosition, 'snapshot' | 'offset'>;

/** Page size: the call's `limit`, else the fake's default page size. */
export function pageSizeOf(fake: FakeInternals, base: ListingBase): number {
  return base.limit ?? fake.settings.listFolderPageSize;
}

/**
 * One page of a first listing starting at `offset`. The listing is stored (once) when it needs
 * more pages; the last page's cursor moves on to the journal position `base.seq`.
 */
export function snapshotPage(
  fake: FakeInternals,
  base: ListingBase,
  entries: readonly TaggedMetadataJson[],
  snapshotId: number | undefined,
  offset: number,
): ListFolderResultJson {
  const end = offset + pageSizeOf(fake, base);
  const page = entries.slice(offset, end);
  if (end >= entries.length) return { entries: page, cursor: fake.cursors.encode(base), has_more: false };
  const snapshot = snapshotId ?? fake.cursors.storeSnapshot(entries);
  return { entries: page, cursor: fake.cursors.encode({ ...base, snapshot, offset: end }), has_more: true };
}
