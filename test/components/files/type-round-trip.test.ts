/**
 * Every metadata type survives FileWriter → FileReader through csv, jsonl and json: long values
 * beyond 2^53, exact decimals with their scale, dates with and without a format and time zone,
 * bytes, variants, lists and maps, empty strings and nulls. The text written is checked too:
 * exact digits, never a rounded double.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../engine/metadata/decimal.ts';
import type { DataRecord } from '../../../engine/metadata/record-type.ts';
import { COLLECT, runIn, useScratch } from './file-graphs.ts';

const METADATA = `
metadata:
  All:
    fields:
      s: string
      i: integer
      l: long
      n: number
      d: { type: decimal, precision: 30, scale: 4 }
      b: boolean
      dt: date
      dtf: { type: date, format: "yyyy-MM-dd HH:mm:ss", timeZone: Europe/Prague }
      raw: bytes
      v: variant
      tags: { type: string, container: list }
      longs: { type: long, container: list }
      m: { type: decimal, container: map }
`;

const INPUT = [
  '{"s":"he said \\"hi\\", then\\nleft \\u2713","i":-2147483648,"l":9223372036854775807,"n":0.1,"d":12345678901234567890.1234,"b":true,"dt":"2024-02-29T23:59:59.123Z","dtf":"2024-07-01 12:00:00","raw":"AAEC/w==","v":{"a":[1,2,{"b":null}]},"tags":["x","y,z",""],"longs":[9007199254740993,-1],"m":{"p":1.5}}',
  '{}',
  '{"s":"","i":0,"l":-9223372036854775808,"n":-1.5e-7,"d":-0.0001,"b":false,"dt":"1970-01-01T00:00:00.000Z","dtf":"2024-01-15 08:30:00","raw":null,"v":"text","tags":[],"longs":[],"m":{}}',
].join('\n');

const ALL_NULL = { s: null, i: null, l: null, n: null, d: null, b: null, dt: null, dtf: null, raw: null, v: null, tags: null, longs: null, m: null };

const EXPECTED: DataRecord[] = [
  {
    s: 'he said "hi", then\nleft \u2713',
    i: -2147483648,
    l: 9223372036854775807n,
    n: 0.1,
    d: Decimal.parse('12345678901234567890.1234'),
    b: true,
    dt: new Date('2024-02-29T23:59:59.123Z'),
    dtf: new Date('2024-07-01T10:00:00Z'),
    raw: Uint8Array.from([0, 1, 2, 255]),
    v: { a: [1, 2, { b: null }] },
    tags: ['x', 'y,z', ''],
    longs: [9007199254740993n, -1],
    m: { p: Decimal.parse('1.50') },
  },
  ALL_NULL,
  {
    s: '',
    i: 0,
    l: -9223372036854775808n,
    n: -1.5e-7,
    d: Decimal.parse('-0.0001'),
    b: false,
    dt: new Date(0),
    dtf: new Date('2024-01-15T07:30:00Z'),
    raw: null,
    v: 'text',
    tags: [],
    longs: [],
    m: {},
  },
];

/** Comparable form: exact types made visible (a bigint is not a number, a Decimal keeps its scale). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return `bigint:${value}`;
  if (value instanceof Decimal) return `decimal:${value.toString()}`;
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

const GRAPH = `
graph: types
${METADATA}
components:
  fromJsonl: { type: FileReader, file: input.jsonl, format: jsonl, metadata: All }
  split0: { type: SimpleCopy }
  seen0: { type: ${COLLECT} }
  toCsv: { type: FileWriter, file: out/all.csv, makeDirs: true }

  fromCsv: { type: FileReader, file: out/all.csv, format: csv, metadata: All, phase: 1 }
  split1: { type: SimpleCopy, phase: 1 }
  seen1: { type: ${COLLECT}, phase: 1 }
  toJsonl: { type: FileWriter, file: out/all.jsonl, format: jsonl, phase: 1 }

  fromJsonl2: { type: FileReader, file: out/all.jsonl, format: jsonl, metadata: All, phase: 2 }
  split2: { type: SimpleCopy, phase: 2 }
  seen2: { type: ${COLLECT}, phase: 2 }
  toJson: { type: FileWriter, file: out/all.json, format: json, phase: 2 }

  fromJson: { type: FileReader, file: out/all.json, format: json, metadata: All, phase: 3 }
  seen3: { type: ${COLLECT}, phase: 3 }
edges:
  - { from: fromJsonl, to: split0 }
  - { from: split0:0, to: seen0 }
  - { from: split0:1, to: toCsv }
  - { from: fromCsv, to: split1 }
  - { from: split1:0, to: seen1 }
  - { from: split1:1, to: toJsonl }
  - { from: fromJsonl2, to: split2 }
  - { from: split2:0, to: seen2 }
  - { from: split2:1, to: toJson }
  - { from: fromJson, to: seen3 }
`;

describe('every metadata type round-trips through csv, jsonl and json', { timeout: 30_000 }, () => {
  const scratch = useScratch();

  it('reads, writes and reads again the same values, with exact digits in the text', async () => {
    writeFileSync(join(scratch.dir, 'input.jsonl'), INPUT);
    const { result, collected } = await runIn(scratch.dir, GRAPH);
    expect(result.error?.message).toBeUndefined();
    const expected = plain(EXPECTED);
    expect(plain(collected.seen0)).toEqual(expected); // jsonl in
    expect(plain(collected.seen1)).toEqual(expected); // through csv
    expect(plain(collected.seen2)).toEqual(expected); // through jsonl
    expect(plain(collected.seen3)).toEqual(expected); // through a json array

    const csv = readFileSync(join(scratch.dir, 'out/all.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('s,i,l,n,d,b,dt,dtf,raw,v,tags,longs,m');
    expect(csv[1]).toBe('"he said ""hi"", then');
    expect(csv[2]).toBe(
      'left \u2713",-2147483648,9223372036854775807,0.1,12345678901234567890.1234,true,2024-02-29T23:59:59.123Z,2024-07-01 12:00:00,AAEC/w==,"{""a"":[1,2,{""b"":null}]}","[""x"",""y,z"",""""]","[9007199254740993,-1]","{""p"":1.50}"',
    );
    expect(csv[3]).toBe(',,,,,,,,,,,,'); // all null: empty unquoted fields
    expect(csv[4]).toBe('"",0,-9223372036854775808,-1.5e-7,-0.0001,false,1970-01-01T00:00:00.000Z,2024-01-15 08:30:00,,"""text""",[],[],{}');

    const jsonl = readFileSync(join(scratch.dir, 'out/all.jsonl'), 'utf8').split('\n');
    expect(jsonl[0]).toContain('"l":9223372036854775807,"n":0.1,"d":12345678901234567890.1234,');
    expect(jsonl[0]).toContain('"longs":[9007199254740993,-1],"m":{"p":1.50}}');
    expect(jsonl[1]).toBe('{"s":null,"i":null,"l":null,"n":null,"d":null,"b":null,"dt":null,"dtf":null,"raw":null,"v":null,"tags":null,"longs":null,"m":null}');
    const json = readFileSync(join(scratch.dir, 'out/all.json'), 'utf8');
    expect(json.startsWith('[\n{"s":"he said')).toBe(true);
    expect(json.endsWith('}\n]\n')).toBe(true);
  });

  it('applies a field default to null and missing values', async () => {
    writeFileSync(join(scratch.dir, 'in.csv'), 'id,label\n1,\n2,"x"\n3\n');
    writeFileSync(join(scratch.dir, 'in.jsonl'), '{"id":4,"label":null}\n{"id":5}\n');
    const yaml = `
graph: defaults
metadata:
  Row: { fields: { id: long, label: { type: string, default: none }, score: { type: decimal, default: 1.5 } } }
components:
  csv: { type: FileReader, file: in.csv, metadata: Row }
  jsonl: { type: FileReader, file: in.jsonl, format: jsonl, metadata: Row }
  a: { type: ${COLLECT} }
  b: { type: ${COLLECT} }
edges:
  - { from: csv, to: a }
  - { from: jsonl, to: b }
`;
    const { result, collected } = await runIn(scratch.dir, yaml);
    expect(result.error?.message).toBeUndefined();
    expect(plain(collected.a)).toEqual([
      { id: 1, label: 'none', score: 'decimal:1.50' },
      { id: 2, label: 'x', score: 'decimal:1.50' },
      { id: 3, label: 'none', score: 'decimal:1.50' },
    ]);
    expect(plain(collected.b)).toEqual([
      { id: 4, label: 'none', score: 'decimal:1.50' },
      { id: 5, label: 'none', score: 'decimal:1.50' },
    ]);
  });
});
