/**
 * JSONExtract's contract (SPEC §7): one record per match on its port, children's records before
 * their parent's, parentKey and sequenceField, RFC 9535 nodelist order with duplicates, implicit
 * mapping by member name, relative field paths (`$` = the match), conversions into every field
 * type, and the document sources (file, glob, `;` list, gzip, input records holding the
 * document or its path, input fields carried onto the output).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../../../engine/metadata/record-type.ts';
import { COLLECT, extractGraph, runIn, useScratch } from './extract-graphs.ts';

const ORDERS = JSON.stringify({
  orders: [
    { id: 1, customer: { name: 'Ada' }, items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }] },
    { id: 2, customer: { name: 'Grace' }, items: [] },
    { id: 3, customer: { name: 'Edsger' }, items: [{ sku: 'C', qty: 5 }] },
  ],
});

/** Sinks' records in arrival order across ports, tagged with the port (needs a shared sink to see interleaving). */
function plain(records: DataRecord[] | undefined): unknown[] {
  return (records ?? []).map((record) => JSON.parse(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))));
}

describe('JSONExtract', { timeout: 30_000 }, () => {
  const scratch = useScratch();

  it('writes one record per match, children before their parent, with parentKey and sequenceField', async () => {
    scratch.file('in.json', ORDERS);
    const { result, collected } = await runIn(
      scratch.dir,
      extractGraph({
        mapping: `[{ select: "$.orders[*]", port: 0, fields: { customer: "$.customer.name" }, sequenceField: n,
                     children: [{ select: "$.items[*]", port: 1, parentKey: { orderId: id }, sequenceField: line }] }]`,
        metadata: ['{ id: long, customer: string, n: integer }', '{ orderId: long, line: integer, sku: string, qty: integer }'],
      }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.out0).toEqual([
      { id: 1, customer: 'Ada', n: 1 },
      { id: 2, customer: 'Grace', n: 2 },
      { id: 3, customer: 'Edsger', n: 3 },
    ]);
    expect(collected.out1).toEqual([
      { orderId: 1, line: 1, sku: 'A', qty: 2 },
      { orderId: 1, line: 2, sku: 'B', qty: 1 },
      { orderId: 3, line: 1, sku: 'C', qty: 5 },
    ]);
  });

  it('emits the records of the children of a match before the match itself (one port, one sink)', async () => {
    scratch.file('in.json', ORDERS);
    const { collected } = await runIn(
      scratch.dir,
      extractGraph({
        mapping: `[{ select: "$.orders[*]", fields: { what: "$.customer.name" }, children: [{ select: "$.items[*]", fields: { what: "$.sku" }, parentKey: { id: id } }] }]`,
        metadata: ['{ id: long, what: string }'],
      }),
    );
    expect(collected.out0!.map((record) => `${record.id}:${record.what}`)).toEqual(['1:A', '1:B', '1:Ada', '2:Grace', '3:C', '3:Edsger']);
  });

  it('follows RFC 9535 nodelist order, duplicates included', async () => {
    scratch.file('in.json', '[{"v":"a"},{"v":"b"},{"v":"c"}]');
    const { collected } = await runIn(scratch.dir, extractGraph({ mapping: `[{ select: "$[2,0,0,1]" }]`, metadata: ['{ v: string }'] }));
    expect(collected.out0!.map((record) => record.v)).toEqual(['c', 'a', 'a', 'b']);
  });

  it('maps fields by member name, leaves missing and null members at their default, ignores other members', async () => {
    scratch.file('in.json', '[{"a":"x","b":2,"extra":true},{"b":null},{"a":"y","c":[1,2]}]');
    const { collected } = await runIn(
      scratch.dir,
      extractGraph({ mapping: `[{ select: "$[*]" }]`, metadata: ['{ a: string, b: { type: integer, default: 7 }, c: { type: integer, container: list } }'] }),
    );
    expect(collected.out0).toEqual([
      { a: 'x', b: 2, c: null },
      { a: null, b: 7, c: null },
      { a: 'y', b: 7, c: [1, 2] },
    ]);
  });

  it("reads relative paths: nested members, $['.tag'], indices, $ itself, and nodelists into list and variant fields", async () => {
    scratch.file('in.json', JSON.stringify({ entries: [{ '.tag': 'file', name: 'a.txt', sizes: [3, 4], meta: { deep: { x: 1 } } }, { '.tag': 'folder', name: 'b' }] }));
    const { result, collected } = await runIn(
      scratch.dir,
      extractGraph({
        mapping: `[{ select: "$.entries[*]", fields: { tag: "$['.tag']", first: "$.sizes[0]", last: "$.sizes[-1]", all: "$.sizes[*]", any: "$..x", whole: "$", text: "$.meta", deep: "$.meta.deep.x" } }]`,
        metadata: ['{ tag: string, name: string, first: integer, last: integer, all: { type: long, container: list }, any: variant, whole: variant, text: string, deep: long }'],
      }),
    );
    expect(result.error?.message).toBeUndefined();
    expect(collected.out0).toEqual([
      { tag: 'file', name: 'a.txt', first: 3, last: 4, all: [3, 4], any: [1], whole: { '.tag': 'file', name: 'a.txt', sizes: [3, 4], meta: { deep: { x: 1 } } }, text: '{"deep":{"x":1}}', deep: 1 },
      { tag: 'folder', name: 'b', first: null, last: null, all: [], any: [], whole: { '.tag': 'folder', name: 'b' }, text: null, deep: null },
    ]);
  });

  it('converts into every field type: dates (ISO and format), exact longs and decimals, booleans, number text, maps', async () => {
    scratch.file(
      'in.json',
      '[{"when":"2024-02-29T10:00:00Z","day":"29.02.2024","big":9007199254740993,"price":12345678901234567.891,"ok":true,"yes":"yes","n":1.5,"digits":3.14159265358979323846,"m":{"a":1,"b":2},"ms":1700000000000}]',
    );
    const { result, collected } = await runIn(
      scratch.dir,
      extractGraph({
        mapping: `[{ select: "$[*]" }]`,
        metadata: [
          '{ when: date, day: { type: date, format: "dd.MM.yyyy" }, big: long, price: { type: decimal, precision: 25, scale: 3 }, ok: boolean, yes: boolean, n: string, digits: string, m: { type: integer, container: map }, ms: date }',
        ],
      }),
    );
    expect(result.error?.message).toBeUndefined();
    const record = collected.out0![0]!;
    expect((record.when as Date).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect((record.day as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(record.big).toBe(9007199254740993n);
    expect(String(record.price)).toBe('12345678901234567.891');
    expect(record.ok).toBe(true);
    expect(record.yes).toBe(true);
    expect(record.n).toBe('1.5');
    expect(record.digits).toBe('3.14159265358979323846');
    expect(record.m).toEqual({ a: 1, b: 2 });
    expect((record.ms as Date).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('runs several top-level selects in one pass, each to its port (select: $ for the document itself)', async () => {
    scratch.file('in.json', JSON.stringify({ entries: [{ name: 'a' }, { name: 'b' }], cursor: 'c1', has_more: true }));
    const { collected } = await runIn(
      scratch.dir,
      extractGraph({ mapping: `[{ select: "$.entries[*]", port: 0 }, { select: "$", port: 1 }]`, metadata: ['{ name: string }', '{ cursor: string, has_more: boolean }'] }),
    );
    expect(collected.out0).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(collected.out1).toEqual([{ cursor: 'c1', has_more: true }]);
  });

  it('streams matches of a scalar array and of filters', async () => {
    scratch.file('in.json', '{"items":[{"q":1,"s":"a"},{"q":5,"s":"b"},{"q":9,"s":"c"}],"tags":["x","y"]}');
    const { collected } = await runIn(
      scratch.dir,
      extractGraph({
        mapping: `[{ select: "$.items[?@.q > 2]", port: 0 }, { select: "$.tags[*]", port: 1, fields: { tag: "$" } }]`,
        metadata: ['{ s: string }', '{ tag: string }'],
      }),
    );
    expect(collected.out0).toEqual([{ s: 'b' }, { s: 'c' }]);
    expect(collected.out1).toEqual([{ tag: 'x' }, { tag: 'y' }]);
  });

  it('reads globs, ;-separated lists and gzip files, in order', async () => {
    scratch.file('a.json', '[{"v":1}]');
    scratch.file('b.json', '[{"v":2}]');
    scratch.file('c.json.gz', gzipSync('[{"v":3},{"v":4}]'));
    const { result, collected } = await runIn(scratch.dir, extractGraph({ file: '"*.json;c.json.gz"', mapping: `[{ select: "$[*]", sequenceField: n }]`, metadata: ['{ v: integer, n: integer }'] }));
    expect(result.error?.message).toBeUndefined();
    expect(collected.out0).toEqual([
      { v: 1, n: 1 },
      { v: 2, n: 1 },
      { v: 3, n: 1 },
      { v: 4, n: 2 },
    ]);
  });

  it('extracts the document held by each input record, copying input fields and top-level parentKey', async () => {
    const pages = [
      { page: 1, content: JSON.stringify({ entries: [{ '.tag': 'file', name: 'a' }], cursor: 'c1', has_more: true }) },
      { page: 2, content: JSON.stringify({ entries: [{ '.tag': 'folder', name: 'b' }, { '.tag': 'deleted', name: 'c' }], cursor: 'c2', has_more: false }) },
    ];
    const yaml = `
graph: pages
metadata:
  Page: { fields: { page: integer, content: string } }
components:
  pages:
    type: DataGenerator
    records: 2
    generate: |
      const pages = ${JSON.stringify(pages)};
      $out[0].page = pages[index].page;
      $out[0].content = pages[index].content;
  extract:
    type: JSONExtract
    sourceField: content
    inputFields: true
    mapping:
      - { select: "$.entries[*]", port: 0, fields: { tag: "$['.tag']" } }
      - { select: "$", port: 1, parentKey: { pageNo: page } }
  entries: { type: ${COLLECT} }
  cursors: { type: ${COLLECT} }
edges:
  - { from: pages, to: extract, metadata: Page }
  - { from: "extract:0", to: entries, metadata: { fields: { page: integer, tag: string, name: string } } }
  - { from: "extract:1", to: cursors, metadata: { fields: { pageNo: integer, cursor: string, has_more: boolean } } }
`;
    const { result, collected } = await runIn(scratch.dir, yaml);
    expect(result.error?.message).toBeUndefined();
    expect(collected.entries).toEqual([
      { page: 1, tag: 'file', name: 'a' },
      { page: 2, tag: 'folder', name: 'b' },
      { page: 2, tag: 'deleted', name: 'c' },
    ]);
    expect(collected.cursors).toEqual([
      { pageNo: 1, cursor: 'c1', has_more: true },
      { pageNo: 2, cursor: 'c2', has_more: false },
    ]);
  });

  it('reads documents from bytes fields and, with sourceIs: path, from the files input records name', async () => {
    scratch.file('one.json', '{"v":"from one"}');
    scratch.file('two.json', '{"v":"from two"}');
    const yaml = `
graph: paths
components:
  names: { type: ListFiles, file: "*.json" }
  extract: { type: JSONExtract, sourceField: path, sourceIs: path, inputFields: true, mapping: [{ select: "$" }] }
  raw: { type: FileReader, file: "one.json", format: raw }
  bytes: { type: JSONExtract, sourceField: data, mapping: [{ select: "$" }] }
  out: { type: ${COLLECT} }
  outBytes: { type: ${COLLECT} }
edges:
  - { from: names, to: extract }
  - { from: extract, to: out, metadata: { fields: { v: string, name: string } } }
  - { from: raw, to: bytes }
  - { from: bytes, to: outBytes, metadata: { fields: { v: string } } }
`;
    const { result, collected } = await runIn(scratch.dir, yaml);
    expect(result.error?.message).toBeUndefined();
    expect(collected.out).toEqual([
      { v: 'from one', name: 'one.json' },
      { v: 'from two', name: 'two.json' },
    ]);
    expect(collected.outBytes).toEqual([{ v: 'from one' }]);
  });

  it('reports bytes read and records written in tracking', async () => {
    const path = scratch.file('in.json', ORDERS);
    const { result } = await runIn(scratch.dir, extractGraph({ mapping: `[{ select: "$.orders[*]" }]`, metadata: ['{ id: long }'] }));
    const extract = result.tracking.components.find((component) => component.id === 'extract')!;
    expect(extract.outputs[0]!.records).toBe(3);
    expect(extract.outputs[0]!.bytes).toBe(Buffer.byteLength(ORDERS));
    expect(path).toContain('in.json');
  });

  it('writes nothing for a document without matches, and nothing for an empty array', async () => {
    scratch.file('in.json', '{"orders":[]}');
    const { result, collected } = await runIn(scratch.dir, extractGraph({ mapping: `[{ select: "$.orders[*]" }, { select: "$.missing.deeper[*]" }]`, metadata: ['{ id: long }'] }));
    expect(result.status).toBe('FINISHED_OK');
    expect(plain(collected.out0)).toEqual([]);
  });
});
