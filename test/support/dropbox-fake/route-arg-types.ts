/**
 * The argument types of the fake's routes, transcribed from spec/files.stone (aliases, CommitInfo,
 * WriteMode, the *Arg structs). Compiled once at module load.
 */
import { compileStoneDecoder, type StoneField, type StoneType } from './stone-types.ts';

// files.stone aliases (patterns verbatim).
const READ_PATH: StoneType = { kind: 'string', pattern: '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/(.|[\\r\\n])*)?)' };
const WRITE_PATH: StoneType = { kind: 'string', pattern: '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)' };
const WRITE_PATH_OR_ID: StoneType = { kind: 'string', pattern: '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)|(id:.*)' };
const PATH_R_OR_ID: StoneType = { kind: 'string', pattern: '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/(.|[\\r\\n])*)?)' };
const REV: StoneType = { kind: 'string', minLength: 9, pattern: '[0-9a-f]+' };
const SHA256_HEX_HASH: StoneType = { kind: 'string', minLength: 64, maxLength: 64 };
const LIST_FOLDER_CURSOR: StoneType = { kind: 'string', minLength: 1 };
const BOOLEAN: StoneType = { kind: 'boolean' };
const UINT64: StoneType = { kind: 'uint' };

const optional = (type: StoneType): StoneField => ({ type, optional: true });
const withDefault = (type: StoneType, value: unknown): StoneField => ({ type, default: value });
const required = (type: StoneType): StoneField => ({ type });

const WRITE_MODE: StoneType = { kind: 'union', members: { add: null, overwrite: null, update: REV } };

const COMMIT_INFO_FIELDS = {
  path: required(WRITE_PATH_OR_ID),
  mode: withDefault(WRITE_MODE, { '.tag': 'add' }),
  autorename: withDefault(BOOLEAN, false),
  client_modified: optional({ kind: 'timestamp' }),
  mute: withDefault(BOOLEAN, false),
  property_groups: optional({ kind: 'list', item: { kind: 'any' } }),
  strict_conflict: withDefault(BOOLEAN, false),
} satisfies Record<string, StoneField>;

const UPLOAD_SESSION_CURSOR: StoneType = {
  kind: 'struct',
  fields: { session_id: required({ kind: 'string' }), offset: required(UINT64) },
};

/** Decoded CommitInfo (defaults filled in). */
export interface CommitInfoArg {
  path: string;
  mode: { '.tag': 'add' } | { '.tag': 'overwrite' } | { '.tag': 'update'; update: string };
  autorename: boolean;
  client_modified?: string;
  mute: boolean;
  strict_conflict: boolean;
}

export interface DownloadArg { path: string; rev?: string }
export interface UploadArg extends CommitInfoArg { content_hash?: string }
export interface UploadSessionStartArg { close: boolean; session_type?: { '.tag': 'sequential' | 'concurrent' }; content_hash?: string }
export interface UploadSessionCursorArg { session_id: string; offset: number }
export interface UploadSessionAppendArg { cursor: UploadSessionCursorArg; close: boolean; content_hash?: string }
export interface UploadSessionFinishArg { cursor: UploadSessionCursorArg; commit: CommitInfoArg; content_hash?: string }
export interface ListFolderArg { path: string; recursive: boolean; include_deleted: boolean; limit?: number; shared_link?: unknown }
export interface ListFolderContinueArg { cursor: string }
export interface DeleteArg { path: string; parent_rev?: string }
export interface CreateFolderArg { path: string; autorename: boolean }

/** Decoders per argument type (throw StoneArgError). */
export const decodeArg = {
  download: compileStoneDecoder({ kind: 'struct', fields: { path: required(READ_PATH), rev: optional(REV) } }),
  upload: compileStoneDecoder({ kind: 'struct', fields: { ...COMMIT_INFO_FIELDS, content_hash: optional(SHA256_HEX_HASH) } }),
  uploadSessionStart: compileStoneDecoder({
    kind: 'struct',
    fields: {
      close: withDefault(BOOLEAN, false),
      session_type: optional({ kind: 'union', members: { sequential: null, concurrent: null } }),
      content_hash: optional(SHA256_HEX_HASH),
    },
  }),
  uploadSessionAppend: compileStoneDecoder({
    kind: 'struct',
    fields: { cursor: required(UPLOAD_SESSION_CURSOR), close: withDefault(BOOLEAN, false), content_hash: optional(SHA256_HEX_HASH) },
  }),
  uploadSessionFinish: compileStoneDecoder({
    kind: 'struct',
    fields: {
      cursor: required(UPLOAD_SESSION_CURSOR),
      commit: required({ kind: 'struct', fields: COMMIT_INFO_FIELDS }),
      content_hash: optional(SHA256_HEX_HASH),
    },
  }),
  listFolder: compileStoneDecoder({
    kind: 'struct',
    fields: {
      path: required(PATH_R_OR_ID),
      recursive: withDefault(BOOLEAN, false),
      include_media_info: withDefault(BOOLEAN, false),
      include_deleted: withDefault(BOOLEAN, false),
      include_has_explicit_shared_members: withDefault(BOOLEAN, false),
      include_mounted_folders: withDefault(BOOLEAN, true),
      limit: optional({ kind: 'uint', min: 1, max: 2000 }),
      shared_link: optional({ kind: 'struct', fields: { url: required({ kind: 'string' }), password: optional({ kind: 'string' }) } }),
      include_property_groups: optional({ kind: 'any' }),
      include_non_downloadable_files: withDefault(BOOLEAN, true),
      include_restorable_info: withDefault(BOOLEAN, false),
    },
  }),
  listFolderContinue: compileStoneDecoder({ kind: 'struct', fields: { cursor: required(LIST_FOLDER_CURSOR) } }),
  delete: compileStoneDecoder({ kind: 'struct', fields: { path: required(WRITE_PATH_OR_ID), parent_rev: optional(REV) } }),
  createFolder: compileStoneDecoder({ kind: 'struct', fields: { path: required(WRITE_PATH), autorename: withDefault(BOOLEAN, false) } }),
};
