/**
 * The shared conformance suites run through the component, not just the library:
 *
 * - JSONTestSuite: every `y_` document present is accepted by a JSONExtract graph (`select: $`
 *   into a variant field gives what `JSON.parse` gives) and every `n_` document fails the run
 *   with a JSON error naming the file and a byte offset;
 * - RFC 9535 compliance suite: every valid case present is a graph (document file → JSONExtract
 *   `select` → variant field `$`) whose collected values equal the expected nodelist, in order
 *   (or one of the allowed orders); every invalid selector makes the graph invalid, positioned on
 *   the select's YAML node.
 *
 * Cases are batched: one graph holds many JSONExtract → collector pairs, so the suites take
 * seconds. The sets are incomplete on purpose; the tests loop over what is present.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../../engine/loader/problems.ts';
import { loadGraph } from '../../../engine/run-graph.ts';
import { jsonPathCtsCases, jsonTestSuiteFiles, type CtsCase } from '../json/conformance-data.ts';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';

const scratch = temporaryDirectory('trefoil-json-conformance-');
afterAll(() => scratch.cleanup());

/** A YAML double-quoted scalar (JSON string syntax is valid YAML; `${` would be a parameter). */
function quoted(text: string): string {
  return JSON.stringify(text).replaceAll('${', '$${');
}

/** Plain JSON values: a bigint (exact long integers) as the double `JSON.parse` would give. */
function asParsed(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(asParsed);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, asParsed(member)]));
  return value;
}

/** One graph: per case, JSONExtract `x<i>` reading `files[i]` with `selects[i]` into collector `c<i>` (or Trash). */
function batchGraph(cases: readonly { file: string; select: string }[], sink: 'TestCollect' | 'Trash' = 'TestCollect'): string {
  const components = cases.flatMap(({ file, select }, i) => [
    `  x${i}:`,
    '    type: JSONExtract',
    `    file: ${quoted(file)}`,
    '    mapping:',
    `      - select: ${quoted(select)}`,
    '        fields: { v: $ }',
    `  c${i}: { type: ${sink} }`,
  ]);
  const edges = cases.map((_, i) => `  - { from: x${i}, to: c${i}, metadata: Value }`);
  // NOTE: the collector module is loaded once as a plugin (a module path as each `type:` is loaded per component).
  const plugins = sink === 'TestCollect' ? [`plugins: [${quoted(COLLECT)}]`] : [];
  return ['graph: conformance', ...plugins, 'metadata:', '  Value: { fields: { v: variant } }', 'components:', ...components, 'edges:', ...edges, ''].join('\n');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('JSONTestSuite through JSONExtract', { timeout: 60_000 }, () => {
  const files = jsonTestSuiteFiles();
  const dir = join(scratch.dir, 'json-test-suite');
  const written = (name: string, bytes: Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('finds the suite', () => {
    expect(files.some((file) => file.expectation === 'y')).toBe(true);
    expect(files.some((file) => file.expectation === 'n')).toBe(true);
  });

  it('accepts every y_ document, with the value JSON.parse gives', async () => {
    mkdirSync(dir, { recursive: true });
    const accepted = files.filter((file) => file.expectation === 'y');
    for (const batch of chunks(accepted, 60)) {
      const { result, collected } = await runYaml(batchGraph(batch.map((file) => ({ file: written(file.name, file.bytes), select: '$' }))), { log: { level: 'silent' } });
      expect(result.error?.message).toBeUndefined();
      batch.forEach((file, i) => {
        const values = (collected[`c${i}`] ?? []).map((record) => asParsed(record.v));
        expect({ file: file.name, values }).toEqual({ file: file.name, values: [JSON.parse(file.bytes.toString('utf8'))] });
      });
    }
  });

  it('rejects every n_ document with a JSON error naming the file and a byte offset', async () => {
    mkdirSync(dir, { recursive: true });
    const rejected = files.filter((candidate) => candidate.expectation === 'n');
    // Each document needs a run of its own (a bad document fails its run); a few run at once.
    for (const group of chunks(rejected, 8)) {
      const outcomes = await Promise.all(
        group.map(async (file) => {
          const path = written(file.name, file.bytes);
          const { result } = await runYaml(batchGraph([{ file: path, select: '$' }], 'Trash'), { log: { level: 'silent' } });
          return { file, path, result };
        }),
      );
      for (const { file, path, result } of outcomes) {
        expect({ file: file.name, status: result.status }).toEqual({ file: file.name, status: 'ERROR' });
        expect([file.name, result.error?.code]).toEqual([file.name, expect.stringMatching(/^TREFOIL_ERR_JSON_(SYNTAX|ENCODING|TRUNCATED)$/)]);
        expect(result.error?.message).toMatch(new RegExp(`at byte \\d+ of ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      }
    }
  });
});

describe('RFC 9535 compliance suite through JSONExtract', { timeout: 60_000 }, () => {
  const cases = jsonPathCtsCases();
  const valid = cases.filter((testCase) => !testCase.invalid_selector);
  const invalid = cases.filter((testCase) => testCase.invalid_selector);

  it('finds the suite', () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it('gives every valid selector its expected nodelist, in order', async () => {
    const dir = join(scratch.dir, 'cts');
    mkdirSync(dir, { recursive: true });
    let index = 0;
    for (const batch of chunks(valid, 80)) {
      const inputs = batch.map((testCase) => {
        const file = join(dir, `case-${index++}.json`);
        writeFileSync(file, JSON.stringify(testCase.document));
        return { file, select: testCase.selector };
      });
      const { result, collected } = await runYaml(batchGraph(inputs), { log: { level: 'silent' } });
      expect(result.error?.message).toBeUndefined();
      batch.forEach((testCase: CtsCase, i) => {
        const values = (collected[`c${i}`] ?? []).map((record) => asParsed(record.v));
        if (testCase.result !== undefined) {
          expect({ name: testCase.name, values }).toEqual({ name: testCase.name, values: testCase.result });
        } else {
          expect(testCase.results!.map((result) => ({ name: testCase.name, values: result }))).toContainEqual({ name: testCase.name, values });
        }
      });
    }
  });

  it('makes a graph with an invalid selector invalid, positioned on the select node', async () => {
    const yaml = batchGraph(invalid.map((testCase) => ({ file: 'unused.json', select: testCase.selector })));
    let problems: readonly { line: number; column: number; code: string; message: string }[] = [];
    try {
      await loadGraph(yaml);
    } catch (error) {
      if (!(error instanceof GraphValidationError)) throw error;
      problems = error.problems;
    }
    const lines = yaml.split('\n');
    invalid.forEach((testCase, i) => {
      const line = lines.indexOf(`  x${i}:`) + 5; // 1-based line of `      - select: …`
      const found = problems.find((problem) => problem.line === line);
      expect({ name: testCase.name, code: found?.code, column: found?.column }).toEqual({ name: testCase.name, code: 'TREFOIL_ERR_JSON_PATH_INVALID', column: 17 });
    });
  });
});
