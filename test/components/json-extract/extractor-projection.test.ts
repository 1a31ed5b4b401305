/**
 * The library pieces JSONExtract added to the JSON core: `members` projection (an object match
 * materialized with only the members its mapping reads, never when something else needs the
 * rest), the extractor's `offset` (where the reported match ended) and the parser's `valueEnd`.
 */
import { describe, expect, it } from 'vitest';
import type { ExtractionSelect } from '../../../components/json/extraction-plan.ts';
import type { JsonEventHandler } from '../../../components/json/json-event-handler.ts';
import type { JsonValue } from '../../../components/json/json-value.ts';
import { StreamingJsonExtractor } from '../../../components/json/streaming-extractor.ts';
import { StreamingJsonParser } from '../../../components/json/streaming-json-parser.ts';

/** Runs the extractor over `json` fed in `chunkSize`-byte chunks; returns [tag, value, offset] per match. */
function extract(json: string, selects: readonly ExtractionSelect<string>[], chunkSize = 7): [string, JsonValue, number][] {
  const found: [string, JsonValue, number][] = [];
  const extractor: StreamingJsonExtractor<string> = new StreamingJsonExtractor(selects, (match) => found.push([match.tag, match.value, extractor.offset]));
  const bytes = Buffer.from(json);
  for (let i = 0; i < bytes.length; i += chunkSize) extractor.write(bytes.subarray(i, i + chunkSize));
  extractor.end();
  return found;
}

const DOCUMENT = '[{"a":1,"b":{"deep":[1,2,{"x":"y"}]},"c":"skipped ✓","d":2},{"a":3,"c":null}]';

describe('member projection', () => {
  it('materializes only the listed members of an object match', () => {
    const values = extract(DOCUMENT, [{ select: '$[*]', tag: 'row', members: ['a', 'd'] }]).map(([, value]) => value);
    expect(values).toEqual([{ a: 1, d: 2 }, { a: 3 }]);
  });

  it('materializes everything without members', () => {
    const values = extract(DOCUMENT, [{ select: '$[*]', tag: 'row' }]).map(([, value]) => value);
    expect(values).toEqual(JSON.parse(DOCUMENT));
  });

  it('keeps members another select reads from inside the match', () => {
    const found = extract(DOCUMENT, [
      { select: '$[*]', tag: 'row', members: ['a'] },
      { select: '$[*].b.deep[2]', tag: 'deep' },
    ]);
    expect(found.filter(([tag]) => tag === 'row').map(([, value]) => value)).toEqual([{ a: 1, b: { deep: [1, 2, { x: 'y' }] } }, { a: 3 }]);
    expect(found.filter(([tag]) => tag === 'deep').map(([, value]) => value)).toEqual([{ x: 'y' }]);
  });

  it('leaves matches that are decided later (filters, negative indices) and matches inside other matches complete', () => {
    expect(extract(DOCUMENT, [{ select: '$[?@.d]', tag: 'filtered', members: ['a'] }]).map(([, value]) => value)).toEqual([JSON.parse(DOCUMENT)[0]]);
    expect(extract(DOCUMENT, [{ select: '$[-1]', tag: 'last', members: ['a'] }]).map(([, value]) => value)).toEqual([{ a: 3, c: null }]);
    const nested = extract('{"page":{"n":1,"rows":[{"a":1,"z":2}]},"other":true}', [
      { select: '$.page', tag: 'page', members: ['n'] },
      { select: '$.page.rows[*]', tag: 'row', members: ['a'] },
    ]);
    expect(nested).toEqual([
      ['row', { a: 1, z: 2 }, expect.any(Number)],
      ['page', { n: 1, rows: [{ a: 1, z: 2 }] }, expect.any(Number)],
    ]);
  });

  it('still validates the members it skips', () => {
    expect(() => extract('[{"a":1,"b":[1,2,]}]', [{ select: '$[*]', tag: 'row', members: ['a'] }])).toThrow(/Invalid JSON: expected a value after ',' but found '\]' \(trailing comma\) at byte 17/);
  });
});

describe('offsets', () => {
  it('reports, for each streamed match, the byte offset just past its end, whatever the chunking', () => {
    const json = '{"items":[{"v":"é"} , 12.5e1,"s",true,[null]]}';
    const bytes = Buffer.from(json);
    const ends = ['{"v":"é"}', '12.5e1', '"s"', 'true', '[null]'].map((token) => bytes.indexOf(token) + Buffer.byteLength(token));
    for (const chunkSize of [1, 3, 64]) {
      expect(extract(json, [{ select: '$.items[*]', tag: 'item' }], chunkSize).map(([, , offset]) => offset)).toEqual(ends);
    }
  });

  it("gives the parser's valueEnd inside scalar and end events", () => {
    const seen: number[] = [];
    let parser: StreamingJsonParser;
    const handler: JsonEventHandler = {
      onStartObject() {},
      onStartArray() {},
      onEndObject: () => void seen.push(parser.valueEnd),
      onEndArray: () => void seen.push(parser.valueEnd),
      onKey() {},
      onScalar: () => void seen.push(parser.valueEnd),
      onSkippedValue() {},
    };
    parser = new StreamingJsonParser(handler);
    parser.write(Buffer.from('[1, "ab", {"k": null}, 250'));
    parser.write(Buffer.from(']'));
    parser.end();
    expect(seen).toEqual([2, 8, 20, 21, 26, 27]);
  });
});
