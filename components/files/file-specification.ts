/**
 * What a file operation's `file` attribute names: each entry of a `;`-separated list is a path
 * (which must exist) or a glob (which must match something), in order.
 */
import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { compileGlob, expandGlob, isGlob, splitFileList, type GlobMatch } from './path-glob.ts';

/** One entry of a specification and what it matched. */
export interface SpecificationEntry {
  /** The entry as written (after template rendering). */
  readonly entry: string;
  /** Absolute directory paths are reported relative to (the glob's base, or the path's parent). */
  readonly base: string;
  /** Matches, sorted; empty when nothing exists (then `missing` says why). */
  readonly matches: readonly GlobMatch[];
  readonly missing?: TrefoilError;
}

/**
 * Resolves every entry; an entry naming nothing gets `missing` instead of failing the others.
 * With `literal` the specification is one path taken as it is — no `;` list, no wildcards, no
 * trimming — for names built from data, which may hold any of those characters.
 */
export async function resolveSpecification(specification: string, cwd: string, literal = false): Promise<SpecificationEntry[]> {
  const entries = literal ? (specification === '' ? [] : [specification]) : splitFileList(specification);
  if (entries.length === 0) {
    return [{ entry: specification, base: cwd, matches: [], missing: new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', 'no file given (the file name is empty)') }];
  }
  const resolved: SpecificationEntry[] = [];
  for (const entry of entries) {
    if (!literal && isGlob(entry)) {
      const glob = compileGlob(entry, cwd);
      const matches = await expandGlob(glob);
      resolved.push(
        matches.length > 0
          ? { entry, base: glob.base, matches }
          : { entry, base: glob.base, matches, missing: new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `nothing matches ${JSON.stringify(entry)}`, { file: entry }) },
      );
      continue;
    }
    const path = resolve(cwd, entry);
    // NOTE: lstat as a fallback, so a dangling symbolic link can still be deleted or listed.
    const info = await stat(path).catch(() => lstat(path)).catch(() => undefined);
    resolved.push(
      info !== undefined
        ? { entry, base: resolve(path, '..'), matches: [{ path, isDirectory: info.isDirectory() }] }
        : { entry, base: resolve(path, '..'), matches: [], missing: new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `${path} does not exist`, { file: path }) },
    );
  }
  return resolved;
}
