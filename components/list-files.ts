/**
 * ListFiles — CloverDX's jobflow ListFiles: one record per directory entry, with its details.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import { LITERAL_FILE_CONFIG, OPERATION_INPUT, operationPorts, runFileOperation, type OperationResults } from './files/file-operation-runner.ts';
import { resolveSpecification } from './files/file-specification.ts';
import { isGlob } from './files/path-glob.ts';

/** The fields of a ListFiles result record. */
export const LIST_FILES_FIELDS = {
  URL: 'string',
  path: 'string',
  name: 'string',
  isDirectory: 'boolean',
  isFile: 'boolean',
  isHidden: 'boolean',
  size: 'long',
  lastModified: 'date',
} as const;

export default defineComponent({
  type: 'ListFiles',
  category: 'file-operations',
  summary: 'Lists files and directories: one record per entry with its path, name, type, size and modification time.',
  description: [
    '`file` is a path, a glob or a `;`-separated list. A directory path lists the directory\'s entries (not the directory itself); a file path gives that one file;',
    'a glob gives every match (files and directories). With `recursive` directories are descended, entries listed before their contents.',
    'Entries are sorted by name. Result fields: `URL` (absolute path), `path` (relative to the listed directory or the glob\'s fixed prefix), `name`, `isDirectory`, `isFile`, `isHidden` (name starts with `.`),',
    '`size` (bytes; 0 for directories), `lastModified`. Something that does not exist is a failure (error port, or the run fails).',
    'Symbolic links are reported with their target\'s details and not descended into.',
  ].join(' '),
  inputs: OPERATION_INPUT,
  outputs: operationPorts('entry listed'),
  config: {
    file: { type: 'template', required: true, description: 'Directory, file, glob, or `;`-separated list; `*{field}` takes values from the input record.' },
    recursive: { type: 'boolean', default: false, description: 'List subdirectories\' contents too.' },
    literal: LITERAL_FILE_CONFIG,
  },
  outputMetadata(_config, port): MetadataInput | undefined {
    if (port === 0) return { name: 'FileEntry', fields: { ...LIST_FILES_FIELDS } };
    if (port === 1) return { name: 'ListFilesError', fields: { URL: 'string', errorMessage: 'string' } };
    return undefined;
  },
  examples: [
    { title: 'Every CSV below a directory', yaml: ['list:', '  type: ListFiles', '  file: ${GRAPH_DIR}/data/**/*.csv'].join('\n') },
    { title: 'A directory tree', yaml: ['list:', '  type: ListFiles', '  file: ${LOCAL_DIR}', '  recursive: true'].join('\n') },
  ],
  async run(context) {
    const { config } = context;
    await runFileOperation(context, 'list', ['file'], async ({ file }, results) => {
      for (const entry of await resolveSpecification(file!, context.resolvePath('.'), config.literal)) {
        if (entry.missing) {
          results.failed({ URL: entry.entry }, entry.missing, entry.entry);
          continue;
        }
        for (const match of entry.matches) {
          // A directory named by path is listed; one matched by a glob is an entry itself.
          if (match.isDirectory && (config.literal || !isGlob(entry.entry))) await listDirectory(match.path, match.path, config.recursive, results);
          else await report(match.path, entry.base, config.recursive, results);
        }
      }
    });
  },
});

/** Reports one entry and, for a directory when recursive, its contents. */
async function report(path: string, root: string, recursive: boolean, results: OperationResults): Promise<void> {
  let info: Stats;
  let linked: boolean;
  try {
    const own = await lstat(path);
    linked = own.isSymbolicLink();
    info = linked ? await stat(path).catch(() => own) : own;
  } catch (error) {
    results.failed({ URL: path }, error, path);
    return;
  }
  const isDirectory = info.isDirectory();
  const name = basename(path);
  results.succeeded({
    URL: path,
    path: relative(root, path),
    name,
    isDirectory,
    isFile: info.isFile(),
    isHidden: name.startsWith('.'),
    size: isDirectory ? 0 : info.size,
    lastModified: info.mtime,
  });
  if (isDirectory && recursive && !linked) await listDirectory(path, root, true, results);
}

async function listDirectory(directory: string, root: string, recursive: boolean, results: OperationResults): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(directory)).sort();
  } catch (error) {
    results.failed({ URL: directory }, error, directory);
    return;
  }
  for (const name of names) await report(join(directory, name), root, recursive, results);
}
