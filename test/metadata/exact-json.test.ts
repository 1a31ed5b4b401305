import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../../engine/metadata/exact-json.ts';
import { ExactNumber, isExactNumberLike } from '../../engine/metadata/exact-number.ts';
import { writeJsonText } from '../../engine/metadata/json-text.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';

const SUITE = path.resolve(import.meta.dirname, '../../../shared/conformance/json-test-suite/test_parsing');

/** Numbers as doubles, for comparing with JSON.parse. */
function plain(value: unknown): unknown {
  if (value instanceof ExactNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('parseExactJson', () => {
  it('keeps every number as its exact text', () => {
    expect(parseExactJson('[12345678901234567890, 0.30, -1e-7, {"a": 1}]')).toEqual([
      new ExactNumber('12345678901234567890'),
      new ExactNumber('0.30'),
      new ExactNumber('-1e-7'),
      { a: new ExactNumber('1') },
    ]);
    expect(parseExactJson(' "a\\u00e9\\n" ')).toBe('aé\n');
    expect(parseExactJson('{"__proto__": true}')).toEqual(JSON.parse('{"__proto__": true}'));
  });

  it('accepts and rejects exactly what JSON.parse does on the JSONTestSuite y_/n_ files', () => {
    const files = readdirSync(SUITE).filter((name) => /^[yn]_.*\.json$/.test(name));
    expect(files.length).toBeGreaterThan(100);
    const disagreements: string[] = [];
    for (const name of files) {
      const text = readFileSync(path.join(SUITE, name), 'utf8');
      let expected: unknown;
      let expectedOk = true;
      try {
        expected = JSON.parse(text);
      } catch {
        expectedOk = false;
      }
      let actual: unknown;
      let actualOk = true;
      try {
        actual = parseExactJson(text);
      } catch {
        actualOk = false;
      }
      if (actualOk !== expectedOk) disagreements.push(`${name}: ${actualOk ? 'accepted' : 'rejected'}`);
      else if (actualOk && !Object.is(JSON.stringify(plain(actual)), JSON.stringify(expected))) disagreements.push(`${name}: different value`);
      if (name.startsWith('y_') && !actualOk) disagreements.push(`${name}: valid JSON rejected`);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('writeJsonText', () => {
  it('writes exact numbers raw and other values as JSON.stringify does', () => {
    const value = {
      long: 9007199254740993n,
      amount: Decimal.parse('0.30'),
      exact: new ExactNumber('1e400'),
      when: new Date('2024-01-31T00:00:00Z'),
      data: new Uint8Array([104, 105]),
      nan: Number.NaN,
      list: [1, 'two', null, undefined, true],
      skipped: undefined,
      text: 'quote " and \u2028',
    };
    expect(writeJsonText(value)).toBe(
      '{"long":9007199254740993,"amount":0.30,"exact":1e400,"when":"2024-01-31T00:00:00.000Z","data":"aGk=","nan":"NaN",' +
        '"list":[1,"two",null,null,true],"text":' + JSON.stringify('quote " and \u2028') + '}',
    );
    const plainValue = { a: [1, { b: 'c' }], d: null, e: 1.5e300 };
    expect(writeJsonText(plainValue)).toBe(JSON.stringify(plainValue));
  });

  it('recognises exact numbers by class or by a string text property', () => {
    expect(isExactNumberLike(new ExactNumber('1'))).toBe(true);
    expect(isExactNumberLike({ text: '1' })).toBe(true);
    expect(isExactNumberLike({ text: 1 })).toBe(false);
    expect(isExactNumberLike('1')).toBe(false);
  });
});
