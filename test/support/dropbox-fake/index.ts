/** Public surface of the Dropbox API v2 fake used by Trefoil's tests. */
export { startDropboxFake, type DropboxFake, type DropboxFakeOptions } from './start-dropbox-fake.ts';
export { DropboxTree } from './dropbox-tree.ts';
export { dropboxContentHash, DropboxContentHasher, CONTENT_HASH_BLOCK_SIZE } from './content-hash.ts';
export type { DropboxFault, FaultOptions } from './fault-queue.ts';
export type { DropboxRequestRecord } from './request-log.ts';
export type { AuthorizationCodeOptions } from './token-store.ts';
export type { FileMetadataJson, FolderMetadataJson, DeletedMetadataJson, TaggedMetadataJson } from './metadata-types.ts';
