import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_HASH_BLOCK_SIZE, DropboxContentHasher, dropboxContentHash } from '../support/dropbox-fake/index.ts';

const ENDPOINTS_MD = path.resolve(import.meta.dirname, '../../../shared/conformance/dropbox/ENDPOINTS.md');

/** The extra vectors table of ENDPOINTS.md §5: row label → content_hash. */
function vectorTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of readFileSync(ENDPOINTS_MD, 'utf8').matchAll(/^\| (.+?) \| `([0-9a-f]{64})` \|/gm)) {
    rows.set(match[1]!, match[2]!);
  }
  return rows;
}

function zeros(size: number): Buffer {
  return Buffer.alloc(size);
}

function mod251(size: number): Buffer {
  const data = Buffer.allocUnsafe(size);
  for (let index = 0; index < size; index++) data[index] = index % 251;
  return data;
}

const INPUTS: Record<string, () => Buffer> = {
  'empty (0 bytes)': () => Buffer.alloc(0),
  '`a` (1 byte)': () => Buffer.from('a'),
  '`hello world` (11 bytes)': () => Buffer.from('hello world'),
  '4,194,304 × 0x00 (exactly 1 block)': () => zeros(4_194_304),
  '4,194,305 × 0x00 (1 block + 1 byte)': () => zeros(4_194_305),
  '8,388,608 × 0x00 (exactly 2 blocks)': () => zeros(8_388_608),
  '10,000,000 bytes, byte i = i mod 251': () => mod251(10_000_000),
};

describe('dropbox content_hash', () => {
  const table = vectorTable();

  it('finds every vector of the ENDPOINTS.md table', () => {
    expect([...table.keys()].sort()).toEqual(Object.keys(INPUTS).sort());
  });

  for (const [label, input] of Object.entries(INPUTS)) {
    it(`matches the ENDPOINTS.md vector for ${label}`, () => {
      const expected = table.get(label);
      expect(expected).toMatch(/^[0-9a-f]{64}$/);
      expect(dropboxContentHash(input())).toBe(expected);
    });
  }

  it('gives the same hash when fed in odd-sized chunks across block boundaries', () => {
    const data = mod251(10_000_000);
    const hasher = new DropboxContentHasher();
    for (let offset = 0, step = 1; offset < data.length; offset += step, step = step * 7 + 13) {
      hasher.update(data.subarray(offset, Math.min(data.length, offset + step)));
    }
    expect(hasher.digestHex()).toBe(table.get('10,000,000 bytes, byte i = i mod 251'));
  });

  it('accepts a chunk list and forks state with copy()', () => {
    const block = zeros(CONTENT_HASH_BLOCK_SIZE);
    expect(dropboxContentHash([block.subarray(0, 100), block.subarray(100), Buffer.alloc(1)])).toBe(table.get('4,194,305 × 0x00 (1 block + 1 byte)'));
    const base = new DropboxContentHasher().update(block);
    const fork = base.copy().update(Buffer.alloc(1));
    expect(base.digestHex()).toBe(table.get('4,194,304 × 0x00 (exactly 1 block)'));
    expect(fork.digestHex()).toBe(table.get('4,194,305 × 0x00 (1 block + 1 byte)'));
  });

  it('differs from a plain SHA-256 of the content', () => {
    expect(dropboxContentHash(Buffer.from('hello world'))).not.toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
  });
});
