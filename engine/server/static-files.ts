/**
 * The web UI's files: `GET /` is `<uiDir>/index.html`, `GET /ui/<path>` is `<uiDir>/<path>`
 * (HEAD too), with content types by extension. Nothing outside `uiDir` is ever served: the
 * decoded path must stay inside it after resolution (`..`, encoded `%2e%2e`, backslashes, NUL
 * bytes and symlinks leading out are refused with 404).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The URL prefix of UI files. */
export const UI_PREFIX = '/ui/';

/**
 * Serves the request from `uiDir` when its path is `/` or under `/ui/`. Resolves to false when
 * the request is not for the UI (another handler answers it) or the UI file does not exist.
 */
export async function serveUiFile(request: IncomingMessage, response: ServerResponse, pathname: string, uiDir: string): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  let relativePath: string;
  if (pathname === '/' || pathname === '/index.html') relativePath = 'index.html';
  else if (pathname.startsWith(UI_PREFIX)) relativePath = pathname.slice(UI_PREFIX.length);
  else return false;

  const file = await resolveInside(uiDir, relativePath);
  if (file === undefined) return false;
  const fileStat = await stat(file).catch(() => undefined);
  if (fileStat === undefined || !fileStat.isFile()) return false;

  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': fileStat.size,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  await new Promise<void>((resolvePromise) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      response.destroy();
      resolvePromise();
    });
    response.on('close', () => {
      stream.destroy();
      resolvePromise();
    });
    stream.pipe(response);
  });
  return true;
}

/** The real path of `relativePath` (URL-decoded) inside `root`, or undefined when it would leave it. */
async function resolveInside(root: string, relativePath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined; // no UI folder
  }
  const candidate = resolve(realRoot, decoded);
  if (!candidate.startsWith(realRoot + sep)) return undefined;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined;
  }
  return real.startsWith(realRoot + sep) ? real : undefined;
}
