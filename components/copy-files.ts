/**
 * CopyFiles — CloverDX's jobflow CopyFiles: copies files (and, with `recursive`, directories).
 */
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import { OPERATION_INPUT, operationPorts, runFileOperation } from './files/file-operation-runner.ts';
import { TRANSFER_ERROR_FIELDS, TRANSFER_FIELDS, transferFiles } from './files/transfer-files.ts';

export default defineComponent({
  type: 'CopyFiles',
  category: 'file-operations',
  summary: 'Copies files and directories to a target file or directory, with overwrite rules.',
  description: [
    '`file` is a path, a glob or a `;`-separated list; `target` is a file, or a directory the sources go into (keeping their names) when it ends with `/`, is an existing directory, or several sources are copied.',
    '`overwrite`: `always` (default) replaces existing files, `update` only when the source is newer, `never` keeps them (reported with `skipped: true`).',
    'Directories are copied only with `recursive` (merged into an existing target directory file by file). Each file is copied to a hidden temporary file and renamed into place, so a target is never half-written.',
    'Result fields, one record per top-level source: `sourceURL`, `targetURL` (as given), `resultURL` (the absolute path written), `isDirectory`, `skipped`.',
  ].join(' '),
  inputs: OPERATION_INPUT,
  outputs: operationPorts('source copied'),
  config: {
    file: { type: 'template', required: true, description: 'What to copy: path, glob or `;`-separated list; `*{field}` takes values from the input record.' },
    target: { type: 'template', required: true, description: 'Where to: a file path, or a directory (ending with `/`).' },
    overwrite: { type: 'string', enum: ['always', 'update', 'never'], default: 'always', description: 'What to do when a target file exists.' },
    makeParentDirs: { type: 'boolean', default: false, description: 'Create missing target directories.' },
    recursive: { type: 'boolean', default: false, description: 'Copy directories with their content.' },
  },
  outputMetadata(_config, port): MetadataInput | undefined {
    if (port === 0) return { name: 'CopiedFile', fields: { ...TRANSFER_FIELDS } };
    if (port === 1) return { name: 'CopyFilesError', fields: { ...TRANSFER_ERROR_FIELDS } };
    return undefined;
  },
  examples: [{ title: 'Back up the day\'s exports', yaml: ['backup:', '  type: CopyFiles', '  file: ${OUT_DIR}/*.csv', '  target: ${OUT_DIR}/backup/', '  makeParentDirs: true', '  overwrite: update'].join('\n') }],
  async run(context) {
    const { config } = context;
    const options = { mode: 'copy' as const, overwrite: config.overwrite, makeParentDirs: config.makeParentDirs, recursive: config.recursive };
    await runFileOperation(context, 'copy', ['file', 'target'], ({ file, target }, results) => transferFiles(file!, target!, options, context.resolvePath('.'), results));
  },
});
