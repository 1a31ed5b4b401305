import { describe, expect, it } from 'vitest';
import { isTrefoilError, type TrefoilError } from '../../../engine/errors/trefoil-error.ts';
import { compileExtraction, type ExtractionSelect } from '../../../components/json/extraction-plan.ts';
import { evaluate } from '../../../components/json/jsonpath/evaluate.ts';
import { parseJsonPath } from '../../../components/json/jsonpath/parse-json-path.ts';
import type { JsonValue } from '../../../components/json/json-value.ts';
import { describeStreaming } from '../../../components/json/streaming-behaviour.ts';
import { StreamingJsonExtractor, type ExtractedMatch } from '../../../components/json/streaming-extractor.ts';
import { jsonPathCtsCases } from './conformance-data.ts';
import { chunksOf } from './feed-in-chunks.ts';

interface Reported {
  tag: string;
  value: JsonValue;
  position: number;
  parentTag: string | null;
  parentPosition: number | null;
  path: readonly (string | number)[] | null;
}

function extract(selects: readonly ExtractionSelect<string>[], json: string | Uint8Array, pieceSize = 1 << 16, paths = true): Reported[] {
  const reported: Reported[] = [];
  const extractor = new StreamingJsonExtractor(
    selects,
    (match: ExtractedMatch<string>) =>
      reported.push({
        tag: match.tag,
        value: match.value,
        position: match.position,
        parentTag: match.parent?.tag ?? null,
        parentPosition: match.parent?.position ?? null,
        path: match.path,
      }),
    { paths, source: 'test.json' },
  );
  for (const chunk of chunksOf(typeof json === 'string' ? Buffer.from(json) : json, pieceSize)) extractor.write(chunk);
  extractor.end();
  return reported;
}

function valuesOf(select: string, json: string, pieceSize?: number): JsonValue[] {
  return extract([{ select, tag: 'm' }], json, pieceSize).map((r) => r.value);
}

