/**
 * Bad input: malformed and unconvertible records under each data policy (strict fails naming
 * file, record and field; controlled sends the original text to the error port, or logs and skips
 * without one; lenient nulls the bad field), and the file-level problems that always fail the run
 * with the file named: a missing file, a glob matching nothing, a directory, a corrupt or
 * truncated gzip stream, an unwritable target.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COLLECT, filesBelow, runIn, useScratch } from './file-graphs.ts';

const ROWS = [
  'id,name,amount',
  '1,alpha,1.50',
  '2,"bro"ken,2.00', // text after a closing quote: malformed
  'x3,gamma,3.00', // id does not convert
  '4,"multi',
  'line",not-a-number', // amount does not convert; the row spans two lines
  ',epsilon,5', // id empty, but id is not nullable
  '6,zeta,6',
].join('\n');

function readerGraph(options: string, file = 'in.csv', format = 'csv', errorPort = true): string {
  return `
graph: policies
metadata:
  Row: { fields: { id: { type: long, nullable: false }, name: string, amount: { type: decimal, scale: 2 } } }
components:
  read: { type: FileReader, file: ${file}, format: ${format}, metadata: Row ${options} }
  good: { type: ${COLLECT} }
  ${errorPort ? `bad: { type: ${COLLECT} }` : ''}
edges:
  - { from: read, to: good }
  ${errorPort ? '- { from: read:1, to: bad }' : ''}
`;
}

const ids = (records: Record<string, unknown>[] | undefined) => records?.map((record) => record.id);

describe('data policies', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const file = () => join(scratch.dir, 'in.csv');

  it('strict fails at the first bad record, naming the file and the record', async () => {
    writeFileSync(file(), ROWS);
    const { result, collected } = await runIn(scratch.dir, readerGraph(''));
    expect(result.status).toBe('ERROR');
    expect(result.error?.code).toBe('TREFOIL_ERR_CSV_MALFORMED_ROW');
    expect(result.error?.message).toContain(`${file()}: record 2: malformed CSV row 3, field 2: text after the closing quote`);
    expect(ids(collected.good)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('strict names the field that does not convert', async () => {
    writeFileSync(file(), 'id,name,amount\n1,a,1\n2,b,lots\n');
    const { result } = await runIn(scratch.dir, readerGraph(''));
    expect(result.error?.code).toBe('TREFOIL_ERR_FILES_DATA');
    expect(result.error?.message).toContain(`${file()}: record 2, field amount: "lots" is not a decimal`);
    expect(result.error?.recordNo).toBe(2);
  });

  it('controlled sends each bad record with its original text to the error port', async () => {
    writeFileSync(file(), ROWS);
    const { result, collected } = await runIn(scratch.dir, readerGraph(', dataPolicy: controlled'));
    expect(result.error?.message).toBeUndefined();
    expect(collected.good).toEqual([
      { id: 1, name: 'alpha', amount: expect.objectContaining({ unscaled: 150n, scale: 2 }) },
      { id: 6, name: 'zeta', amount: expect.objectContaining({ unscaled: 600n, scale: 2 }) },
    ]);
    expect(collected.bad!.map(({ recordNo, fieldName, originalData, source }) => ({ recordNo, fieldName, originalData, source }))).toEqual([
      { recordNo: 2, fieldName: null, originalData: '2,"bro"ken,2.00', source: file() },
      { recordNo: 3, fieldName: 'id', originalData: 'x3,gamma,3.00', source: file() },
      { recordNo: 4, fieldName: 'amount', originalData: '4,"multi\nline",not-a-number', source: file() },
      { recordNo: 5, fieldName: 'id', originalData: ',epsilon,5', source: file() },
    ]);
    expect(collected.bad![0]!.errorMessage).toContain('text after the closing quote');
    expect(collected.bad![1]!.errorMessage).toBe('"x3" is not a long integer');
    expect(collected.bad![3]!.errorMessage).toContain('not nullable');
  });

  it('controlled without an error port logs and skips bad records', async () => {
    writeFileSync(file(), ROWS);
    const { result, collected } = await runIn(scratch.dir, readerGraph(', dataPolicy: controlled', 'in.csv', 'csv', false));
    expect(result.error?.message).toBeUndefined();
    expect(ids(collected.good)).toEqual([1, 6]);
  });

  it('lenient sets fields that do not convert to null and keeps best-effort values of malformed rows', async () => {
    writeFileSync(file(), ROWS);
    const { result, collected } = await runIn(scratch.dir, readerGraph(', dataPolicy: lenient'));
    expect(result.error?.message).toBeUndefined();
    const names = collected.good!.map((record) => [record.id, record.name, record.amount === null ? null : String(record.amount)]);
    // x3 has a non-nullable id that does not convert: nulling it is impossible, so it is skipped.
    expect(names).toEqual([
      [1, 'alpha', '1.50'],
      [2, 'broken', '2.00'],
      [4, 'multi\nline', null],
      [6, 'zeta', '6.00'],
    ]);
    expect(collected.bad).toEqual([]);
  });

  it('jsonl: a line that is not JSON, or not an object, goes to the error port as it was', async () => {
    writeFileSync(join(scratch.dir, 'in.jsonl'), '{"id":1,"name":"a"}\n{"id":2,\n[1,2]\n\n{"id":"x4"}\n{"id":5}\n');
    const { result, collected } = await runIn(scratch.dir, readerGraph(', dataPolicy: controlled', 'in.jsonl', 'jsonl'));
    expect(result.error?.message).toBeUndefined();
    expect(ids(collected.good)).toEqual([1, 5]);
    expect(collected.bad!.map((record) => [record.recordNo, record.fieldName, record.originalData])).toEqual([
      [2, null, '{"id":2,'],
      [3, null, '[1,2]'],
      [4, 'id', '{"id":"x4"}'],
    ]);
    expect(collected.bad![0]!.errorMessage).toMatch(/^invalid JSON/);
    expect(collected.bad![1]!.errorMessage).toBe('expected a JSON object, got an array');
  });

  it('json: an element that is not an object is a bad record; invalid JSON fails with its offset', async () => {
    writeFileSync(join(scratch.dir, 'in.json'), '[{"id":1}, 7, {"id":3}]');
    const { result, collected } = await runIn(scratch.dir, readerGraph(', dataPolicy: controlled', 'in.json', 'json'));
    expect(result.error?.message).toBeUndefined();
    expect(ids(collected.good)).toEqual([1, 3]);
    expect(collected.bad!.map((record) => [record.recordNo, record.originalData])).toEqual([[2, '7']]);

    writeFileSync(join(scratch.dir, 'in.json'), '[{"id":1}, {"id":2,}]');
    const failed = await runIn(scratch.dir, readerGraph(', dataPolicy: controlled', 'in.json', 'json'));
    expect(failed.result.error?.code).toBe('TREFOIL_ERR_JSON_SYNTAX');
    expect(failed.result.error?.message).toContain(join(scratch.dir, 'in.json'));

    writeFileSync(join(scratch.dir, 'in.json'), '{"id":1}');
    const shape = await runIn(scratch.dir, readerGraph('', 'in.json', 'json'));
    expect(shape.result.error?.code).toBe('TREFOIL_ERR_FILES_JSON_SHAPE');
  });
});

describe('file-level problems fail the run with the file named', () => {
  const scratch = useScratch();
  const read = (file: string, options = '') => runIn(scratch.dir, readerGraph(`, dataPolicy: controlled ${options}`, file));

  it('a missing file', async () => {
    const { result } = await read('missing.csv');
    expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
    expect(result.error?.message).toContain(`cannot read ${join(scratch.dir, 'missing.csv')}: no such file or directory`);
  });

  it('a glob that matches nothing', async () => {
    const { result } = await read('"data/*.csv"');
    expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
    expect(result.error?.message).toContain('no file matches "data/*.csv"');
  });

  it('a directory where a file is expected', async () => {
    mkdirSync(join(scratch.dir, 'data'));
    const { result } = await read('data');
    expect(result.error?.code).toBe('TREFOIL_ERR_FILES_IS_DIRECTORY');
    expect(result.error?.message).toContain(`${join(scratch.dir, 'data')} is a directory`);
  });

  it('a .gz file that is not gzip, and a truncated one', async () => {
    writeFileSync(join(scratch.dir, 'in.csv.gz'), 'id,name\n1,plain text, not compressed\n');
    const garbage = await read('in.csv.gz');
    expect(garbage.result.error?.code).toBe('TREFOIL_ERR_FILES_GZIP');
    expect(garbage.result.error?.message).toContain(`cannot read ${join(scratch.dir, 'in.csv.gz')} as gzip`);

    const compressed = gzipSync(Buffer.from('id,name,amount\n' + '1,a,1\n'.repeat(10000)));
    writeFileSync(join(scratch.dir, 'cut.csv.gz'), compressed.subarray(0, compressed.length - 20));
    const truncated = await read('cut.csv.gz');
    expect(truncated.result.error?.code).toBe('TREFOIL_ERR_FILES_GZIP');
    expect(truncated.result.error?.message).toContain(`cannot read ${join(scratch.dir, 'cut.csv.gz')} as gzip: the compressed data is truncated`);
  });

  const writeGraph = (file: string, options = '') => `
graph: unwritable
metadata:
  Row: { fields: { id: long } }
components:
  gen: { type: DataGenerator, records: 10, generate: "$out[0].id = index;" }
  write: { type: FileWriter, file: ${file} ${options} }
edges:
  - { from: gen, to: write, metadata: Row }
`;

  it('an unwritable target: a missing directory, a file in the way, a directory in the way', async () => {
    const missing = await runIn(scratch.dir, writeGraph('nowhere/out.csv'));
    expect(missing.result.error?.code).toBe('TREFOIL_ERR_FILES_WRITE');
    expect(missing.result.error?.message).toContain(`cannot write ${join(scratch.dir, 'nowhere/out.csv')}: no such file or directory (ENOENT) (the directory ${join(scratch.dir, 'nowhere')} does not exist; set makeDirs: true)`);

    writeFileSync(join(scratch.dir, 'blocker'), 'a file');
    const blocked = await runIn(scratch.dir, writeGraph('blocker/out.csv', ', makeDirs: true'));
    expect(blocked.result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_DIRECTORY');
    expect(blocked.result.error?.message).toContain(`cannot write ${join(scratch.dir, 'blocker/out.csv')}`);

    mkdirSync(join(scratch.dir, 'out.csv'));
    const directory = await runIn(scratch.dir, writeGraph('out.csv'));
    expect(directory.result.error?.code).toBe('TREFOIL_ERR_FILES_IS_DIRECTORY');
    expect(directory.result.error?.message).toContain(`cannot write ${join(scratch.dir, 'out.csv')}: it is a directory`);
    expect(filesBelow(scratch.dir)).toEqual(['blocker']);
  });
});
