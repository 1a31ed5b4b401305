/**
 * files/list_folder (api host, rpc): the first listing of a folder (`""` = root; `"/"` is a
 * plain-text 400 as on the real server), direct children or recursive, paged by `limit`.
 */
import type { ListFolderArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { sendBadInput, sendResult, sendRouteError } from '../wire-responses.ts';
import { snapshotPage, type ListingBase } from './list-folder-page.ts';

export async function handleListFolder(call: RouteCall<ListFolderArg>): Promise<void> {
  const { arg, fake, res } = call;
  if (arg.path === '/') {
    return sendBadInput(res, call.route, 'request body: path: Specify the root folder as an empty string rather than as "/".');
  }
  if (arg.shared_link !== undefined) {
    return sendBadInput(res, call.route, 'request body: shared_link: listing shared links is not supported by the Dropbox fake');
  }
  const lookup = fake.tree.lookup(arg.path);
  if (!lookup.ok) return sendRouteError(res, { '.tag': 'path', path: lookup.error });
  const folder = lookup.value;
  if (folder.kind !== 'folder') return sendRouteError(res, { '.tag': 'path', path: { '.tag': 'not_folder' } });
  const base: ListingBase = {
    epoch: fake.cursors.epoch,
    scope: fake.tree.pathOf(folder).lower,
    recursive: arg.recursive,
    includeDeleted: arg.include_deleted,
    limit: arg.limit ?? null,
    seq: fake.tree.journal.seq,
  };
  const entries = fake.tree.listFolderEntries(folder, arg.recursive, arg.include_deleted);
  sendResult(res, snapshotPage(fake, base, entries, undefined, 0));
}