function errorOf(action: () => unknown): TrefoilError {
  try {
    action();
  } catch (error) {
    if (isTrefoilError(error)) return error;
    throw error;
  }
  throw new Error('expected a TrefoilError');
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('nodelist order', () => {
  it('reports the matches of one select in RFC 9535 order, not document order', () => {
    expect(valuesOf('$[1,0]', '["a","b","c"]')).toEqual(['b', 'a']);
    expect(valuesOf('$[2,0,1]', '[{"x":0},{"x":1},{"x":2}]')).toEqual([{ x: 2 }, { x: 0 }, { x: 1 }]);
    expect(valuesOf("$['b','a']", '{"a":1,"b":2}')).toEqual([2, 1]);
    expect(valuesOf('$[::-1]', '[1,2,3,4]')).toEqual([4, 3, 2, 1]);
  });

  it('reports duplicates, sharing one materialized value', () => {
    const reported = extract([{ select: '$[0,0,*]', tag: 'm' }], '[{"a":1},{"b":2}]');
    expect(reported.map((r) => r.value)).toEqual([{ a: 1 }, { a: 1 }, { a: 1 }, { b: 2 }]);
    expect(reported[0]!.value).toBe(reported[1]!.value);
    expect(reported.map((r) => r.position)).toEqual([1, 2, 3, 4]);
  });

  it('reports an outer match before the matches nested inside it', () => {
    const json = '{"a":{"a":{"a":1},"b":2}}';
    expect(valuesOf('$..a', json)).toEqual([{ a: { a: 1 }, b: 2 }, { a: 1 }, 1]);
    expect(extract([{ select: '$..a', tag: 'm' }], json).map((r) => r.path)).toEqual([['a'], ['a', 'a'], ['a', 'a', 'a']]);
  });

  it("reports an object's own member before matches deeper in earlier members", () => {
    expect(valuesOf('$..name', '{"items":[{"name":"deep"}],"name":"root"}')).toEqual(['root', 'deep']);
  });

  it('reports each match as soon as RFC order allows, while the document is still arriving', () => {
    const seen: JsonValue[] = [];
    const extractor = new StreamingJsonExtractor([{ select: '$.items[*].id', tag: 'id' }], (m) => seen.push(m.value));
    extractor.write(Buffer.from('{"items":[{"id":1,"x":"a"},{"id":2'));
    expect(seen).toEqual([1]); // 2 might still be 23
    extractor.write(Buffer.from(','));
    expect(seen).toEqual([1, 2]);
    extractor.write(Buffer.from('"x":"b"},{"id":3}]}'));
    expect(seen).toEqual([1, 2, 3]);
    extractor.end();
  });

  it('waits for the array end only where a negative index needs it', () => {
    const seen: JsonValue[] = [];
    const extractor = new StreamingJsonExtractor([{ select: '$[-2]', tag: 'x' }], (m) => seen.push(m.value));
    extractor.write(Buffer.from('[1,2,3,4'));
    expect(seen).toEqual([]);
    extractor.write(Buffer.from(']'));
    expect(seen).toEqual([3]);
    extractor.end();
  });
});

describe('children', () => {
  const orders = JSON.stringify({
    orders: [
      { id: 1, customer: { name: 'Ann' }, items: [{ sku: 'a', qty: 1, parts: [{ p: 1 }] }, { sku: 'b', qty: 2, parts: [] }] },
      { id: 2, customer: { name: 'Bob' }, items: [] },
      { id: 3, customer: { name: 'Cy' }, items: [{ sku: 'c', qty: 3, parts: [{ p: 2 }, { p: 3 }] }] },
    ],
  });
  const mapping: ExtractionSelect<string>[] = [
    {
      select: '$.orders[*]',
      tag: 'order',
      children: [
        { select: '$.items[*]', tag: 'item', children: [{ select: '$.parts[*]', tag: 'part' }] },
        { select: '$.customer', tag: 'customer' },
      ],
    },
  ];

  it("reports children before their parent, with the parent match and a 1-based position among siblings", () => {
    const reported = extract(mapping, orders, 7).map((r) => `${r.tag}#${r.position}<${r.parentTag ?? '-'}#${r.parentPosition ?? '-'}`);
    expect(reported).toEqual([
      'part#1<item#1',
      'item#1<order#1',
      'item#2<order#1',
      'customer#1<order#1',
      'order#1<-#-',
      'customer#1<order#2',
      'order#2<-#-',
      'part#1<item#1',
      'part#2<item#1',
      'item#1<order#3',
      'customer#1<order#3',
      'order#3<-#-',
    ]);
  });

  it('evaluates children relative to the parent match and reports paths from the document root', () => {
    const reported = extract(mapping, orders);
    const part = reported.find((r) => r.tag === 'part' && (r.value as { p: number }).p === 3)!;
    expect(part.path).toEqual(['orders', 2, 'items', 0, 'parts', 1]);
    expect(reported.filter((r) => r.tag === 'item').map((r) => (r.value as { sku: string }).sku)).toEqual(['a', 'b', 'c']);
  });

  it('runs several top-level selects over one pass', () => {
    const reported = extract([{ select: '$.orders[*].id', tag: 'id' }, { select: '$..name', tag: 'name' }], orders);
    expect(reported.filter((r) => r.tag === 'id').map((r) => r.value)).toEqual([1, 2, 3]);
    expect(reported.filter((r) => r.tag === 'name').map((r) => r.value)).toEqual(['Ann', 'Bob', 'Cy']);
  });
});

describe('values', () => {
  it('keeps number fidelity in matches', () => {
    expect(valuesOf('$.*', '{"big":12345678901234567890,"pi":3.14159265358979323846,"n":1.5}').map((v) => (typeof v === 'object' ? String(v) : v))).toEqual([
      12345678901234567890n,
      '3.14159265358979323846',
      1.5,
    ]);
  });

  it('evaluates filters that look at the document root', () => {
    expect(valuesOf('$.items[?@.price > $.limit].name', '{"items":[{"name":"a","price":5},{"name":"b","price":15}],"limit":10}', 3)).toEqual(['b']);
  });

  it('lets an exception from the callback stop the extraction', () => {
    const extractor = new StreamingJsonExtractor([{ select: '$[*]', tag: 'x' }], () => {
      throw new Error('stop here');
    });
    expect(() => extractor.write(Buffer.from('[1,2,3]'))).toThrow('stop here');
    expect(() => extractor.write(Buffer.from(' '))).toThrow('stop here');
    expect(() => extractor.end()).toThrow('stop here');
  });

  it('accepts a compiled plan and reuses it for several documents', () => {
    const plan = compileExtraction([{ select: '$.a', tag: 'a' }]);
    for (const document of ['{"a":1}', '{"a":[2]}']) {
      const seen: JsonValue[] = [];
      const extractor = new StreamingJsonExtractor(plan, (m) => seen.push(m.value));
      extractor.write(Buffer.from(document));
      extractor.end();
      expect(seen).toEqual([JSON.parse(document).a]);
    }
  });
});

describe('errors', () => {
  it('reports a truncated document with the byte offset where it ended', () => {
    for (const size of [1, 4, 1000]) {
      const error = errorOf(() => extract([{ select: '$.items[*]', tag: 'x' }], '{"items":[{"a":1},{"a":', size));
      expect(error.code).toBe('TREFOIL_ERR_JSON_TRUNCATED');
      expect(error.location).toEqual({ file: 'test.json', offset: 23 });
    }
  });

  it('reports invalid UTF-8 with its byte offset, also inside values no select reaches', () => {
    const json = Buffer.concat([Buffer.from('{"skipped":"ok '), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('","items":[]}')]);
    for (const size of [1, 5, 1000]) {
      const error = errorOf(() => extract([{ select: '$.items[*]', tag: 'x' }], json, size));
      expect(error.code).toBe('TREFOIL_ERR_JSON_ENCODING');
      expect(error.location.offset).toBe(16);
      expect(error.message).toContain('at byte 16 of test.json');
    }
  });

  it('rejects an invalid select when the plan is compiled', () => {
    expect(() => compileExtraction([{ select: '$.orders[', tag: 'x' }])).toThrow(/Invalid JSONPath "\$\.orders\[" at character 10/);
  });
});

describe('streaming classification', () => {
  const cases: [string, boolean, string[]][] = [
    ['$.orders[*]', true, []],
    ['$..id', false, ['descendant-order']],
    ['$[0:10:2]', true, []],
    ['$.orders[?@.total > 10]', true, []],
    ['$.orders[?@.total > 10].items[*]', false, ['filter-candidates']],
    ['$.orders[-1]', false, ['array-elements']],
    ['$.orders[-3:]', false, ['array-elements']],
    ['$.orders[::-1]', false, ['array-elements']],
    ['$.orders[?@.total > $.limit]', false, ['document']],
  ];
  for (const [query, streams, holds] of cases) {
    it(`${query} ${streams ? 'streams' : `holds ${holds.join(', ')}`}`, () => {
      const behaviour = describeStreaming(parseJsonPath(query));
      expect(behaviour.streams).toBe(streams);
      expect(behaviour.holds).toEqual(holds);
      expect(behaviour.explanation.length).toBeGreaterThan(0);
    });
  }
});

describe('agreement with in-memory evaluation', () => {
  it('matches the compliance suite through the streaming path at every split from 1 to 7 bytes', () => {
    let checked = 0;
    for (const testCase of jsonPathCtsCases()) {
      if (testCase.invalid_selector) continue;
      const json = JSON.stringify(testCase.document);
      const expectedPaths = evaluate(parseJsonPath(testCase.selector), testCase.document as JsonValue).map((node) => node.path);
      for (let size = 1; size <= 7; size++) {
        const reported = extract([{ select: testCase.selector, tag: 'm' }], json, size);
        const values = reported.map((r) => r.value);
        if (testCase.result !== undefined) expect(values, testCase.name).toStrictEqual(testCase.result);
        else expect(testCase.results, testCase.name).toContainEqual(values);
        expect(reported.map((r) => r.path), testCase.name).toStrictEqual(expectedPaths);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('equals evaluate() on generated documents for a broad set of selectors, at every split from 1 to 7 bytes', () => {
    const selectors = [
      '$', '$.a', '$.*', '$[*]', '$..*', '$..a', '$..a..b', '$..a.*', '$.a[*].b', '$[0][0]', '$..c',
      '$[1,0]', '$[0,0]', '$[*,0]', '$[*,*]', "$..['a','b']", "$..['b','a']", '$..[0]', '$..[1,0]', '$..[0,0]', '$..*..*',
      '$[-1]', '$[-2]', '$..[-1]', '$[-2:]', '$[-3:-1]', '$[:-1]', '$[1:-1]', '$..[:-1]', '$[::2]', '$[1::2]', '$[1:3]',
      '$[::-1]', '$..[::-1]', '$[-1::-2]', '$[3:0:-1]', '$..[-2:][0]', '$..a[-1]', '$..[::-1]..[0]', '$.b..[1:]',
      '$..[?@.a]', '$[?@.a].b', '$[?@.a]..b', '$..[?@ == 1]', '$..[?@.b].a[0]', '$[?@[0] == 1][-1]', '$..[?length(@) > 1]',
      '$[?$.a]', '$..[?@ == $[0]]', '$..[?count(@.*) >= 2 && !@.c]',
    ];
    const random = seededRandom(2024);
    const names = ['a', 'b', 'c'];
    const generate = (depth: number): JsonValue => {
      const r = random();
      if (depth > 3 || r < 0.3) return [1, 'x', null, true, 2.5, 'a', -7][Math.floor(random() * 7)]!;
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 6) }, () => generate(depth + 1));
      const object: Record<string, JsonValue> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--) object[names[Math.floor(random() * names.length)]!] = generate(depth + 1);
      return object;
    };
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      const document = generate(0);
      const json = JSON.stringify(document);
      for (const selector of selectors) {
        const expected = evaluate(parseJsonPath(selector), document);
        for (let size = 1; size <= 7; size++) {
          const reported = extract([{ select: selector, tag: 'm' }], json, size);
          const context = `${selector} on ${json} in ${size}-byte pieces`;
          expect(reported.map((r) => r.value), context).toStrictEqual(expected.map((node) => node.value));
          expect(reported.map((r) => r.path), context).toStrictEqual(expected.map((node) => node.path));
          compared++;
        }
      }
    }
    expect(compared).toBe(40 * selectors.length * 7);
  });
});
