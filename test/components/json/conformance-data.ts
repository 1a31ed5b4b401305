/** Loads the shared conformance data sets (never copied into the repository). */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const CONFORMANCE = path.resolve(import.meta.dirname, '../../../../shared/conformance');

export interface JsonTestSuiteFile {
  readonly name: string;
  /** 'y' must be accepted, 'n' rejected, 'i' implementation-defined. */
  readonly expectation: 'y' | 'n' | 'i';
  readonly bytes: Buffer;
}

/** Every file present in JSONTestSuite's test_parsing folder (the set is deliberately incomplete). */
export function jsonTestSuiteFiles(): JsonTestSuiteFile[] {
  const dir = path.join(CONFORMANCE, 'json-test-suite/test_parsing');
  return readdirSync(dir)
    .filter((name) => /^[yni]_.*\.json$/.test(name))
    .sort()
    .map((name) => ({ name, expectation: name[0] as 'y' | 'n' | 'i', bytes: readFileSync(path.join(dir, name)) }));
}

export interface CtsCase {
  readonly name: string;
  readonly selector: string;
  readonly invalid_selector?: boolean;
  readonly document?: unknown;
  readonly result?: unknown[];
  readonly result_paths?: string[];
  readonly results?: unknown[][];
  readonly results_paths?: string[][];
}

/** Every case present in the RFC 9535 compliance suite (the set is deliberately incomplete). */
export function jsonPathCtsCases(): CtsCase[] {
  const file = path.join(CONFORMANCE, 'jsonpath-cts/cts.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { tests: CtsCase[] }).tests;
}
