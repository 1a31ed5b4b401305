/**
 * Bad input for JSONExtract. A match that does not fit its port's metadata follows the data
 * policy (strict fails naming the source, the select, the byte offset where the match ended and
 * the field; controlled sends it to `errorPort` with the match's JSON text, or logs and skips
 * without one; lenient nulls the bad field). Documents that are not JSON — truncated, invalid
 * UTF-8, a syntax error, empty — and missing files fail the run whatever the policy, naming the
 * source and the byte offset.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COLLECT, extractGraph, runIn, useScratch } from './extract-graphs.ts';

/** The second element's `amount` does not convert; the third lacks the non-nullable `id`. */
const ROWS = '[{"id":1,"amount":"1.50"},\n {"id":2,"amount":"lots","note":{"x":[1,2]}},\n {"amount":3},\n {"id":4,"amount":4}]';
const METADATA = '{ id: { type: long, nullable: false }, amount: { type: decimal, scale: 2 } }';
const MAPPING = '[{ select: "$[*]", port: 0 }]';

const amounts = (records: Record<string, unknown>[] | undefined) => records?.map((record) => `${record.id}:${record.amount === null ? 'null' : String(record.amount)}`);

describe('JSONExtract bad input', { timeout: 30_000 }, () => {
  const scratch = useScratch();

  it('strict fails at the first bad match, naming source, select, byte offset and field', async () => {
    const path = scratch.file('in.json', ROWS);
    const { result } = await runIn(scratch.dir, extractGraph({ mapping: MAPPING, metadata: [METADATA] }));
    expect(result.status).toBe('ERROR');
    expect(result.error?.code).toBe('TREFOIL_ERR_JSON_DATA');
    const offset = ROWS.indexOf('[1,2]}}') + '[1,2]}}'.length; // one past the second element (ASCII: bytes = characters)
    expect(result.error?.message).toContain(`${path}: match 2 of $[*] (mapping[0]) (record 2, ending by byte ${offset}), field amount: "lots" is not a decimal number`);
    expect(result.error?.recordNo).toBe(2);
  });

  it('controlled sends bad matches with their JSON text to the error port', async () => {
    const path = scratch.file('in.json', ROWS);
    const { result, collected } = await runIn(
      scratch.dir,
      extractGraph({ mapping: MAPPING, metadata: [METADATA], extra: '    dataPolicy: controlled\n    errorPort: 1\n', errorPort: { port: 1 } }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(amounts(collected.out0)).toEqual(['1:1.50', '4:4.00']);
    expect(collected.errors).toEqual([
      { recordNo: 2, fieldName: 'amount', originalData: '{"id":2,"amount":"lots","note":{"x":[1,2]}}', errorMessage: '"lots" is not a decimal number', source: path },
      { recordNo: 3, fieldName: 'id', originalData: '{"amount":3}', errorMessage: 'is missing or null, but the field is not nullable and has no default', source: path },
    ]);
  });

  it('controlled without an error port logs and skips bad matches', async () => {
    scratch.file('in.json', ROWS);
    const { result, collected } = await runIn(scratch.dir, extractGraph({ mapping: MAPPING, metadata: [METADATA], extra: '    dataPolicy: controlled\n' }));
    expect(result.status).toBe('FINISHED_OK');
    expect(amounts(collected.out0)).toEqual(['1:1.50', '4:4.00']);
  });

  it('lenient sets the bad field to null and skips a match that leaves a non-nullable field empty', async () => {
    scratch.file('in.json', ROWS);
    const { result, collected } = await runIn(scratch.dir, extractGraph({ mapping: MAPPING, metadata: [METADATA], extra: '    dataPolicy: lenient\n' }));
    expect(result.status).toBe('FINISHED_OK');
    expect(amounts(collected.out0)).toEqual(['1:1.50', '2:null', '4:4.00']);
  });

  it('treats a path that selects several values for a single-valued field as a bad match', async () => {
    const path = scratch.file('in.json', '[{"tags":["a","b"]},{"tags":["c"]}]');
    const { result, collected } = await runIn(scratch.dir, extractGraph({ mapping: '[{ select: "$[*]", fields: { tag: "$.tags[*]" } }]', metadata: ['{ tag: string }'] }));
    expect(result.error?.message).toContain(`${path}: match 1 of $[*] (mapping[0]) (record 1, ending by byte 19), field tag: $.tags[*] selects 2 values; map it into a list or variant field`);
    expect(collected.out0 ?? []).toEqual([]);
  });

  it('carries the input record fields into error records and names the input record as the source', async () => {
    const yaml = `
graph: input-errors
metadata:
  Page: { fields: { page: integer, content: string } }
components:
  pages:
    type: DataGenerator
    records: 2
    generate: |
      $out[0].page = index + 1;
      $out[0].content = index === 0 ? '{"n":1}' : '{"n":"two"}';
  extract: { type: JSONExtract, sourceField: content, dataPolicy: controlled, errorPort: 1, mapping: [{ select: "$" }] }
  good: { type: ${COLLECT} }
  bad: { type: ${COLLECT} }
edges:
  - { from: pages, to: extract, metadata: Page }
  - { from: "extract:0", to: good, metadata: { fields: { n: integer } } }
  - { from: "extract:1", to: bad, metadata: { fields: { page: integer, recordNo: long, fieldName: string, originalData: string, errorMessage: string, source: string } } }
`;
    const { result, collected } = await runIn(scratch.dir, yaml);
    expect(result.error?.message).toBeUndefined();
    expect(collected.good).toEqual([{ n: 1 }]);
    expect(collected.bad).toEqual([{ page: 2, recordNo: 1, fieldName: 'n', originalData: '{"n":"two"}', errorMessage: '"two" is not an integer', source: 'input record 2 (content)' }]);
  });

  for (const policy of ['strict', 'controlled', 'lenient']) {
    it(`fails on a truncated document under ${policy}, after the records before the cut, naming source and offset`, async () => {
      const text = '{"items":[{"v":1},{"v":2},{"v":';
      const path = scratch.file('in.json', text);
      const { result, collected } = await runIn(scratch.dir, extractGraph({ mapping: '[{ select: "$.items[*]" }]', metadata: ['{ v: integer }'], extra: `    dataPolicy: ${policy}\n` }));
      expect(result.status).toBe('ERROR');
      expect(result.error?.code).toBe('TREFOIL_ERR_JSON_TRUNCATED');
      expect(result.error?.message).toBe(`extract (JSONExtract) failed: Incomplete JSON: it ended inside an object (3 containers left open) at byte ${text.length} of ${path}`);
      expect(collected.out0).toEqual([{ v: 1 }, { v: 2 }]);
    });
  }

  it('fails on invalid UTF-8 at the offset of the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"v":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const path = scratch.file('in.json', bytes);
    const { result } = await runIn(scratch.dir, extractGraph({ mapping: '[{ select: "$[*]" }]', metadata: ['{ v: string }'], extra: '    dataPolicy: lenient\n' }));
    expect(result.error?.code).toBe('TREFOIL_ERR_JSON_ENCODING');
    expect(result.error?.message).toContain(`at byte 11 of ${path}`);
  });

  it('fails on a syntax error in a gzip file with the offset in the decompressed document', async () => {
    const path = scratch.file('in.json.gz', gzipSync('[{"v":1},{"v":2,}]'));
    const { result, collected } = await runIn(scratch.dir, extractGraph({ file: 'in.json.gz', mapping: '[{ select: "$[*]" }]', metadata: ['{ v: integer }'] }));
    expect(result.error?.code).toBe('TREFOIL_ERR_JSON_SYNTAX');
    expect(result.error?.message).toContain(`at byte 16 of ${path}`);
    expect(collected.out0).toEqual([{ v: 1 }]);
  });

  it('fails on an empty document and on a null document field', async () => {
    const path = scratch.file('in.json', '  \n');
    const { result } = await runIn(scratch.dir, extractGraph({ mapping: '[{ select: "$" }]', metadata: ['{ v: string }'] }));
    expect(result.error?.message).toContain(`Incomplete JSON: the document is empty at byte 3 of ${path}`);

    const yaml = `
graph: null-document
metadata:
  Page: { fields: { content: string } }
components:
  pages: { type: DataGenerator, records: 1, generate: "$out[0].content = null;" }
  extract: { type: JSONExtract, sourceField: content, mapping: [{ select: "$" }] }
  out: { type: Trash }
edges:
  - { from: pages, to: extract, metadata: Page }
  - { from: extract, to: out, metadata: { fields: { v: string } } }
`;
    const outcome = await runIn(scratch.dir, yaml);
    expect(outcome.result.error?.message).toContain('Incomplete JSON: the document is empty at byte 0 of input record 1 (content)');
  });

  it('fails on a missing file, naming it', async () => {
    const { result } = await runIn(scratch.dir, extractGraph({ file: 'nowhere.json', mapping: '[{ select: "$" }]', metadata: ['{ v: string }'], extra: '    dataPolicy: lenient\n' }));
    expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
    expect(result.error?.message).toContain(`${scratch.dir}/nowhere.json`);
  });
});
