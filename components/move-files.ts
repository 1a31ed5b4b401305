/**
 * MoveFiles — CloverDX's jobflow MoveFiles: moves (renames) files and directories.
 */
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import { OPERATION_INPUT, operationPorts, runFileOperation } from './files/file-operation-runner.ts';
import { TRANSFER_ERROR_FIELDS, TRANSFER_FIELDS, transferFiles } from './files/transfer-files.ts';

export default defineComponent({
  type: 'MoveFiles',
  category: 'file-operations',
  summary: 'Moves files and directories to a target file or directory, with overwrite rules.',
  description: [
    '`file` is a path, a glob or a `;`-separated list; `target` is a file, or a directory the sources go into (keeping their names) when it ends with `/`, is an existing directory, or several sources are moved.',
    '`overwrite`: `always` (default) replaces existing files, `update` only when the source is newer, `never` keeps them (the source stays where it is, reported with `skipped: true`).',
    'A move is a rename, atomic on one file system; across file systems the file is copied to a hidden temporary file, renamed into place, then the source deleted.',
    'A directory is renamed when the target does not exist, else merged into it file by file (entries kept by `overwrite` stay in the source directory).',
    'Result fields, one record per top-level source: `sourceURL`, `targetURL` (as given), `resultURL` (the absolute path written), `isDirectory`, `skipped`.',
  ].join(' '),
  inputs: OPERATION_INPUT,
  outputs: operationPorts('source moved'),
  config: {
    file: { type: 'template', required: true, description: 'What to move: path, glob or `;`-separated list; `*{field}` takes values from the input record.' },
    target: { type: 'template', required: true, description: 'Where to: a file path, or a directory (ending with `/`).' },
    overwrite: { type: 'string', enum: ['always', 'update', 'never'], default: 'always', description: 'What to do when a target file exists.' },
    makeParentDirs: { type: 'boolean', default: false, description: 'Create missing target directories.' },
  },
  outputMetadata(_config, port): MetadataInput | undefined {
    if (port === 0) return { name: 'MovedFile', fields: { ...TRANSFER_FIELDS } };
    if (port === 1) return { name: 'MoveFilesError', fields: { ...TRANSFER_ERROR_FIELDS } };
    return undefined;
  },
  examples: [{ title: 'Archive processed inputs', yaml: ['archive:', '  type: MoveFiles', '  file: inbox/*.csv', '  target: archive/', '  makeParentDirs: true'].join('\n') }],
  async run(context) {
    const { config } = context;
    const options = { mode: 'move' as const, overwrite: config.overwrite, makeParentDirs: config.makeParentDirs, recursive: true };
    await runFileOperation(context, 'move', ['file', 'target'], ({ file, target }, results) => transferFiles(file!, target!, options, context.resolvePath('.'), results));
  },
});
