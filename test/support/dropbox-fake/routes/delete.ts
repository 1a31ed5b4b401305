/**
 * files/delete_v2 (api host, rpc): deletes a file or a folder with its contents; the result is
 * the item's metadata from before the deletion (never DeletedMetadata).
 */
import type { DeleteArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';

export async function handleDelete(call: RouteCall<DeleteArg>): Promise<void> {
  const { arg, fake, res } = call;
  const lookup = fake.tree.lookup(arg.path);
  if (!lookup.ok) return sendRouteError(res, { '.tag': 'path_lookup', path_lookup: lookup.error });
  const node = lookup.value;
  if (fake.tree.isRoot(node)) return sendRouteError(res, { '.tag': 'path_lookup', path_lookup: { '.tag': 'malformed_path' } });
  if (arg.parent_rev !== undefined) {
    // parent_rev applies to files only.
    if (node.kind !== 'file') return sendRouteError(res, { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_file' } });
    if (node.revision.rev !== arg.parent_rev) {
      return sendRouteError(res, { '.tag': 'path_write', path_write: { '.tag': 'conflict', conflict: { '.tag': 'file' } } });
    }
  }
  sendResult(res, { metadata: fake.tree.deleteNode(node) });
}
