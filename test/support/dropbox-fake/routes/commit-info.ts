/** CommitInfo (upload, upload_session/finish) → the tree's commit options. */
import type { CommitOptions } from '../dropbox-tree.ts';
import type { CommitInfoArg } from '../route-arg-types.ts';

export function commitOptionsOf(commit: CommitInfoArg): CommitOptions {
  return {
    mode: commit.mode,
    autorename: commit.autorename,
    strictConflict: commit.strict_conflict,
    clientModified: commit.client_modified,
  };
}
