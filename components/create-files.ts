/**
 * CreateFiles — CloverDX's jobflow CreateFiles: creates empty files and directories, or touches
 * existing files.
 */
import { mkdir, open, stat, utimes } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import { systemCode } from './files/file-system-error.ts';
import { LITERAL_FILE_CONFIG, OPERATION_INPUT, operationPorts, runFileOperation } from './files/file-operation-runner.ts';
import { splitFileList } from './files/path-glob.ts';

export default defineComponent({
  type: 'CreateFiles',
  category: 'file-operations',
  summary: 'Creates empty files or directories (a trailing `/` means a directory); touches files that exist.',
  description: [
    '`file` names what to create (a `;`-separated list creates several). A name ending in `/` is a directory: created if missing, fine if it exists.',
    'Any other name is a file: created empty if missing; if it exists its modification time is set to now (touch) and its content is kept.',
    'A missing parent directory is a failure unless `makeParentDirs`. Result fields: `URL` (absolute path), `isDirectory`, `created` (false when it already existed).',
  ].join(' '),
  inputs: OPERATION_INPUT,
  outputs: operationPorts('file or directory created or touched'),
  config: {
    file: { type: 'template', required: true, description: 'What to create; a trailing `/` makes it a directory; `*{field}` takes values from the input record.' },
    makeParentDirs: { type: 'boolean', default: false, description: 'Create missing parent directories.' },
    literal: LITERAL_FILE_CONFIG,
  },
  outputMetadata(_config, port): MetadataInput | undefined {
    if (port === 0) return { name: 'CreatedFile', fields: { URL: 'string', isDirectory: 'boolean', created: 'boolean' } };
    if (port === 1) return { name: 'CreateFilesError', fields: { URL: 'string', errorMessage: 'string' } };
    return undefined;
  },
  examples: [{ title: 'A directory per input record', yaml: ['mkdir:', '  type: CreateFiles', '  file: ${LOCAL_DIR}/*{path}/', '  makeParentDirs: true'].join('\n') }],
  async run(context) {
    const { config } = context;
    await runFileOperation(context, 'create', ['file'], async ({ file }, results) => {
      if (config.literal && file === '') {
        results.failed({ URL: file }, new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', 'no file given (the file name is empty)'), file);
        return;
      }
      for (const entry of config.literal ? [file!] : splitFileList(file!)) {
        const isDirectory = /[\\/]$/.test(entry);
        const path = context.resolvePath(entry);
        try {
          const created = isDirectory ? await createDirectory(path, config.makeParentDirs) : await createFile(path, config.makeParentDirs);
          results.succeeded({ URL: path, isDirectory, created });
        } catch (error) {
          results.failed({ URL: path }, error, path);
        }
      }
    });
  },
});

/** @returns false when the directory already existed */
async function createDirectory(path: string, makeParentDirs: boolean): Promise<boolean> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (existing.isDirectory()) return false;
    throw new TrefoilError('TREFOIL_ERR_FILES_EXISTS', `cannot create directory ${path}: a file of that name exists`, { file: path });
  }
  await mkdir(path, { recursive: makeParentDirs }).catch((error: unknown) => {
    throw systemCode(error) === 'ENOENT' ? missingParent(path, error) : error;
  });
  return true;
}

/** @returns false when the file already existed (it is touched) */
async function createFile(path: string, makeParentDirs: boolean): Promise<boolean> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (existing.isDirectory()) throw new TrefoilError('TREFOIL_ERR_FILES_IS_DIRECTORY', `cannot create file ${path}: a directory of that name exists`, { file: path });
    const now = new Date();
    await utimes(path, now, now);
    return false;
  }
  if (makeParentDirs) await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'wx').catch((error: unknown) => {
    throw systemCode(error) === 'ENOENT' ? missingParent(path, error) : error;
  });
  await handle.close();
  return true;
}

function missingParent(path: string, cause: unknown): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_FILES_NOT_FOUND', `cannot create ${path}: the directory ${resolve(path, '..')} does not exist (set makeParentDirs: true)`, { file: path }, { cause });
}
