/**
 * The RFC 9535 JSONPath Compliance Test Suite: every case present passes. Invalid selectors are
 * rejected with a positioned JsonPathSyntaxError; valid ones give the expected nodelist (values
 * and Normalized Paths), or one of the allowed nodelists where the order is not determined.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../components/json/jsonpath/evaluate.ts';
import { JsonPathSyntaxError } from '../../../components/json/jsonpath/json-path-syntax-error.ts';
import { parseJsonPath } from '../../../components/json/jsonpath/parse-json-path.ts';
import type { JsonValue } from '../../../components/json/json-value.ts';
import { jsonPathCtsCases } from './conformance-data.ts';

const cases = jsonPathCtsCases();

describe('JSONPath compliance test suite', () => {
  it('finds the suite', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      if (testCase.invalid_selector) {
        let error: unknown;
        try {
          parseJsonPath(testCase.selector);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(JsonPathSyntaxError);
        const syntaxError = error as JsonPathSyntaxError;
        expect(syntaxError.code).toBe('TREFOIL_ERR_JSON_PATH_INVALID');
        expect(syntaxError.column).toBeGreaterThanOrEqual(1);
        expect(syntaxError.column).toBeLessThanOrEqual(testCase.selector.length + 1);
        return;
      }
      const nodes = evaluate(parseJsonPath(testCase.selector), testCase.document as JsonValue);
      const values = nodes.map((node) => node.value);
      const paths = nodes.map((node) => node.normalizedPath);
      if (testCase.result !== undefined) {
        expect(values).toStrictEqual(testCase.result);
        if (testCase.result_paths !== undefined) expect(paths).toStrictEqual(testCase.result_paths);
      } else {
        const allowed = testCase.results!.map((result, i) => ({ values: result, paths: testCase.results_paths?.[i] ?? paths }));
        expect(allowed).toContainEqual({ values, paths });
      }
    });
  }
});
