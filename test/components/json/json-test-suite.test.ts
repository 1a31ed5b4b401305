/**
 * JSONTestSuite (nst/JSONTestSuite, test_parsing): every `y_` document is accepted and equals
 * what `JSON.parse` reads, every `n_` document is rejected with a positioned TrefoilError, and
 * every `i_` document follows the rule documented in components/json/README.md. Each file is
 * also fed in 1-, 2- and 3-byte pieces, which must change nothing, error offsets included.
 */
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { isTrefoilError, type TrefoilError } from '../../../engine/errors/trefoil-error.ts';
import { JsonValueBuilder } from '../../../components/json/json-value-builder.ts';
import type { JsonValue } from '../../../components/json/json-value.ts';
import { parseJson } from '../../../components/json/parse-json.ts';
import { StreamingJsonParser } from '../../../components/json/streaming-json-parser.ts';
import { jsonTestSuiteFiles } from './conformance-data.ts';
import { asPlainJson, chunksOf } from './feed-in-chunks.ts';

const files = jsonTestSuiteFiles();

type Outcome = { accepted: true; value: JsonValue } | { accepted: false; error: TrefoilError };

function parseInPieces(bytes: Uint8Array, pieceSize: number, source: string): Outcome {
  const builder = new JsonValueBuilder();
  const parser = new StreamingJsonParser(builder, { source });
  try {
    for (const chunk of chunksOf(bytes, pieceSize)) parser.write(chunk);
    parser.end();
    return { accepted: true, value: builder.takeResult()! };
  } catch (error) {
    if (!isTrefoilError(error)) throw error; // anything else is a crash
    return { accepted: false, error };
  }
}

describe('JSONTestSuite', () => {
  it('finds the conformance files', () => {
    expect(files.filter((f) => f.expectation === 'y').length).toBeGreaterThan(0);
    expect(files.filter((f) => f.expectation === 'n').length).toBeGreaterThan(0);
  });

  for (const file of files.filter((f) => f.expectation === 'y')) {
    it(`accepts ${file.name}`, () => {
      const value = parseJson(file.bytes, { source: file.name });
      expect(asPlainJson(value)).toStrictEqual(JSON.parse(file.bytes.toString('utf8')));
      for (const size of [1, 2, 3]) {
        const outcome = parseInPieces(file.bytes, size, file.name);
        expect(outcome.accepted).toBe(true);
        if (outcome.accepted) expect(outcome.value).toStrictEqual(value);
      }
    });
  }

  for (const file of files.filter((f) => f.expectation === 'n')) {
    it(`rejects ${file.name}`, () => {
      const whole = parseInPieces(file.bytes, file.bytes.length || 1, file.name);
      expect(whole.accepted).toBe(false);
      if (whole.accepted) return;
      expect(whole.error.code).toMatch(/^TREFOIL_ERR_JSON_(SYNTAX|ENCODING|TRUNCATED)$/);
      expect(whole.error.location.file).toBe(file.name);
      expect(whole.error.location.offset).toBeGreaterThanOrEqual(0);
      expect(whole.error.location.offset).toBeLessThanOrEqual(file.bytes.length);
      expect(whole.error.message).toContain(`at byte ${whole.error.location.offset} of ${file.name}`);
      for (const size of [1, 2, 3]) {
        const pieces = parseInPieces(file.bytes, size, file.name);
        expect(pieces.accepted).toBe(false);
        if (!pieces.accepted) {
          expect(pieces.error.code).toBe(whole.error.code);
          expect(pieces.error.location.offset).toBe(whole.error.location.offset);
        }
      }
    });
  }

  // Documented rule (README "Implementation-defined inputs"): accepted exactly when the bytes
  // are UTF-8 without NUL bytes (a leading UTF-8 BOM is skipped, huge numbers become bigint or
  // ExactNumber, escaped lone surrogates are kept); invalid UTF-8 is an encoding error, and so
  // is UTF-16/32 (recognised by its BOM or its NUL bytes).
  for (const file of files.filter((f) => f.expectation === 'i')) {
    it(`handles the implementation-defined ${file.name} as documented`, () => {
      const outcome = parseInPieces(file.bytes, file.bytes.length || 1, file.name);
      expect(outcome.accepted).toBe(isUtf8(file.bytes) && !file.bytes.includes(0));
      if (!outcome.accepted && !isUtf8(file.bytes)) expect(outcome.error.code).toBe('TREFOIL_ERR_JSON_ENCODING');
      for (const size of [1, 3]) expect(parseInPieces(file.bytes, size, file.name).accepted).toBe(outcome.accepted);
    });
  }
});
