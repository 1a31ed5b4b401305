/**
 * 1 GiB through HTTPConnector graphs with bounded memory: a download streamed to a
 * `responseFile`, an upload streamed from a `bodyFile`, and a chunked upload (FileReader
 * `chunks` records → `bodyField`, as Dropbox's upload sessions need). The data is a 1 MiB
 * pattern repeated, so nothing holds the whole transfer; the process's RSS is sampled while each
 * graph runs and must stay far below the data size.
 */
import { once } from 'node:events';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { sendJson, startServer, type LocalServer } from '../http/local-server.ts';

const MiB = 1024 * 1024;
const GiB_CHUNKS = 1024;
/** Bytes i % 251: a period that does not divide the chunk size, so misplaced bytes show. */
const PATTERN = Buffer.from(Array.from({ length: MiB }, (_, i) => i % 251));
/** RSS growth allowed while a graph moves 1 GiB: buffers, nowhere near the data size. */
const RSS_BUDGET = 200 * MiB;

const scratch = temporaryDirectory('trefoil-http-large-');
let server: LocalServer;

/** Whether `chunk`, found at `offset` of the stream, is the pattern there. */
function matchesPattern(chunk: Buffer, offset: number): boolean {
  for (let done = 0; done < chunk.length; ) {
    const at = (offset + done) % MiB;
    const length = Math.min(chunk.length - done, MiB - at);
    if (chunk.compare(PATTERN, at, at + length, done, done + length) !== 0) return false;
    done += length;
  }
  return true;
}

async function writePatternFile(path: string, mebibytes: number): Promise<void> {
  const file = await open(path, 'w');
  const block = Buffer.concat(Array.from({ length: 16 }, () => PATTERN));
  for (let i = 0; i < mebibytes / 16; i++) await file.write(block);
  await file.close();
}

/** Runs `work`, sampling RSS every 10 ms; returns its result and the peak growth. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, process.memoryUsage.rss()) - baseline };
  } finally {
    clearInterval(sampler);
  }
}

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    const url = new URL(request.url!, 'http://x');
    if (url.pathname === '/download') {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': GiB_CHUNKS * MiB });
      for (let i = 0; i < GiB_CHUNKS; i++) if (!response.write(PATTERN)) await once(response, 'drain');
      response.end();
      return;
    }
    // Uploads: the bytes are checked against the pattern at their offset (a chunk names its own).
    let bytes = 0;
    const start = Number(url.searchParams.get('offset') ?? 0);
    let firstMismatch: number | null = null;
    for await (const chunk of request) {
      if (firstMismatch === null && !matchesPattern(chunk as Buffer, start + bytes)) firstMismatch = start + bytes;
      bytes += (chunk as Buffer).length;
    }
    sendJson(response, 200, { bytes, firstMismatch, contentLength: Number(request.headers['content-length']) });
  });
});

afterAll(async () => {
  await server.close();
  scratch.cleanup();
});

describe('HTTPConnector 1 GiB transfers', () => {
  it('downloads 1 GiB to a responseFile with bounded memory', async () => {
    const target = join(scratch.dir, 'out', 'download.bin');
    const { result, growth } = await peakRssGrowth(() =>
      runYaml(`
graph: download
components:
  http: { type: HTTPConnector, url: "${server.url}/download", responseFile: "${target}", makeDirs: true }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink }
`),
    );
    expect(result.result.error?.message).toBeUndefined();
    expect(result.collected.sink![0]).toMatchObject({ statusCode: 200, file: target });
    expect((await stat(target)).size).toBe(GiB_CHUNKS * MiB);
    expect(growth).toBeLessThan(RSS_BUDGET);
    const file = await open(target, 'r');
    for (const offset of [0, MiB - 3, 512 * MiB + 12345, GiB_CHUNKS * MiB - 8]) {
      const { buffer } = await file.read(Buffer.alloc(8), 0, 8, offset);
      expect(matchesPattern(buffer, offset)).toBe(true);
    }
    await file.close();
    await rm(target);
  }, 60_000);

  it('uploads 1 GiB from a bodyFile with bounded memory', async () => {
    const source = join(scratch.dir, 'upload.bin');
    await writePatternFile(source, GiB_CHUNKS);
    const { result, growth } = await peakRssGrowth(() =>
      runYaml(`
graph: upload
components:
  http: { type: HTTPConnector, method: PUT, url: "${server.url}/upload", bodyFile: "${source}" }
  sink: { type: ${COLLECT} }
edges:
  - { from: http, to: sink }
`),
    );
    expect(result.result.error?.message).toBeUndefined();
    expect(JSON.parse(result.collected.sink![0]!.content as string)).toEqual({ bytes: GiB_CHUNKS * MiB, firstMismatch: null, contentLength: GiB_CHUNKS * MiB });
    expect(growth).toBeLessThan(RSS_BUDGET);
    await rm(source);
  }, 60_000);

  it('uploads a file in 4 MiB chunks: FileReader chunks → bodyField, in order, memory bounded by the edge', async () => {
    const source = join(scratch.dir, 'chunked.bin');
    const mebibytes = 256;
    await writePatternFile(source, mebibytes);
    const { result, growth } = await peakRssGrowth(() =>
      runYaml(`
graph: chunked-upload
metadata:
  Chunk: { fields: { index: long, offset: long, data: bytes, last: boolean } }
  Appended: { fields: { index: long, offset: long, last: boolean, statusCode: integer, content: string } }
components:
  chunks: { type: FileReader, file: "${source}", format: chunks, metadata: Chunk }
  append:
    type: HTTPConnector
    method: POST
    url: "${server.url}/append?offset=*{offset}"
    bodyField: data
    concurrency: 2
  sink: { type: ${COLLECT} }
edges:
  - { from: chunks, to: append, metadata: Chunk, buffer: 4 }
  - { from: append, to: sink, metadata: Appended }
`),
    );
    expect(result.result.error?.message).toBeUndefined();
    const records = result.collected.sink!;
    expect(records).toHaveLength(mebibytes / 4);
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: mebibytes / 4 }, (_, i) => i));
    expect(records.map((r) => r.last)).toEqual(records.map((_, i) => i === mebibytes / 4 - 1));
    for (const record of records) {
      expect(JSON.parse(record.content as string)).toEqual({ bytes: 4 * MiB, firstMismatch: null, contentLength: 4 * MiB });
    }
    expect(growth).toBeLessThan(RSS_BUDGET);
    await rm(source);
  }, 60_000);
});
