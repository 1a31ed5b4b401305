/**
 * Which files a reader reads: a file specification (a path, a glob, or a `;`-separated list of
 * those) resolved to existing regular files, in the order given (each glob's matches sorted).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { compileGlob, expandGlob, isGlob, splitFileList } from './path-glob.ts';
import { fileSystemError } from './file-system-error.ts';

/**
 * The files `specification` names, as absolute paths.
 * @throws TrefoilError `TREFOIL_ERR_FILES_NOT_FOUND` for a path that does not exist or a glob
 *   that matches no file; `TREFOIL_ERR_FILES_IS_DIRECTORY` for a path that is a directory
 */
export async function resolveInputFiles(specification: string, cwd: string): Promise<string[]> {
  const entries = splitFileList(specification);
  if (entries.length === 0) throw new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `no file given (the file name is empty)`);
  const files: string[] = [];
  for (const entry of entries) {
    if (isGlob(entry)) {
      const matches = (await expandGlob(compileGlob(entry, cwd))).filter((match) => !match.isDirectory);
      if (matches.length === 0) throw new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `no file matches ${JSON.stringify(entry)}`, { file: entry });
      for (const match of matches) files.push(match.path);
      continue;
    }
    const path = resolve(cwd, entry);
    const info = await stat(path).catch((error: unknown) => {
      throw fileSystemError(error, path, 'read');
    });
    if (info.isDirectory()) {
      throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `${path} is a directory, not a file (use a glob such as ${JSON.stringify(entry.replace(/\/?$/, '/*'))} to read the files in it)`, { file: path });
    }
    files.push(path);
  }
  return files;
}
