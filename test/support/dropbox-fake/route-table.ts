/** The routes the fake serves, with their host, style and argument type (files.stone attrs). */
import { decodeArg } from './route-arg-types.ts';
import type { RouteDefinition } from './route-call.ts';
import { handleCreateFolder } from './routes/create-folder.ts';
import { handleDelete } from './routes/delete.ts';
import { handleDownload } from './routes/download.ts';
import { handleListFolderContinue } from './routes/list-folder-continue.ts';
import { handleListFolder } from './routes/list-folder.ts';
import { handleOAuthToken } from './routes/oauth2-token.ts';
import { handleTokenRevoke } from './routes/token-revoke.ts';
import { handleUploadSessionAppend } from './routes/upload-session-append.ts';
import { handleUploadSessionFinish } from './routes/upload-session-finish.ts';
import { handleUploadSessionStart } from './routes/upload-session-start.ts';
import { handleUpload } from './routes/upload.ts';

const ROUTES: readonly RouteDefinition[] = [
  { name: 'files/download', host: 'content', style: 'download', userAuth: true, decode: decodeArg.download, handle: handleDownload },
  { name: 'files/upload', host: 'content', style: 'upload', userAuth: true, decode: decodeArg.upload, handle: handleUpload },
  { name: 'files/upload_session/start', host: 'content', style: 'upload', userAuth: true, decode: decodeArg.uploadSessionStart, handle: handleUploadSessionStart },
  { name: 'files/upload_session/append_v2', host: 'content', style: 'upload', userAuth: true, decode: decodeArg.uploadSessionAppend, handle: handleUploadSessionAppend },
  { name: 'files/upload_session/finish', host: 'content', style: 'upload', userAuth: true, decode: decodeArg.uploadSessionFinish, handle: handleUploadSessionFinish },
  { name: 'files/list_folder', host: 'api', style: 'rpc', userAuth: true, decode: decodeArg.listFolder, handle: handleListFolder },
  { name: 'files/list_folder/continue', host: 'api', style: 'rpc', userAuth: true, decode: decodeArg.listFolderContinue, handle: handleListFolderContinue },
  { name: 'files/delete_v2', host: 'api', style: 'rpc', userAuth: true, decode: decodeArg.delete, handle: handleDelete },
  { name: 'files/create_folder_v2', host: 'api', style: 'rpc', userAuth: true, decode: decodeArg.createFolder, handle: handleCreateFolder },
  { name: 'auth/token/revoke', host: 'api', style: 'rpc', userAuth: true, decode: null, handle: handleTokenRevoke },
  { name: 'oauth2/token', host: 'api', style: 'oauth', userAuth: false, decode: null, handle: handleOAuthToken },
];

const BY_NAME = new Map(ROUTES.map((route) => [route.name, route]));

/** The route named `files/upload`, `oauth2/token`, …, if the fake serves it. */
export function findRoute(name: string): RouteDefinition | undefined {
  return BY_NAME.get(name);
}
