/**
 * FileReader's formats and options: text lines, binary chunks (the edge cases of a chunked
 * upload: 0 bytes, one chunk, exact multiples), raw files, gzip, globs and `;` lists, file names
 * from an input edge, header handling, skipRows and numRecords, and records read in pieces
 * across read blocks.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COLLECT, runIn, useScratch } from './file-graphs.ts';

const readInto = (reader: string, metadata = '') => `
graph: read
${metadata}
components:
  read: ${reader}
  sink: { type: ${COLLECT} }
edges:
  - { from: read, to: sink }
`;

describe('FileReader', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const put = (name: string, content: string | Buffer) => {
    mkdirSync(join(scratch.dir, name, '..'), { recursive: true });
    writeFileSync(join(scratch.dir, name), content);
  };

  it('text: one record per line, CRLF or LF, empty lines kept, BOM dropped, no record after the final line break', async () => {
    put('notes.txt', '\uFEFFfirst\r\n\nthird line ✓\nlast\n');
    const { result, collected } = await runIn(scratch.dir, readInto('{ type: FileReader, file: notes.txt, format: text }'));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink).toEqual([{ line: 'first' }, { line: '' }, { line: 'third line ✓' }, { line: 'last' }]);
  });

  describe('chunks', () => {
    const chunksOf = async (content: Buffer, chunkSize: number) => {
      put('blob.bin', content);
      const { result, collected } = await runIn(scratch.dir, readInto(`{ type: FileReader, file: blob.bin, format: chunks, chunkSize: ${chunkSize} }`));
      expect(result.error?.message).toBeUndefined();
      return collected.sink!.map((record): Record<string, unknown> => ({ ...record, data: Buffer.from(record.data as Uint8Array).toString() }));
    };
    const file = () => join(scratch.dir, 'blob.bin');

    it('an empty file is exactly one empty chunk, flagged last', async () => {
      expect(await chunksOf(Buffer.alloc(0), 4)).toEqual([{ file: file(), index: 0, offset: 0, size: 0, data: '', last: true }]);
    });

    it('a file smaller than a chunk is one chunk', async () => {
      expect(await chunksOf(Buffer.from('abc'), 4)).toEqual([{ file: file(), index: 0, offset: 0, size: 3, data: 'abc', last: true }]);
    });

    it('exactly one chunk, and exact multiples, end without an extra empty chunk', async () => {
      expect(await chunksOf(Buffer.from('abcd'), 4)).toEqual([{ file: file(), index: 0, offset: 0, size: 4, data: 'abcd', last: true }]);
      expect(await chunksOf(Buffer.from('abcdefgh'), 4)).toEqual([
        { file: file(), index: 0, offset: 0, size: 4, data: 'abcd', last: false },
        { file: file(), index: 1, offset: 4, size: 4, data: 'efgh', last: true },
      ]);
    });

    it('a remainder is the last chunk; chunks larger than a read block reassemble the file exactly', async () => {
      expect((await chunksOf(Buffer.from('abcdefghij'), 4)).map((chunk) => [chunk.index, chunk.offset, chunk.data, chunk.last])).toEqual([
        [0, 0, 'abcd', false],
        [1, 4, 'efgh', false],
        [2, 8, 'ij', true],
      ]);
      const big = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      put('big.bin', big);
      const { collected } = await runIn(scratch.dir, readInto('{ type: FileReader, file: big.bin, format: chunks, chunkSize: 1048576 }'));
      const chunks = collected.sink!;
      expect(chunks.map((chunk) => [chunk.index, chunk.size, chunk.last])).toEqual([
        [0, 1048576, false],
        [1, 1048576, false],
        [2, 1048576, false],
        [3, 17, true],
      ]);
      expect(Buffer.concat(chunks.map((chunk) => chunk.data as Uint8Array)).equals(big)).toBe(true);
    });
  });

  it('chunks and raw read a .gz file as the bytes it is (an upload sends it compressed); compression: gzip unpacks it', async () => {
    const compressed = gzipSync('hello, compressed world\n');
    put('archive.csv.gz', compressed);
    const chunks = await runIn(scratch.dir, readInto('{ type: FileReader, file: archive.csv.gz, format: chunks }'));
    expect(Buffer.from(chunks.collected.sink![0]!.data as Uint8Array).equals(compressed)).toBe(true);
    const raw = await runIn(scratch.dir, readInto('{ type: FileReader, file: archive.csv.gz, format: raw }'));
    expect(Buffer.from(raw.collected.sink![0]!.data as Uint8Array).equals(compressed)).toBe(true);
    const unpacked = await runIn(scratch.dir, readInto('{ type: FileReader, file: archive.csv.gz, format: raw, compression: gzip }'));
    expect(Buffer.from(unpacked.collected.sink![0]!.data as Uint8Array).toString()).toBe('hello, compressed world\n');
  });

  it('raw: the whole file into one bytes field (with its path), or into a string field', async () => {
    put('a.bin', Buffer.from([0, 1, 2, 250]));
    const bytes = await runIn(scratch.dir, readInto('{ type: FileReader, file: a.bin, format: raw }'));
    expect(bytes.collected.sink).toEqual([{ file: join(scratch.dir, 'a.bin'), data: Buffer.from([0, 1, 2, 250]) }]);
    put('doc.txt', 'héllo\nworld');
    const text = await runIn(scratch.dir, readInto('{ type: FileReader, file: doc.txt, format: raw, metadata: Doc }', 'metadata: { Doc: { fields: { content: string } } }'));
    expect(text.collected.sink).toEqual([{ content: 'héllo\nworld' }]);
  });

  it('reads .gz files transparently, globs in sorted order and ;-separated lists', async () => {
    put('in/b.csv', 'id\n3\n4\n');
    put('in/a.csv.gz', gzipSync('id\n1\n2\n'));
    put('in/sub/c.csv', 'id\n5\n');
    put('in/.hidden.csv', 'id\n99\n');
    put('extra.csv', 'id\n6\n');
    const metadata = 'metadata: { Row: { fields: { id: long } } }';
    const { result, collected } = await runIn(scratch.dir, readInto('{ type: FileReader, file: "in/*.csv*;in/**/c.csv; extra.csv", metadata: Row }', metadata));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('maps columns by header name (any order, unknown columns ignored) or by position with header: false', async () => {
    put('named.csv', 'extra,name,id\nx,alpha,1\ny,beta,2\n');
    put('plain.csv', '1,alpha\n2,beta\n');
    const metadata = 'metadata: { Row: { fields: { id: long, name: string, missing: { type: string, default: "-" } } } }';
    const named = await runIn(scratch.dir, readInto('{ type: FileReader, file: named.csv, metadata: Row }', metadata));
    expect(named.collected.sink).toEqual([
      { id: 1, name: 'alpha', missing: '-' },
      { id: 2, name: 'beta', missing: '-' },
    ]);
    const plain = await runIn(scratch.dir, readInto('{ type: FileReader, file: plain.csv, metadata: Row, header: false }', metadata));
    expect(plain.collected.sink).toEqual(named.collected.sink);
    const semicolons = 'id;name\n1;"a;b"\n';
    put('semi.csv', semicolons);
    const semi = await runIn(scratch.dir, readInto('{ type: FileReader, file: semi.csv, metadata: Row, delimiter: ";" }', metadata));
    expect(semi.collected.sink).toEqual([{ id: 1, name: 'a;b', missing: '-' }]);
    const wrong = await runIn(scratch.dir, readInto('{ type: FileReader, file: plain.csv, metadata: Row }', metadata));
    expect(wrong.result.error?.message).toContain('the header row (1, alpha) names none of the fields of metadata Row');
  });

  it('csv with field: every column into a map of strings by header name, written back as one JSON object per line', async () => {
    put('any.csv', 'b,a,"c d"\n1,x,\n2,"y, z",""\n');
    const yaml = `
graph: any-columns
metadata:
  Row: { fields: { columns: { type: string, container: map } } }
components:
  read: { type: FileReader, file: any.csv, metadata: Row, field: columns }
  copy: { type: SimpleCopy }
  sink: { type: ${COLLECT} }
  write: { type: FileWriter, file: any.jsonl, format: jsonl, field: columns }
edges:
  - { from: read, to: copy }
  - { from: copy:0, to: sink }
  - { from: copy:1, to: write }
`;
    const { result, collected } = await runIn(scratch.dir, yaml);
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink).toEqual([{ columns: { b: '1', a: 'x', 'c d': null } }, { columns: { b: '2', a: 'y, z', 'c d': '' } }]);
    expect(readFileSync(join(scratch.dir, 'any.jsonl'), 'utf8')).toBe('{"b":"1","a":"x","c d":null}\n{"b":"2","a":"y, z","c d":""}\n');
  });

  it('skipRows per file after the header, numRecords in total', async () => {
    put('one.csv', 'id\n1\n2\n3\n');
    put('two.csv', 'id\n4\n5\n6\n');
    const metadata = 'metadata: { Row: { fields: { id: long } } }';
    const { result, collected } = await runIn(scratch.dir, readInto('{ type: FileReader, file: "one.csv;two.csv", metadata: Row, skipRows: 1, numRecords: 3 }', metadata));
    expect(result.error?.message).toBeUndefined();
    expect(collected.sink!.map((record) => record.id)).toEqual([2, 3, 5]);
  });

  it('reads the files an input edge names (fileField, or a file template)', async () => {
    put('a.jsonl', '{"id":1}\n');
    put('b.jsonl', '{"id":2}\n{"id":3}\n');
    put('list.txt', 'a.jsonl\nb.jsonl\n');
    const yaml = (reader: string) => `
graph: from-input
metadata:
  Row: { fields: { id: long } }
components:
  names: { type: FileReader, file: list.txt, format: text }
  read: ${reader}
  sink: { type: ${COLLECT} }
edges:
  - { from: names, to: read }
  - { from: read, to: sink }
`;
    const byField = await runIn(scratch.dir, yaml('{ type: FileReader, fileField: line, format: jsonl, metadata: Row }'));
    expect(byField.result.error?.message).toBeUndefined();
    expect(byField.collected.sink!.map((record) => record.id)).toEqual([1, 2, 3]);
    const byTemplate = await runIn(scratch.dir, yaml('{ type: FileReader, file: "./*{line}", format: jsonl, metadata: Row }'));
    expect(byTemplate.collected.sink!.map((record) => record.id)).toEqual([1, 2, 3]);
  });

  it('parses records that straddle read blocks and parse slices (large file, multi-byte text)', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},"zürich ${'é'.repeat(i % 7)}\n${i}",${(i / 4).toFixed(2)}`);
    put('big.csv', `id,text,amount\n${rows.join('\n')}\n`);
    const metadata = 'metadata: { Row: { fields: { id: long, text: string, amount: { type: decimal, scale: 2 } } } }';
    const { result, collected } = await runIn(scratch.dir, readInto('{ type: FileReader, file: big.csv, metadata: Row }', metadata));
    expect(result.error?.message).toBeUndefined();
    expect(readFileSync(join(scratch.dir, 'big.csv')).length).toBeGreaterThan(2 * 1024 * 1024);
    expect(collected.sink).toHaveLength(60_000);
    for (const i of [0, 1, 9999, 43690, 59999]) {
      expect(collected.sink![i]!.id).toBe(i);
      expect(collected.sink![i]!.text).toBe(`zürich ${'é'.repeat(i % 7)}\n${i}`);
      expect(String(collected.sink![i]!.amount)).toBe((i / 4).toFixed(2));
    }
  });
});
