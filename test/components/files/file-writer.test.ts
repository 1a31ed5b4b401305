/**
 * FileWriter's formats and options: csv quoting and line endings, text and raw, json with no
 * records, files created for empty input, partitioning (`#`), splitting (`$`, `$$`), names from
 * record values, gzip, and the optional output port describing each file written.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COLLECT, filesBelow, runIn, useScratch } from './file-graphs.ts';

/** `records` JSON Lines objects → FileWriter (`writer` options) → its output port → a sink. */
function writeGraph(records: object[], writer: string, fields = '{ id: long, country: string, note: string }', withOutput = true): string {
  return `
graph: write
metadata:
  Row: { fields: ${fields} }
components:
  read: { type: FileReader, file: in.jsonl, format: jsonl, metadata: Row }
  write: { type: FileWriter, ${writer} }
  ${withOutput ? `files: { type: ${COLLECT} }` : ''}
edges:
  - { from: read, to: write }
  ${withOutput ? '- { from: write, to: files }' : ''}
`;
}

const ROWS = [
  { id: 1, country: 'CZ', note: 'plain' },
  { id: 2, country: 'DE', note: 'a, "quoted" note' },
  { id: 3, country: 'CZ', note: '' },
  { id: 4, country: 'FR', note: null },
  { id: 5, country: 'CZ', note: 'multi\nline' },
];

