import { describe, expect, it } from 'vitest';
import { ExactNumber } from '../../../components/json/exact-number.ts';
import { compileIRegexp, translateIRegexp } from '../../../components/json/jsonpath/i-regexp.ts';
import { evaluate } from '../../../components/json/jsonpath/evaluate.ts';
import { JsonPathSyntaxError } from '../../../components/json/jsonpath/json-path-syntax-error.ts';
import { formatNormalizedPath } from '../../../components/json/jsonpath/json-path-node.ts';
import { parseJsonPath } from '../../../components/json/jsonpath/parse-json-path.ts';
import type { JsonValue } from '../../../components/json/json-value.ts';
import { parseJson } from '../../../components/json/parse-json.ts';

function syntaxErrorOf(query: string): JsonPathSyntaxError {
  try {
    parseJsonPath(query);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return error;
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

function select(query: string, document: JsonValue): JsonValue[] {
  return evaluate(parseJsonPath(query), document).map((node) => node.value);
}

describe('parseJsonPath errors', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /must start with '\$'/],
    ['orders[*]', 1, /must start with '\$'/],
    ['$.orders[', 10, /selector/],
    ['$.orders[*', 11, /expected ',' or '\]'/],
    ['$.orders.', 10, /member name/],
    ['$..', 4, /member name/],
    ['$[01]', 3, /leading zeros/],
    ['$[-0]', 3, /-0/],
    ['$[9007199254740992]', 3, /out of range/],
    ["$['a]", 3, /unterminated/],
    ['$[?@.a == @.*]', 11, /singular/],
    ['$[?length(@.a)]', 4, /returns a value/],
    ['$[?count(@.a) == 1 && 1]', 23, /literal/],
    ['$[?nope(@)]', 4, /unknown function 'nope'/],
    ['$[?length(@.a, 1) > 0]', 4, /takes 1 argument, got 2/],
    ['$[?count(1) > 0]', 10, /argument 1 of count\(\) must be a query/],
    ['$[?length(@.*) > 0]', 11, /must be a value/],
    ['$[?match(@.a, "x") == true]', 4, /logical result/],
    ['$.a ', 4, /unexpected ' '/],
    ['$[?(@.a]', 8, /expected '\)'/],
  ];
  for (const [query, column, message] of cases) {
    it(`rejects ${JSON.stringify(query)} at character ${column}`, () => {
      const error = syntaxErrorOf(query);
      expect(error.code).toBe('TREFOIL_ERR_JSON_PATH_INVALID');
      expect(error.column).toBe(column);
      expect(error.query).toBe(query);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(`at character ${column}`);
    });
  }

  it('limits expression nesting instead of overflowing the stack', () => {
    const deep = `$[?${'('.repeat(5000)}@.a${')'.repeat(5000)}]`;
    expect(syntaxErrorOf(deep).message).toMatch(/nested more than/);
  });
});

