/**
 * Turns a Node.js file-system error into a TrefoilError that names the file and says what was
 * being done, with the code a user can look up (`ENOENT` → not found, `EISDIR` → a directory…).
 */
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { ErrorCode } from '../../engine/errors/registry.ts';

/** What the component was doing with the file, for the message. */
export type FileAction = 'read' | 'write' | 'list' | 'create' | 'delete' | 'copy' | 'move';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EMFILE: 'too many open files',
};

/** The error code (`ENOENT`…) of a Node.js system error, if it is one. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A TrefoilError for `error` raised while doing `action` on `path`. Already-coded errors pass
 * through unchanged.
 */
export function fileSystemError(error: unknown, path: string, action: FileAction, hint = ''): TrefoilError {
  if (error instanceof TrefoilError) return error;
  const code = systemCode(error);
  const reason = code !== undefined ? `${REASONS[code] ?? (error as Error).message} (${code})` : String((error as Error)?.message ?? error);
  return new TrefoilError(codeFor(code, action), `cannot ${action} ${path}: ${reason}${hint}`, { file: path }, { cause: error });
}

function codeFor(code: string | undefined, action: FileAction): ErrorCode {
  switch (code) {
    case 'ENOENT':
      return action === 'write' ? 'TREFOIL_ERR_FILES_WRITE' : 'TREFOIL_ERR_FILES_NOT_FOUND';
    case 'EISDIR':
      return 'TREFOIL_ERR_FILES_IS_DIRECTORY';
    case 'ENOTDIR':
      return 'TREFOIL_ERR_FILES_NOT_DIRECTORY';
    case 'EEXIST':
      return 'TREFOIL_ERR_FILES_EXISTS';
    case 'ENOTEMPTY':
      return 'TREFOIL_ERR_FILES_NOT_EMPTY';
  }
  if (action === 'read') return 'TREFOIL_ERR_FILES_READ';
  if (action === 'write') return 'TREFOIL_ERR_FILES_WRITE';
  return 'TREFOIL_ERR_FILES_OPERATION';
}
