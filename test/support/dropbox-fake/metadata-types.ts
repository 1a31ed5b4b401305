/** JSON shapes of files.stone's Metadata structs as the fake serializes them. */

/** FileMetadata without `.tag` (upload, finish and download results). */
export interface FileMetadataJson {
  name: string;
  id: string;
  client_modified: string;
  server_modified: string;
  rev: string;
  size: number;
  path_lower: string;
  path_display: string;
  is_downloadable: boolean;
  content_hash: string;
}

/** FolderMetadata without `.tag` (create_folder_v2 result). */
export interface FolderMetadataJson {
  name: string;
  id: string;
  path_lower: string;
  path_display: string;
}

/** DeletedMetadata without `.tag`. */
export interface DeletedMetadataJson {
  name: string;
  path_lower: string;
  path_display: string;
}

/** A `Metadata`-typed value: a subtype with its `.tag` (list_folder entries, delete_v2 result). */
export type TaggedMetadataJson =
  | ({ '.tag': 'file' } & FileMetadataJson)
  | ({ '.tag': 'folder' } & FolderMetadataJson)
  | ({ '.tag': 'deleted' } & DeletedMetadataJson);

/** A Stone union value as JSON: `{".tag": member, …}`. */
export interface UnionJson {
  readonly '.tag': string;
  readonly [field: string]: unknown;
}
