/**
 * File specifications as FileReader, ListFiles, DeleteFiles, CopyFiles and MoveFiles take them:
 * a path, a glob, or several of those separated by `;` (CloverDX's multi-URL syntax).
 *
 * Glob syntax per path segment: `*` any run of characters but `/`, `?` one character, `[abc]`,
 * `[a-z]`, `[!abc]` a class, `{csv,tsv}` alternatives, `\` escapes; a whole segment `**` matches
 * zero or more directories, and a trailing `**` everything below its directory. As in a shell,
 * a wildcard does not match a name starting with `.` unless the segment itself starts with `.` —
 * which also keeps FileWriter's temporary files (`.name.….trefoil-part`) out of every listing.
 * Matches are returned sorted, so runs are repeatable.
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
// NOTE: the name matcher the file listener uses; one glob dialect for the whole product.
import { compileFileNamePattern, type FileNamePattern } from '../../engine/server/file-name-pattern.ts';

const GLOB_CHARACTERS = /[*?[{]/;

/** True when `text` holds a wildcard (`*`, `?`, `[`, `{`). */
export function isGlob(text: string): boolean {
  return GLOB_CHARACTERS.test(text);
}

/** The entries of a `;`-separated file specification, blanks trimmed, empty entries dropped. */
export function splitFileList(specification: string): string[] {
  return specification
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** One segment of a compiled glob: a literal name, a name pattern, or `**`. */
type Segment = { kind: 'literal'; name: string } | { kind: 'pattern'; pattern: FileNamePattern; dotted: boolean } | { kind: 'any-depth' };

/** A glob compiled once: the literal directory it starts from and the segments below it. */
export interface CompiledGlob {
  /** The pattern as given. */
  readonly source: string;
  /** Absolute directory before the first wildcard segment. */
  readonly base: string;
  readonly segments: readonly Segment[];
}

/**
 * Compiles a glob; relative patterns resolve against `cwd`.
 * @throws TrefoilError `TREFOIL_ERR_FILES_GLOB` for an unclosed `[` or `{`
 */
export function compileGlob(pattern: string, cwd: string): CompiledGlob {
  const absolute = isAbsolute(pattern) ? pattern : join(cwd, pattern);
  const parts = absolute.split(/[\\/]+/);
  let baseEnd = 0;
  while (baseEnd < parts.length && !isGlob(parts[baseEnd]!)) baseEnd++;
  const base = resolve(parts.slice(0, baseEnd).join(sep) || sep);
  const segments: Segment[] = parts.slice(baseEnd).map((part): Segment => {
    if (part === '**') return { kind: 'any-depth' };
    if (!isGlob(part)) return { kind: 'literal', name: part };
    try {
      return { kind: 'pattern', pattern: compileFileNamePattern(part), dotted: part.startsWith('.') };
    } catch (error) {
      throw new TrefoilError('TREFOIL_ERR_FILES_GLOB', `invalid glob ${JSON.stringify(pattern)}: ${(error as Error).message}`, {}, { cause: error });
    }
  });
  return { source: pattern, base, segments };
}

/** What one match is. */
export interface GlobMatch {
  readonly path: string;
  readonly isDirectory: boolean;
}

/**
 * Every existing path the glob matches (files and directories), sorted by path. Unreadable
 * directories below the base are skipped; a missing base gives no matches.
 */
export async function expandGlob(glob: CompiledGlob): Promise<GlobMatch[]> {
  const found = new Map<string, boolean>();
  await walk(glob.base, glob.segments, 0, found);
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, isDirectory]) => ({ path, isDirectory }));
}

async function walk(directory: string, segments: readonly Segment[], index: number, found: Map<string, boolean>): Promise<void> {
  if (index === segments.length) {
    const info = await stat(directory).catch(() => undefined);
    if (info) found.set(directory, info.isDirectory());
    return;
  }
  const segment = segments[index]!;
  if (segment.kind === 'literal') {
    await walk(join(directory, segment.name), segments, index + 1, found);
    return;
  }
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return;
  if (segment.kind === 'any-depth') {
    if (index === segments.length - 1) {
      // A trailing `**` is everything below the directory (not the directory itself).
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const path = join(directory, entry.name);
        const isDirectory = await isDirectoryEntry(directory, entry);
        found.set(path, isDirectory);
        if (isDirectory) await walk(path, segments, index, found);
      }
      return;
    }
    // `**` matches zero directories here, or descends one level and stays in place.
    await walk(directory, segments, index + 1, found);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !(await isDirectoryEntry(directory, entry))) continue;
      await walk(join(directory, entry.name), segments, index, found);
    }
    return;
  }
  const last = index === segments.length - 1;
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !segment.dotted) continue;
    if (!segment.pattern.matches(entry.name)) continue;
    const path = join(directory, entry.name);
    if (last) found.set(path, await isDirectoryEntry(directory, entry));
    else if (await isDirectoryEntry(directory, entry)) await walk(path, segments, index + 1, found);
  }
}

/** Directory test that follows symbolic links (a link to a directory counts as one). */
async function isDirectoryEntry(directory: string, entry: { name: string; isDirectory(): boolean; isSymbolicLink(): boolean }): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  const info = await stat(join(directory, entry.name)).catch(() => undefined);
  return info?.isDirectory() ?? false;
}
