/**
 * 1 GiB down and up through the executor with bounded memory. The data is a 1 MiB pattern
 * generated once and repeated, so nothing ever holds the whole gigabyte; the process's RSS is
 * sampled during each transfer and must stay far below the data size.
 */
import { once } from 'node:events';
import { open, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../components/http/index.ts';
import { sendJson, startServer, type LocalServer } from './local-server.ts';

const MiB = 1024 * 1024;
const CHUNKS = 1024; // 1 GiB
const TOTAL = CHUNKS * MiB;
/** Bytes i % 251: a period that does not divide the chunk size, so misplaced chunks show. */
const PATTERN = Buffer.from(Array.from({ length: MiB }, (_, i) => i % 251));
/** Growth of RSS allowed during a transfer: a few buffers, nowhere near the 1 GiB moved. */
const RSS_BUDGET = 192 * MiB;

let server: LocalServer;
let dir: string;
const client = new HttpClient();

/** Whether `chunk`, found at `offset` of the stream, is the pattern there (memcmp, no hashing). */
function matchesPattern(chunk: Buffer, offset: number): boolean {
  let done = 0;
  while (done < chunk.length) {
    const at = (offset + done) % MiB;
    const length = Math.min(chunk.length - done, MiB - at);
    if (chunk.compare(PATTERN, at, at + length, done, done + length) !== 0) return false;
    done += length;
  }
  return true;
}

/** Samples RSS every 10 ms while `work` runs; returns the peak growth over the starting RSS. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trefoil-large-'));
  server = await startServer(async (request, response) => {
    if (request.url === '/download') {
      response.writeHead(200, { 'content-length': TOTAL, 'content-type': 'application/octet-stream' });
      for (let i = 0; i < CHUNKS; i++) {
        if (!response.write(PATTERN)) await once(response, 'drain');
      }
      response.end();
      return;
    }
    let bytes = 0;
    let firstMismatch: number | null = null;
    for await (const chunk of request) {
      if (firstMismatch === null && !matchesPattern(chunk as Buffer, bytes)) firstMismatch = bytes;
      bytes += (chunk as Buffer).length;
    }
    sendJson(response, 200, { bytes, firstMismatch, contentLength: request.headers['content-length'] });
  });
});

afterAll(async () => {
  await client.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('1 GiB transfers', () => {
  it('streams a 1 GiB download to a file with bounded memory', async () => {
    const path = join(dir, 'download.bin');
    const { result, growth } = await peakRssGrowth(() => client.send({ url: `${server.url}/download` }, { kind: 'file', path }));
    expect(result.file).toBe(path);
    expect(result.bodySize).toBe(TOTAL);
    expect((await stat(path)).size).toBe(TOTAL);
    expect(growth).toBeLessThan(RSS_BUDGET);
    // Spot-check content at chunk boundaries and in the middle.
    const file = await open(path, 'r');
    for (const offset of [0, MiB - 3, 512 * MiB + 12345, TOTAL - 10]) {
      const { buffer } = await file.read(Buffer.alloc(8), 0, 8, offset);
      const expected = Buffer.from(Array.from({ length: 8 }, (_, i) => PATTERN[(offset + i) % MiB]!));
      expect(buffer.subarray(0, Math.min(8, TOTAL - offset))).toEqual(expected.subarray(0, Math.min(8, TOTAL - offset)));
    }
    await file.close();
    await rm(path);
  }, 60_000);

  it('streams a 1 GiB upload from a file with bounded memory', async () => {
    const path = join(dir, 'upload.bin');
    const file = await open(path, 'w');
    const block = Buffer.concat(Array.from({ length: 16 }, () => PATTERN));
    for (let i = 0; i < CHUNKS / 16; i++) await file.write(block);
    await file.close();
    const { result, growth } = await peakRssGrowth(() =>
      client.send({ method: 'PUT', url: `${server.url}/upload`, body: { kind: 'file', path } }),
    );
    expect(JSON.parse(result.content!)).toEqual({ bytes: TOTAL, firstMismatch: null, contentLength: String(TOTAL) });
    expect(growth).toBeLessThan(RSS_BUDGET);
    await rm(path);
  }, 60_000);
});
