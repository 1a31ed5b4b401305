/**
 * files/list_folder/continue: the rest of a first listing, then the changes since the cursor —
 * each changed path once, with what it holds now (file, folder, or DeletedMetadata), ordered
 * by its latest change. An invalidated cursor answers 409 `reset`.
 */
import { isInsideLowerPath, parentOfLowerPath } from '../dropbox-path.ts';
import type { ListFolderContinueArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { sendBadInput, sendResult, sendRouteError } from '../wire-responses.ts';
import { pageSizeOf, snapshotPage, type ListFolderResultJson, type ListingBase } from './list-folder-page.ts';

export async function handleListFolderContinue(call: RouteCall<ListFolderContinueArg>): Promise<void> {
  const { fake, res } = call;
  const position = fake.cursors.decode(call.arg.cursor);
  if (position === null) return sendBadInput(res, call.route, `request body: cursor: invalid cursor '${call.arg.cursor}'`);
  if (position.epoch < fake.cursors.epoch) return sendRouteError(res, { '.tag': 'reset' });
  const folder = fake.tree.nodeAtLowerPath(position.scope);
  if (folder === undefined || folder.kind !== 'folder') return sendRouteError(res, { '.tag': 'path', path: { '.tag': 'not_found' } });
  const { snapshot, offset, ...base } = position;
  if (snapshot !== undefined) {
    const entries = fake.cursors.snapshot(snapshot);
    if (entries === undefined) return sendRouteError(res, { '.tag': 'reset' });
    return sendResult(res, snapshotPage(fake, base, entries, snapshot, offset ?? 0));
  }
  sendResult(res, changesPage(call, base));
}

/** Changes after `base.seq`; a full page ends at its last change, so nothing is skipped. */
function changesPage(call: RouteCall<ListFolderContinueArg>, base: ListingBase): ListFolderResultJson {
  const { fake } = call;
  const scope = base.scope;
  const inScope = base.recursive
    ? (pathLower: string) => isInsideLowerPath(pathLower, scope)
    : (pathLower: string) => parentOfLowerPath(pathLower) === scope;
  const changes = fake.tree.journal.changedSince(base.seq, inScope);
  const pageSize = pageSizeOf(fake, base);
  const page = changes.slice(0, pageSize);
  const hasMore = changes.length > pageSize;
  const seq = hasMore ? page[page.length - 1]!.seq : fake.tree.journal.seq;
  return {
    entries: page.map((change) => fake.tree.currentEntry(change.event)),
    cursor: fake.cursors.encode({ ...base, seq }),
    has_more: hasMore,
  };
}