describe('FileWriter', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const text = (name: string) => readFileSync(join(scratch.dir, name), 'utf8');
  const run = (records: object[], writer: string, fields?: string, withOutput = true) => {
    writeFileSync(join(scratch.dir, 'in.jsonl'), records.map((record) => JSON.stringify(record)).join('\n'));
    return runIn(scratch.dir, writeGraph(records, writer, fields, withOutput));
  };

  it('csv: header, quoting only where needed, null vs empty string, the output record', async () => {
    const { result, collected } = await run(ROWS, 'file: out/rows.csv, makeDirs: true');
    expect(result.error?.message).toBeUndefined();
    const expected = 'id,country,note\n1,CZ,plain\n2,DE,"a, ""quoted"" note"\n3,CZ,""\n4,FR,\n5,CZ,"multi\nline"\n';
    expect(text('out/rows.csv')).toBe(expected);
    expect(collected.files).toEqual([{ file: join(scratch.dir, 'out/rows.csv'), records: 5, bytes: Buffer.byteLength(expected) }]);
  });

  it('csv: quoteAll, another delimiter, CRLF, no header', async () => {
    const { result } = await run(ROWS.slice(0, 4), 'file: rows.csv, quoteAll: true, delimiter: ";", lineEnding: crlf, header: false', undefined, false);
    expect(result.error?.message).toBeUndefined();
    expect(text('rows.csv')).toBe('"1";"CZ";"plain"\r\n"2";"DE";"a, ""quoted"" note"\r\n"3";"CZ";""\r\n"4";"FR";\r\n');
  });

  it('creates the file even without records: csv with its header, json as an empty array, jsonl empty', async () => {
    const csv = await run([], 'file: empty.csv');
    expect(csv.result.error?.message).toBeUndefined();
    expect(text('empty.csv')).toBe('id,country,note\n');
    expect(csv.collected.files).toEqual([{ file: join(scratch.dir, 'empty.csv'), records: 0, bytes: 16 }]);
    await run([], 'file: empty.json, format: json');
    expect(text('empty.json')).toBe('[]\n');
    await run([], 'file: empty.jsonl, format: jsonl');
    expect(text('empty.jsonl')).toBe('');
  });

  it('text and raw write one field per record', async () => {
    await run(ROWS, 'file: notes.txt, format: text, field: note', undefined, false);
    expect(text('notes.txt')).toBe('plain\na, "quoted" note\n\n\nmulti\nline\n');
    await run(ROWS, 'file: notes.raw, format: raw, field: note', undefined, false);
    expect(text('notes.raw')).toBe('plaina, "quoted" notemulti\nline');
  });

  it('partitionKey: one file per key value at #, each with its header', async () => {
    const { result, collected } = await run(ROWS, 'file: "out/by-#.csv", partitionKey: country, makeDirs: true');
    expect(result.error?.message).toBeUndefined();
    expect(filesBelow(join(scratch.dir, 'out'))).toEqual(['by-CZ.csv', 'by-DE.csv', 'by-FR.csv']);
    expect(text('out/by-CZ.csv')).toBe('id,country,note\n1,CZ,plain\n3,CZ,""\n5,CZ,"multi\nline"\n');
    expect(collected.files!.map((file) => [file.file, file.records])).toEqual([
      [join(scratch.dir, 'out/by-CZ.csv'), 3],
      [join(scratch.dir, 'out/by-DE.csv'), 1],
      [join(scratch.dir, 'out/by-FR.csv'), 1],
    ]);
  });

  it('partition values cannot leave the directory', async () => {
    const { result } = await run([{ id: 1, country: '../escape', note: 'x' }, { id: 2, country: '..', note: 'y' }], 'file: "out/#.jsonl", format: jsonl, partitionKey: country, makeDirs: true', undefined, false);
    expect(result.error?.message).toBeUndefined();
    expect(filesBelow(scratch.dir)).toEqual(['in.jsonl', 'out/.._escape.jsonl', 'out/_...jsonl']);
  });

  it('recordsPerFile: $ and $$ number the files from 0, per partition too', async () => {
    const split = await run(ROWS, 'file: "part-$$.jsonl", format: jsonl, recordsPerFile: 2');
    expect(split.result.error?.message).toBeUndefined();
    expect(filesBelow(scratch.dir).filter((name) => name.startsWith('part'))).toEqual(['part-00.jsonl', 'part-01.jsonl', 'part-02.jsonl']);
    expect(text('part-02.jsonl')).toBe('{"id":5,"country":"CZ","note":"multi\\nline"}\n');
    expect(split.collected.files!.map((file) => file.records)).toEqual([2, 2, 1]);
    const both = await run(ROWS, 'file: "p/#-$.csv", partitionKey: country, recordsPerFile: 2, makeDirs: true', undefined, false);
    expect(both.result.error?.message).toBeUndefined();
    expect(filesBelow(join(scratch.dir, 'p'))).toEqual(['CZ-0.csv', 'CZ-1.csv', 'DE-0.csv', 'FR-0.csv']);
    expect(text('p/CZ-1.csv')).toBe('id,country,note\n5,CZ,"multi\nline"\n');
  });

  it('names files from record values with *{field}', async () => {
    const { result } = await run(ROWS, 'file: "by/*{country}/rows.jsonl", format: jsonl, makeDirs: true', undefined, false);
    expect(result.error?.message).toBeUndefined();
    expect(filesBelow(join(scratch.dir, 'by'))).toEqual(['CZ/rows.jsonl', 'DE/rows.jsonl', 'FR/rows.jsonl']);
  });

  it('compresses with gzip when the name ends in .gz (and reads it back)', async () => {
    const { result, collected } = await run(ROWS, 'file: rows.csv.gz');
    expect(result.error?.message).toBeUndefined();
    const compressed = readFileSync(join(scratch.dir, 'rows.csv.gz'));
    expect(gunzipSync(compressed).toString()).toBe('id,country,note\n1,CZ,plain\n2,DE,"a, ""quoted"" note"\n3,CZ,""\n4,FR,\n5,CZ,"multi\nline"\n');
    expect(collected.files![0]!.bytes).toBe(statSync(join(scratch.dir, 'rows.csv.gz')).size);
    const plain = await run(ROWS, 'file: plain.gz, compression: none', undefined, false);
    expect(plain.result.error?.message).toBeUndefined();
    expect(text('plain.gz').startsWith('id,country,note\n')).toBe(true);
  });

  it('raw writes bytes as they are, even to a .gz name (no double compression)', async () => {
    const { result } = await run(ROWS.slice(0, 1), 'file: copy.gz, format: raw, field: note', undefined, false);
    expect(result.error?.message).toBeUndefined();
    expect(text('copy.gz')).toBe('plain');
  });

  it('rejects options that cannot work before the run starts', async () => {
    await expect(run(ROWS, 'file: out.csv, partitionKey: country')).rejects.toThrow(/partitionKey the file name needs a #/);
    await expect(run(ROWS, 'file: out.csv, recordsPerFile: 2')).rejects.toThrow(/recordsPerFile the file name needs a \$/);
    await expect(run(ROWS, 'file: "out-#.csv", partitionKey: nope')).rejects.toThrow(/partitionKey field nope is not in metadata Row/);
    await expect(run(ROWS, 'file: out.json, format: json, append: true')).rejects.toThrow(/cannot be appended/);
    await expect(run(ROWS, 'file: "*{nope}.csv"')).rejects.toThrow(/refers to field nope/);
  });
});
