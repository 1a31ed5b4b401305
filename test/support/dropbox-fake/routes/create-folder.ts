/** files/create_folder_v2 (api host, rpc): creates a folder and any missing parents. */
import type { CreateFolderArg } from '../route-arg-types.ts';
import type { RouteCall } from '../route-call.ts';
import { sendResult, sendRouteError } from '../wire-responses.ts';

export async function handleCreateFolder(call: RouteCall<CreateFolderArg>): Promise<void> {
  const outcome = call.fake.tree.createFolder(call.arg.path, call.arg.autorename);
  if (!outcome.ok) return sendRouteError(call.res, { '.tag': 'path', path: outcome.error });
  sendResult(call.res, { metadata: outcome.value });
}
