/**
 * files/download (content host, download style): the file bytes streamed from the stored
 * chunks, FileMetadata in `Dropbox-API-Result`, `ETag` with `If-None-Match`, single `Range`s.
 */
import type { ServerResponse } from 'node:http';
import type { FileContent } from '../file-content.ts';
import { contentSlices } from '../file-content.ts';
import type { FileMetadataJson, UnionJson } from '../metadata-types.ts';
import type { DownloadArg } from '../route-arg-types.ts';
import { ClientGoneError, type FakeInternals, type RouteCall } from '../route-call.ts';
import { headerSafeJson, sendRouteError } from '../wire-responses.ts';

const NOT_FOUND: UnionJson = { '.tag': 'not_found' };

export async function handleDownload(call: RouteCall<DownloadArg>): Promise<void> {
  const { res } = call;
  const resolved = resolveDownload(call.fake, call.arg);
  if ('error' in resolved) return sendRouteError(res, { '.tag': 'path', path: resolved.error });
  const { metadata, content } = resolved;

  const etag = `W/"${metadata.rev}"`;
  const common = { 'Dropbox-API-Result': headerSafeJson(metadata), ETag: etag, 'Accept-Ranges': 'bytes' };
  if (call.req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const range = parseRange(call.req.headers.range, content.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${content.size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const [start, end] = range ?? [0, content.size];
  res.writeHead(range === null ? 200 : 206, {
    ...common,
    'Content-Type': 'application/octet-stream',
    'Content-Length': end - start,
    ...(range === null ? {} : { 'Content-Range': `bytes ${start}-${end - 1}/${content.size}` }),
  });
  await streamContent(res, content, start, end, call.resetAfterBytes);
}

/**
 * The revision to send: `rev:<rev>` (any stored revision, even of a deleted file), the current
 * revision of a path or id, or the deprecated `rev` field naming an older revision of that file.
 */
function resolveDownload(fake: FakeInternals, arg: DownloadArg): { metadata: FileMetadataJson; content: FileContent } | { error: UnionJson } {
  if (arg.path.startsWith('rev:')) {
    const record = fake.tree.revision(arg.path.slice(4));
    return record === undefined ? { error: NOT_FOUND } : { metadata: record.metadata, content: record.revision.content };
  }
  const lookup = fake.tree.lookup(arg.path);
  if (!lookup.ok) return { error: lookup.error };
  const node = lookup.value;
  if (node.kind !== 'file') return { error: { '.tag': 'not_file' } };
  if (arg.rev === undefined || arg.rev === node.revision.rev) {
    return { metadata: fake.tree.fileMetadata(node), content: node.revision.content };
  }
  const record = fake.tree.revision(arg.rev);
  return record === undefined || record.metadata.id !== node.id ? { error: NOT_FOUND } : { metadata: record.metadata, content: record.revision.content };
}

/** [start, end) of a single `bytes=` range; null for none/unsupported (multi-range); 'unsatisfiable'. */
function parseRange(header: string | undefined, size: number): [number, number] | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size];
  }
  const start = Number(match[1]);
  const last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || last < start ? 'unsatisfiable' : [start, last + 1];
}

/** Writes the bytes with backpressure; with `resetAfterBytes`, cuts the connection there. */
async function streamContent(res: ServerResponse, content: FileContent, start: number, end: number, resetAfterBytes: number | null): Promise<void> {
  const stopAt = resetAfterBytes === null ? end : Math.min(end, start + resetAfterBytes);
  for (const slice of contentSlices(content, start, stopAt)) await writeChunk(res, slice);
  if (resetAfterBytes !== null) {
    // NOTE: a FIN after a flushed partial body (not an RST, which could discard those bytes
    // at the client) — the client sees the response end short of its Content-Length.
    await new Promise<void>((resolve) => res.write('', () => resolve()));
    res.socket?.destroy();
    return;
  }
  res.end();
}

function writeChunk(res: ServerResponse, chunk: Buffer): Promise<void> | void {
  if (res.destroyed) throw new ClientGoneError('client closed the download');
  if (res.write(chunk)) return;
  return new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      reject(new ClientGoneError('client closed the download'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
