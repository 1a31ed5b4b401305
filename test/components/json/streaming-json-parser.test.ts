import { describe, expect, it } from 'vitest';
import { isTrefoilError, TrefoilError } from '../../../engine/errors/trefoil-error.ts';
import { ExactNumber } from '../../../components/json/exact-number.ts';
import type { JsonEventHandler } from '../../../components/json/json-event-handler.ts';
import { JsonValueBuilder } from '../../../components/json/json-value-builder.ts';
import type { JsonScalar, JsonValue } from '../../../components/json/json-value.ts';
import { parseJson } from '../../../components/json/parse-json.ts';
import { StreamingJsonParser } from '../../../components/json/streaming-json-parser.ts';
import { chunksOf } from './feed-in-chunks.ts';

function parseInPieces(input: Uint8Array | string, pieceSize: number, source?: string): JsonValue {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const builder = new JsonValueBuilder();
  const parser = new StreamingJsonParser(builder, source === undefined ? {} : { source });
  for (const chunk of chunksOf(bytes, pieceSize)) parser.write(chunk);
  parser.end();
  return builder.takeResult()!;
}

function errorOf(action: () => unknown): TrefoilError {
  try {
    action();
  } catch (error) {
    if (isTrefoilError(error)) return error;
    throw error;
  }
  throw new Error('expected a TrefoilError, but nothing was thrown');
}

