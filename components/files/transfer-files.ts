/**
 * What CopyFiles and MoveFiles share (CloverDX jobflow semantics):
 *
 * - the source (`file`) is a path, a glob or a `;`-separated list; the `target` is a file path,
 *   or a directory the sources go into (keeping their names) when it ends with `/`, already is
 *   a directory, or several sources (a glob or a list) are transferred;
 * - `overwrite`: `always` replaces an existing target file, `update` only when the source was
 *   modified later than the target, `never` keeps it (the source is then reported `skipped`);
 * - `makeParentDirs` creates missing target directories;
 * - directories: MoveFiles moves them whole (renaming when the target does not exist, merging
 *   file by file — each under `overwrite` — when it does); CopyFiles copies them only with
 *   `recursive`, merging the same way;
 * - every file lands atomically: a copy goes to a hidden temporary file beside the target and
 *   is renamed over it; a move is a rename (or, across file systems, that copy and then a delete).
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { TEMPORARY_SUFFIX } from './atomic-file-target.ts';
import type { OperationResults } from './file-operation-runner.ts';
import { resolveSpecification } from './file-specification.ts';
import { systemCode } from './file-system-error.ts';
import { isGlob } from './path-glob.ts';

export type OverwriteMode = 'always' | 'update' | 'never';

export interface TransferOptions {
  readonly mode: 'copy' | 'move';
  readonly overwrite: OverwriteMode;
  readonly makeParentDirs: boolean;
  /** Copy directories (CopyFiles); MoveFiles always moves them. */
  readonly recursive: boolean;
}

/** The fields of a CopyFiles / MoveFiles result record. */
export const TRANSFER_FIELDS = { sourceURL: 'string', targetURL: 'string', resultURL: 'string', isDirectory: 'boolean', skipped: 'boolean' } as const;

/** The fields of a CopyFiles / MoveFiles error record. */
export const TRANSFER_ERROR_FIELDS = { sourceURL: 'string', targetURL: 'string', errorMessage: 'string' } as const;

/** Transfers everything `source` names to `target`, reporting each top-level source. */
export async function transferFiles(source: string, target: string, options: TransferOptions, cwd: string, results: OperationResults): Promise<void> {
  const entries = await resolveSpecification(source, cwd);
  const targetPath = resolve(cwd, target);
  for (const entry of entries) if (entry.missing) results.failed({ sourceURL: entry.entry, targetURL: target }, entry.missing, entry.entry);
  const sources = entries.flatMap((entry) => entry.matches);
  if (sources.length === 0) return;
  const targetInfo = await stat(targetPath).catch(() => undefined);
  const intoDirectory = /[\\/]$/.test(target) || targetInfo?.isDirectory() === true || entries.length > 1 || entries.some((entry) => isGlob(entry.entry));
  if (intoDirectory && targetInfo === undefined) {
    try {
      if (!options.makeParentDirs) throw new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `the target directory ${targetPath} does not exist (set makeParentDirs: true)`, { file: targetPath });
      await mkdir(targetPath, { recursive: true });
    } catch (error) {
      for (const match of sources) results.failed({ sourceURL: match.path, targetURL: target }, error, targetPath);
      return;
    }
  } else if (intoDirectory && !targetInfo!.isDirectory()) {
    const error = new TrefoilError('TREFOIL_ERR_FILES_NOT_DIRECTORY', `the target ${targetPath} is a file, but several sources go into it`, { file: targetPath });
    for (const match of sources) results.failed({ sourceURL: match.path, targetURL: target }, error, targetPath);
    return;
  }
  for (const match of sources) {
    const destination = intoDirectory ? join(targetPath, basename(match.path)) : targetPath;
    try {
      const skipped = await transferOne(match.path, destination, options);
      results.succeeded({ sourceURL: match.path, targetURL: target, resultURL: destination, isDirectory: match.isDirectory, skipped });
    } catch (error) {
      results.failed({ sourceURL: match.path, targetURL: target }, error, match.path);
    }
  }
}

