/**
 * DeleteFiles — CloverDX's jobflow DeleteFiles: deletes files and directories.
 */
import { rm, rmdir, unlink } from 'node:fs/promises';
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import { systemCode } from './files/file-system-error.ts';
import { LITERAL_FILE_CONFIG, OPERATION_INPUT, operationPorts, runFileOperation } from './files/file-operation-runner.ts';
import { resolveSpecification } from './files/file-specification.ts';

export default defineComponent({
  type: 'DeleteFiles',
  category: 'file-operations',
  summary: 'Deletes files and directories named by a path, a glob or a `;`-separated list.',
  description: [
    'Each match is deleted: a file (or symbolic link) always; a directory only when empty, unless `recursive` (then with everything in it).',
    'A path that does not exist, or a glob that matches nothing, is a failure (as in CloverDX): connect the error port to tolerate it.',
    'Result fields: `URL` (absolute path), `isDirectory`.',
  ].join(' '),
  inputs: OPERATION_INPUT,
  outputs: operationPorts('file or directory deleted'),
  config: {
    file: { type: 'template', required: true, description: 'What to delete: path, glob or `;`-separated list; `*{field}` takes values from the input record.' },
    recursive: { type: 'boolean', default: false, description: 'Delete non-empty directories with their content.' },
    literal: LITERAL_FILE_CONFIG,
  },
  outputMetadata(_config, port): MetadataInput | undefined {
    if (port === 0) return { name: 'DeletedFile', fields: { URL: 'string', isDirectory: 'boolean' } };
    if (port === 1) return { name: 'DeleteFilesError', fields: { URL: 'string', errorMessage: 'string' } };
    return undefined;
  },
  examples: [{ title: 'Clean up temporary files', yaml: ['clean:', '  type: DeleteFiles', '  file: ${OUT_DIR}/tmp-*.csv'].join('\n') }],
  async run(context) {
    const { config } = context;
    await runFileOperation(context, 'delete', ['file'], async ({ file }, results) => {
      for (const entry of await resolveSpecification(file!, context.resolvePath('.'), config.literal)) {
        if (entry.missing) {
          results.failed({ URL: entry.entry }, entry.missing, entry.entry);
          continue;
        }
        for (const match of entry.matches) {
          try {
            if (!match.isDirectory) await unlink(match.path);
            else if (config.recursive) await rm(match.path, { recursive: true });
            else await rmdir(match.path).catch((error: unknown) => {
              if (systemCode(error) !== 'ENOTEMPTY' && systemCode(error) !== 'EEXIST') throw error;
              throw new TrefoilError('TREFOIL_ERR_FILES_NOT_EMPTY', `cannot delete ${match.path}: the directory is not empty (set recursive: true)`, { file: match.path }, { cause: error });
            });
            results.succeeded({ URL: match.path, isDirectory: match.isDirectory });
          } catch (error) {
            results.failed({ URL: match.path }, error, match.path);
          }
        }
      }
    });
  },
});