/** Deterministic pseudo-random numbers (the tests must not depend on luck). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('number fidelity', () => {
  const cases: [string, JsonValue][] = [
    ['0', 0],
    ['-0', -0],
    ['123456789012345', 123456789012345],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['9007199254740992', 9007199254740992n],
    ['9007199254740993', 9007199254740993n],
    ['-123456789012345678901234567890', -123456789012345678901234567890n],
    ['0.1', 0.1],
    ['1.5e3', 1500],
    ['1E2', 100],
    ['1e-7', 1e-7],
    ['123456789.012345', 123456789.012345],
    ['1.50000000000000000000', 1.5],
    ['0.000000000000000000000000001', 1e-27],
    ['1.5e300', 1.5e300],
    ['-2.5E-300', -2.5e-300],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${text} as ${typeof expected === 'bigint' ? `${expected}n` : String(expected)}`, () => {
      for (const size of [1, 2, 100]) expect(parseInPieces(`[${text}]`, size)).toStrictEqual([expected]);
      expect(parseInPieces(text, 1)).toStrictEqual(expected); // a top-level number ends at end()
    });
  }

  for (const text of ['3.14159265358979323846', '0.1000000000000000055511151231257827', '1e400', '-1.5e+9999', '123e-10000000', '1.0000000000000001']) {
    it(`keeps ${text} exactly as an ExactNumber`, () => {
      const [value] = parseInPieces(`[${text}]`, 3) as [ExactNumber];
      expect(value).toBeInstanceOf(ExactNumber);
      expect(value.text).toBe(text);
      expect(value.valueOf()).toBe(Number(text));
      expect(JSON.stringify({ n: value })).toBe(JSON.stringify({ n: Number(text) }));
      expect(String(value)).toBe(text);
    });
  }
});

describe('strings', () => {
  const document = JSON.stringify({
    ascii: 'plain text',
    escapes: 'quote " backslash \\ slash / \b\f\n\r\t and \u0001',
    twoByte: 'héllo wörld ñ',
    threeByte: '日本語のテキスト €',
    fourByte: 'emoji 😀🎉 and 𝄞',
    'clé non-ascii 名前': 'value',
    'a member name longer than the thirty-two byte cache limit': 1,
    escapedPair: '\ud83d\ude00',
    '': 'empty name',
    empty: '',
  }).replace('😀', '\\ud83d\\ude00');

  it('decodes the same whatever the chunk boundaries (every split from 1 to 7 bytes)', () => {
    const expected = JSON.parse(document);
    for (let size = 1; size <= 7; size++) expect(parseInPieces(document, size)).toStrictEqual(expected);
  });

  it('decodes a huge string split across many chunks', () => {
    const piece = 'ab\\"cd\\u00e9 é€😀 ';
    const big = piece.repeat(200_000); // ~5 MB of JSON text
    const json = `{"big":"${big}","after":1}`;
    const expected = JSON.parse(json);
    expect(parseInPieces(json, 65536)).toStrictEqual(expected);
    expect(parseInPieces(json, 100_003)).toStrictEqual(expected);
    expect(parseInPieces(json, 1021)).toStrictEqual(expected);
  });

  it('keeps escaped lone surrogates as lone UTF-16 code units, like JSON.parse', () => {
    expect(parseJson('["\\uD800", "\\uDFAA x", "\\uD834\\uDD1E"]')).toStrictEqual(['\uD800', '\uDFAA x', '\uD834\uDD1E']);
  });

  it('reuses cached member names without mixing up names that collide', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    const objects = names.map((name, i) => ({ [name]: i, shared: i }));
    const json = JSON.stringify(objects);
    expect(parseInPieces(json, 4096)).toStrictEqual(objects);
  });

  it('makes a member named __proto__ an own property, as JSON.parse does', () => {
    const value = parseJson('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(value).toStrictEqual(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
  });

  it('keeps the last value of a repeated member name, as JSON.parse does', () => {
    expect(parseJson('{"a": 1, "b": 2, "a": 3}')).toStrictEqual({ a: 3, b: 2 });
  });
});

describe('structure', () => {
  it('accepts nesting far deeper than any call stack', () => {
    const depth = 200_000;
    let value = parseInPieces('['.repeat(depth) + ']'.repeat(depth), 65536);
    let measured = 0;
    while (Array.isArray(value) && value.length > 0) {
      value = value[0]!;
      measured++;
    }
    expect(measured).toBe(depth - 1);
    const objects = parseInPieces('{"a":'.repeat(depth) + 'null' + '}'.repeat(depth), 4096);
    expect(typeof objects).toBe('object');
  });

  it('rejects deep unclosed nesting as truncated, without a stack overflow', () => {
    const error = errorOf(() => parseInPieces('['.repeat(100_000), 8192));
    expect(error.code).toBe('TREFOIL_ERR_JSON_TRUNCATED');
    expect(error.location.offset).toBe(100_000);
  });

  it('skips a leading UTF-8 byte order mark', () => {
    expect(parseInPieces(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 1)).toStrictEqual({});
    expect(errorOf(() => parseInPieces(Buffer.from([0xef, 0xbb, 0xbf]), 1)).code).toBe('TREFOIL_ERR_JSON_TRUNCATED');
  });
});

describe('errors', () => {
  const cases: [string, string | Uint8Array, string, number][] = [
    ['a trailing comma in an object', '{"a":1,}', 'TREFOIL_ERR_JSON_SYNTAX', 7],
    ['a trailing comma in an array', '[1,2,]', 'TREFOIL_ERR_JSON_SYNTAX', 5],
    ['a missing comma', '[1 2]', 'TREFOIL_ERR_JSON_SYNTAX', 3],
    ['a missing colon', '{"a" 1}', 'TREFOIL_ERR_JSON_SYNTAX', 5],
    ['a leading zero', '[01]', 'TREFOIL_ERR_JSON_SYNTAX', 2],
    ['a fraction without digits', '[1.]', 'TREFOIL_ERR_JSON_SYNTAX', 3],
    ['an exponent without digits', '[1e+]', 'TREFOIL_ERR_JSON_SYNTAX', 4],
    ['a bad literal', '[trux]', 'TREFOIL_ERR_JSON_SYNTAX', 4],
    ['a single-quoted string', "['a']", 'TREFOIL_ERR_JSON_SYNTAX', 1],
    ['a raw control character in a string', '["a\tb"]', 'TREFOIL_ERR_JSON_SYNTAX', 3],
    ['an invalid escape', '["\\x41"]', 'TREFOIL_ERR_JSON_SYNTAX', 3],
    ['a short \\u escape', '["\\u12G4"]', 'TREFOIL_ERR_JSON_SYNTAX', 6],
    ['text after the document', '{} x', 'TREFOIL_ERR_JSON_SYNTAX', 3],
    ['a second document', '1 2', 'TREFOIL_ERR_JSON_SYNTAX', 2],
    ['mismatched brackets', '[1}', 'TREFOIL_ERR_JSON_SYNTAX', 2],
    ['a lone continuation byte', Buffer.from([0x22, 0x80, 0x22]), 'TREFOIL_ERR_JSON_ENCODING', 1],
    ['an overlong encoding', Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 'TREFOIL_ERR_JSON_ENCODING', 1],
    ['an overlong 3-byte form', Buffer.from([0x22, 0xe0, 0x80, 0xaf, 0x22]), 'TREFOIL_ERR_JSON_ENCODING', 2],
    ['a UTF-8-encoded surrogate', Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), 'TREFOIL_ERR_JSON_ENCODING', 3],
    ['a code point above U+10FFFF', Buffer.from([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]), 'TREFOIL_ERR_JSON_ENCODING', 2],
    ['a sequence cut by the closing quote', Buffer.from([0x22, 0xe6, 0x97, 0x22]), 'TREFOIL_ERR_JSON_ENCODING', 3],
    ['Latin-1 text', Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d]), 'TREFOIL_ERR_JSON_ENCODING', 3],
    ['UTF-16LE without a BOM', Buffer.from('["é"]', 'utf16le'), 'TREFOIL_ERR_JSON_ENCODING', 1],
    ['UTF-16BE without a BOM', Buffer.from('["é"]', 'utf16le').swap16(), 'TREFOIL_ERR_JSON_ENCODING', 0],
    ['a UTF-16 BOM', Buffer.from([0xff, 0xfe, 0x5b, 0x00]), 'TREFOIL_ERR_JSON_ENCODING', 0],
    ['an empty document', '', 'TREFOIL_ERR_JSON_TRUNCATED', 0],
    ['only whitespace', ' \n\t ', 'TREFOIL_ERR_JSON_TRUNCATED', 4],
    ['an unclosed array', '[1,2', 'TREFOIL_ERR_JSON_TRUNCATED', 4],
    ['an unclosed string', '{"a":"abc', 'TREFOIL_ERR_JSON_TRUNCATED', 9],
    ['a cut literal', 'tru', 'TREFOIL_ERR_JSON_TRUNCATED', 3],
    ['a cut number', '[-', 'TREFOIL_ERR_JSON_TRUNCATED', 2],
    ['a top-level number cut after the exponent sign', '1e-', 'TREFOIL_ERR_JSON_TRUNCATED', 3],
  ];
  for (const [what, input, code, offset] of cases) {
    it(`reports ${what} as ${code} at byte ${offset}, whatever the chunking`, () => {
      const bytes = typeof input === 'string' ? Buffer.from(input) : input;
      for (const size of [1, 2, 3, 4, 5, 6, 7, 1000]) {
        const error = errorOf(() => parseInPieces(bytes, size, 'orders.json'));
        expect(error.code).toBe(code);
        expect(error.location).toEqual({ file: 'orders.json', offset });
        expect(error.message).toContain(`at byte ${offset} of orders.json`);
      }
    });
  }

  it('keeps failing with the same error after the first one', () => {
    const parser = new StreamingJsonParser(new JsonValueBuilder(), { source: 'x.json' });
    const first = errorOf(() => parser.write(Buffer.from('[1,,')));
    expect(errorOf(() => parser.write(Buffer.from('2]')))).toBe(first);
    expect(errorOf(() => parser.end())).toBe(first);
  });

  it('never crashes or hangs on garbage: every input either parses or gives a TrefoilError', () => {
    const random = seededRandom(42);
    const alphabet = Buffer.from('{}[]":,\\ \n-+.0123456789eEtrufalsn\u00e9x');
    const base = Buffer.from(JSON.stringify({ a: [1, -2.5e3, 'x\u00e9\ud83d\ude00', true, null, { b: false }], c: '\\' }));
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      let bytes: Buffer;
      if (round % 2 === 0) {
        bytes = Buffer.from(base);
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      } else {
        bytes = Buffer.from(Array.from({ length: Math.floor(random() * 24) }, () => (random() < 0.8 ? alphabet[Math.floor(random() * alphabet.length)]! : Math.floor(random() * 256))));
      }
      const size = 1 + Math.floor(random() * 8);
      try {
        parseInPieces(bytes, size);
        accepted++;
      } catch (error) {
        expect(error).toBeInstanceOf(TrefoilError);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('skipping values', () => {
  class Recorder implements JsonEventHandler {
    readonly events: string[] = [];
    parser!: StreamingJsonParser;
    onStartObject(): void {
      this.events.push('{');
    }
    onEndObject(): void {
      this.events.push('}');
    }
    onStartArray(): void {
      this.events.push('[');
    }
    onEndArray(): void {
      this.events.push(']');
    }
    onKey(name: string): void {
      this.events.push(`key:${name}`);
      if (name.startsWith('skip')) this.parser.skipNextValue();
    }
    onScalar(value: JsonScalar): void {
      this.events.push(`value:${String(value)}`);
    }
    onSkippedValue(): void {
      this.events.push('skipped');
    }
  }

  function record(json: string | Uint8Array, size: number): string[] {
    const recorder = new Recorder();
    recorder.parser = new StreamingJsonParser(recorder);
    for (const chunk of chunksOf(typeof json === 'string' ? Buffer.from(json) : json, size)) recorder.parser.write(chunk);
    recorder.parser.end();
    return recorder.events;
  }

  it('replaces the events of a skipped value with one onSkippedValue', () => {
    const json = '{"skip1":{"a":[1,{"b":"x"}]},"keep":[1,"two"],"skip2":"text \\" é","skip3":12.5e3,"skip4":[],"last":null}';
    for (const size of [1, 3, 7, 1000]) {
      expect(record(json, size)).toEqual(['{', 'key:skip1', 'skipped', 'key:keep', '[', 'value:1', 'value:two', ']', 'key:skip2', 'skipped', 'key:skip3', 'skipped', 'key:skip4', 'skipped', 'key:last', 'value:null', '}']);
    }
  });

  it('still validates what it skips', () => {
    const invalid = Buffer.concat([Buffer.from('{"skip":["ok", "'), Buffer.from([0xc3, 0x28]), Buffer.from('"]}')]);
    const error = errorOf(() => record(invalid, 2));
    expect(error.code).toBe('TREFOIL_ERR_JSON_ENCODING');
    expect(error.location.offset).toBe(17);
    expect(errorOf(() => record('{"skip":[1,,2]}', 1)).code).toBe('TREFOIL_ERR_JSON_SYNTAX');
  });
});
