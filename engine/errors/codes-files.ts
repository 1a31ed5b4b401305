/**
 * Codes for the file components (components/file-reader.ts, file-writer.ts and the file
 * operations ListFiles, CreateFiles, DeleteFiles, CopyFiles, MoveFiles).
 */
import { defineCodes } from './define-codes.ts';

export const FILES_CODES = defineCodes({
  TREFOIL_ERR_FILES_NOT_FOUND: {
    summary: 'A file, directory or glob pattern names nothing that exists.',
    fix: 'Check the path (relative paths resolve against the working directory; use ${GRAPH_DIR}/… for files next to the graph) and the pattern.',
  },
  TREFOIL_ERR_FILES_IS_DIRECTORY: {
    summary: 'A directory was found where a file is expected.',
    fix: 'Name a file, or a glob such as dir/*.csv to read the files inside a directory.',
  },
  TREFOIL_ERR_FILES_NOT_DIRECTORY: {
    summary: 'A file was found where a directory is expected (for example a parent of the target).',
    fix: 'Remove or rename the file that is in the way, or choose another target path.',
  },
  TREFOIL_ERR_FILES_READ: {
    summary: 'A file cannot be read (permissions or an I/O error).',
    fix: 'Check the file permissions and that the file is not being replaced while it is read.',
  },
  TREFOIL_ERR_FILES_GZIP: {
    summary: 'A gzip-compressed input (a name ending in .gz) is corrupt or truncated.',
    fix: 'Check the file with `gzip -t`; rename it if it is not really gzip-compressed.',
  },
  TREFOIL_ERR_FILES_WRITE: {
    summary: 'An output file cannot be written (missing directory, permissions, disk full).',
    fix: 'Create the directory or set makeDirs: true, check permissions and free space. Nothing partial was left behind.',
  },
  TREFOIL_ERR_FILES_DATA: {
    summary: 'A record read from a file does not convert to the metadata (dataPolicy: strict).',
    fix: 'Correct the value at the reported record and field, fix the metadata (type, format, scale), or set dataPolicy: controlled (bad records to the error port) or lenient (bad fields become null).',
  },
  TREFOIL_ERR_FILES_JSON_SHAPE: {
    summary: 'A JSON input does not have the expected shape (format: json needs a top-level array of objects; jsonl one object per line).',
    fix: 'Use format: jsonl for one object per line, format: json for one array of objects, or JSONExtract for other shapes.',
  },
  TREFOIL_ERR_FILES_GLOB: {
    summary: 'A glob pattern is invalid.',
    fix: 'Use * (any characters but /), ** (any directories), ?, [abc] and {a,b}; close every [ and {.',
  },
  TREFOIL_ERR_FILES_VALUE: {
    summary: 'A record value cannot be written in the file format.',
    fix: 'Check the value named in the message against the field type, or choose another format.',
  },
  TREFOIL_ERR_FILES_EXISTS: {
    summary: 'The target of a file operation exists and may not be replaced.',
    fix: 'Use overwrite: always (or update), delete the target first, or choose another target.',
  },
  TREFOIL_ERR_FILES_NOT_EMPTY: {
    summary: 'A directory to delete or replace is not empty.',
    fix: 'Set recursive: true to delete a directory with its content.',
  },
  TREFOIL_ERR_FILES_OPERATION: {
    summary: 'A file operation (create, delete, copy, move, list) failed.',
    fix: 'Read the system error in the message (permissions, a missing parent directory: set makeParentDirs: true).',
  },
});