/** @returns true when the target was kept (overwrite never/update) */
async function transferOne(source: string, destination: string, options: TransferOptions): Promise<boolean> {
  if (resolve(source) === resolve(destination)) {
    throw new TrefoilError('TREFOIL_ERR_FILES_EXISTS', `cannot ${options.mode} ${source} onto itself`, { file: source });
  }
  const sourceInfo = await stat(source);
  const existing = await stat(destination).catch((error: unknown) => {
    if (systemCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (sourceInfo.isDirectory()) {
    if (options.mode === 'copy' && !options.recursive) {
      throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `${source} is a directory (set recursive: true to copy directories)`, { file: source });
    }
    if (resolve(destination).startsWith(resolve(source) + '/')) {
      throw new TrefoilError('TREFOIL_ERR_FILES_OPERATION', `cannot ${options.mode} ${source} into its own subdirectory ${destination}`, { file: source });
    }
    await transferDirectory(source, destination, existing, options);
    return false;
  }
  if (existing?.isDirectory()) {
    throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `cannot ${options.mode} ${source} to ${destination}: the target is a directory`, { file: destination });
  }
  if (existing !== undefined && keepsTarget(sourceInfo, existing, options.overwrite)) return true;
  await ensureParent(destination, options.makeParentDirs);
  if (options.mode === 'move') await moveFile(source, destination);
  else await copyFileAtomically(source, destination);
  return false;
}

function keepsTarget(source: Stats, target: Stats, overwrite: OverwriteMode): boolean {
  if (overwrite === 'never') return true;
  return overwrite === 'update' && source.mtimeMs <= target.mtimeMs;
}

async function transferDirectory(source: string, destination: string, existing: Stats | undefined, options: TransferOptions): Promise<void> {
  if (existing !== undefined && !existing.isDirectory()) {
    throw new TrefoilError('TREFOIL_ERR_FILES_NOT_DIRECTORY', `cannot ${options.mode} directory ${source} to ${destination}: the target is a file`, { file: destination });
  }
  if (existing === undefined) {
    await ensureParent(destination, options.makeParentDirs);
    if (options.mode === 'move') {
      try {
        await rename(source, destination);
        return;
      } catch (error) {
        if (systemCode(error) !== 'EXDEV') throw error;
      }
    }
    await mkdir(destination);
  }
  // Merge: each entry under the same rules (files under `overwrite`).
  for (const name of (await readdir(source)).sort()) {
    await transferOne(join(source, name), join(destination, name), { ...options, makeParentDirs: false });
  }
  if (options.mode === 'move') {
    // Entries kept by `overwrite` stay behind; the directory goes only when empty.
    await rmdir(source).catch((error: unknown) => {
      if (systemCode(error) !== 'ENOTEMPTY' && systemCode(error) !== 'EEXIST') throw error;
    });
  }
}

async function ensureParent(destination: string, makeParentDirs: boolean): Promise<void> {
  const parent = dirname(destination);
  const info = await stat(parent).catch(() => undefined);
  if (info?.isDirectory()) return;
  if (info !== undefined) throw new TrefoilError('TREFOIL_ERR_FILES_NOT_DIRECTORY', `cannot write ${destination}: ${parent} is a file`, { file: destination });
  if (!makeParentDirs) throw new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `the target directory ${parent} does not exist (set makeParentDirs: true)`, { file: destination });
  await mkdir(parent, { recursive: true });
}

/** Copies to a hidden temporary file beside the target, then renames it over the target. */
async function copyFileAtomically(source: string, destination: string): Promise<void> {
  const temporary = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`);
  try {
    await copyFile(source, temporary);
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function moveFile(source: string, destination: string): Promise<void> {
  try {
    await rename(source, destination);
  } catch (error) {
    if (systemCode(error) !== 'EXDEV') throw error;
    await copyFileAtomically(source, destination);
    await unlink(source);
  }
}