describe('evaluate', () => {
  const store = parseJson(`{
    "store": {
      "book": [
        {"title": "Sayings", "price": 8.95, "isbn": null},
        {"title": "Sword", "price": 12.99, "tags": ["epic"]},
        {"title": "Moby Dick", "price": 8.99, "isbn": "0-553"},
        {"title": "Rings", "price": 22.99, "isbn": "0-395"}
      ],
      "bicycle": {"color": "red", "price": 399}
    }
  }`);

  it('evaluates the RFC 9535 examples', () => {
    expect(select('$.store.book[*].title', store)).toEqual(['Sayings', 'Sword', 'Moby Dick', 'Rings']);
    // Pre-order: the book array (and its elements) is visited before the bicycle.
    expect(select('$..price', store)).toEqual([8.95, 12.99, 8.99, 22.99, 399]);
    expect(select('$.store.book[?@.isbn].title', store)).toEqual(['Sayings', 'Moby Dick', 'Rings']);
    expect(select('$.store.book[?@.price < 10].title', store)).toEqual(['Sayings', 'Moby Dick']);
    expect(select('$..book[-1].title', store)).toEqual(['Rings']);
    expect(select('$..book[:2].title', store)).toEqual(['Sayings', 'Sword']);
    expect(select('$..book[::-2].title', store)).toEqual(['Rings', 'Sword']);
    expect(select('$.store.book[?match(@.title, "S.*") && !@.tags].title', store)).toEqual(['Sayings']);
    expect(select('$.store.book[?count(@.*) == 3].title', store)).toEqual(['Sayings', 'Sword', 'Moby Dick', 'Rings']);
  });

  it('gives Normalized Paths with RFC 9535 escaping', () => {
    const nodes = evaluate(parseJsonPath("$..['it\\'s', 'a\\\\b', 'x\\ny', '\\u0001']"), { "it's": 1, 'a\\b': 2, 'x\ny': 3, '\u0001': 4 });
    expect(nodes.map((node) => node.normalizedPath)).toEqual(["$['it\\'s']", "$['a\\\\b']", "$['x\\ny']", "$['\\u0001']"]);
    expect(formatNormalizedPath(['a', 0, 'b'])).toBe("$['a'][0]['b']");
  });

  it('compares numbers exactly across number, bigint and ExactNumber', () => {
    const document = parseJson('[{"id": 9007199254740993}, {"id": 9007199254740992}, {"id": 0.1}, {"id": 0.10000000000000000001}, {"id": 1e400}]');
    expect(select('$[?@.id == 9007199254740993].id', document)).toEqual([9007199254740993n]);
    expect(select('$[?@.id == 0.1].id', document)).toEqual([0.1]);
    expect(select('$[?@.id > 0.1 && @.id < 1].id', document)).toEqual([new ExactNumber('0.10000000000000000001')]);
    expect(select('$[?@.id > 1e399].id', document)).toEqual([new ExactNumber('1e400')]);
    expect(select('$[?@.id == 9.007199254740992e15].id', document)).toEqual([9007199254740992n]); // 2^53 is beyond the safe range
  });

  it('counts length() in Unicode characters and orders strings by code point', () => {
    expect(select('$[?length(@) == 2]', ['😀é', 'ab', 'abc'])).toEqual(['😀é', 'ab']);
    // U+FF61 sorts before U+1F600 by code point, although its UTF-16 code unit is larger.
    expect(select('$[?@ < "😀"]', ['\uff61', '\ud83d\ude01'])).toEqual(['\uff61']);
  });

  it('walks very deep values without recursion', () => {
    const depth = 100_000;
    const deep = parseJson('['.repeat(depth) + '1' + ']'.repeat(depth));
    expect(select('$..*', deep).length).toBe(depth);
    expect(select('$[?@ == @]', [deep]).length).toBe(1);
  });
});

describe('I-Regexp', () => {
  it('translates to an anchored ECMAScript RegExp for match() and an unanchored one for search()', () => {
    expect(compileIRegexp('a.c', 'full')!.test('abc')).toBe(true);
    expect(compileIRegexp('a.c', 'full')!.test('xabcx')).toBe(false);
    expect(compileIRegexp('a.c', 'substring')!.test('xabcx')).toBe(true);
    expect(compileIRegexp('a.c', 'full')!.test('a\nc')).toBe(false);
    expect(compileIRegexp('a.c', 'full')!.test('a😀c')).toBe(true);
    expect(compileIRegexp('\\p{Lu}+', 'full')!.test('ÀB')).toBe(true);
    expect(compileIRegexp('[^\\p{L}]', 'full')!.test('1')).toBe(true);
    expect(compileIRegexp('[a-c-]{2,3}', 'full')!.test('a-c')).toBe(true);
    expect(compileIRegexp('(ab|cd)*', 'full')!.test('abcdab')).toBe(true);
  });

  it('rejects what I-Regexp does not have, so match() and search() are false rather than surprising', () => {
    for (const pattern of ['\\d', '\\w+', 'a*?', '(?:a)', '(?=a)', 'a{2,1}', '[a', 'a)', '\\p{IsBasicLatin}', '[\\d]', '[a-z-0]', 'a**', '\\', '{1}']) {
      expect(translateIRegexp(pattern) === null || compileIRegexp(pattern, 'full') === null).toBe(true);
    }
    expect(select('$[?match(@, "\\\\d")]', ['1', 'd'])).toEqual([]);
  });
});
