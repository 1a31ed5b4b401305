/**
 * JSONExtract graphs that are invalid are rejected before anything runs (SPEC §1, §7), each
 * problem positioned on the YAML node at fault: an invalid select (at any depth of children), an
 * invalid relative field path, a field the port's metadata lacks, an unconnected mapping port,
 * parentKey and sequenceField problems, sources that do not fit; the CLI exits with 2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphValidationError, type Problem } from '../../../engine/loader/problems.ts';
import { loadGraph } from '../../../engine/run-graph.ts';
import { runCli } from '../../support/run-cli.ts';
import { temporaryDirectory } from '../../support/graph-runner.ts';

async function problemsOf(yaml: string): Promise<readonly Problem[]> {
  try {
    await loadGraph(yaml);
  } catch (error) {
    if (error instanceof GraphValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** 1-based line and column of the first occurrence of `marker` in `text`. */
function positionOf(text: string, marker: string): { line: number; column: number } {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker ${marker} not in the YAML`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function graph(mapping: string, options: { extract?: string; edges?: string } = {}): string {
  return `graph: invalid
metadata:
  Order: { fields: { id: long, customer: string, n: integer } }
  Item: { fields: { orderId: long, line: integer, sku: string, note: { type: string, container: list } } }
components:
  extract:
    type: JSONExtract
    file: orders.json
${options.extract ?? ''}    mapping:
${mapping}
  orders: { type: Trash }
  items: { type: Trash }
edges:
  - { from: "extract:0", to: orders, metadata: Order }
${options.edges ?? '  - { from: "extract:1", to: items, metadata: Item }'}
`;
}

describe('JSONExtract validation', () => {
  it('rejects an invalid select, positioned on its YAML node, with the character at fault', async () => {
    const yaml = graph(`      - select: "$.orders[?@.total >]"
        port: 0
        children:
          - { select: "$.items[*]", port: 1 }`);
    const problems = await problemsOf(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'TREFOIL_ERR_JSON_PATH_INVALID', ...positionOf(yaml, '"$.orders[?@.total >]"') });
    expect(problems[0]!.message).toMatch(/extract: select: Invalid JSONPath "\$\.orders\[\?@\.total >\]" at character \d+/);
  });

  it('rejects an invalid select of a nested child and an invalid field path, each at its node', async () => {
    const yaml = graph(`      - select: "$.orders[*]"
        fields: { customer: "customer.name" }
        children:
          - { select: "$.items[*", port: 1 }`);
    const problems = await problemsOf(yaml);
    expect(problems.map((problem) => ({ code: problem.code, line: problem.line, column: problem.column }))).toEqual([
      { code: 'TREFOIL_ERR_JSON_PATH_INVALID', ...positionOf(yaml, '"customer.name"') },
      { code: 'TREFOIL_ERR_JSON_PATH_INVALID', ...positionOf(yaml, '"$.items[*"') },
    ]);
    expect(problems[0]!.message).toContain('field customer: Invalid JSONPath "customer.name" at character 1');
  });

  it('rejects fields, parentKey and sequenceField that the metadata does not have', async () => {
    const yaml = graph(`      - select: "$.orders[*]"
        fields: { total: "$.total" }
        sequenceField: position
        children:
          - select: "$.items[*]"
            port: 1
            parentKey: { orderId: orderNo, lineNo: id }
            sequenceField: note`);
    const problems = await problemsOf(yaml);
    const messages = problems.map((problem) => problem.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('field total is not a field of metadata Order on port 0'),
        expect.stringContaining('sequenceField position is not a field of metadata Order on port 0'),
        expect.stringContaining('sequenceField note is a list of string; it needs an integer, long, number, decimal or string field'),
        expect.stringContaining('parentKey orderId: orderNo is not a field of metadata Order of the parent mapping (port 0)'),
        expect.stringContaining('parentKey field lineNo is not a field of metadata Item on port 1'),
      ]),
    );
    expect(problems.find((problem) => problem.message.includes('field total'))).toMatchObject(positionOf(yaml, '"$.total"'));
    expect(problems.find((problem) => problem.message.includes('sequenceField position'))).toMatchObject(positionOf(yaml, 'position\n'));
  });

  it('rejects a mapping port without an edge, and a connected port no mapping uses', async () => {
    const yaml = graph(`      - select: "$.orders[*]"
      - { select: "$.items[*]", port: 2 }`);
    const problems = await problemsOf(yaml);
    expect(problems.map((problem) => problem.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('port 2 is not connected'),
        expect.stringContaining('output port 1 is connected but no mapping sends records to it'),
      ]),
    );
    expect(problems.find((problem) => problem.message.includes('port 2'))).toMatchObject(positionOf(yaml, '2 }'));
  });

  it('rejects sources that do not fit: no file, a top-level parentKey without input, errorPort on a mapping port', async () => {
    const yaml = graph(`      - { select: "$.orders[*]", parentKey: { n: page } }
      - { select: "$.items[*]", port: 1 }`, { extract: '    dataPolicy: controlled\n    errorPort: 1\n' }).replace('    file: orders.json\n', '');
    const messages = (await problemsOf(yaml)).map((problem) => problem.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('set file (the JSON file to read), or connect an input edge and set sourceField'),
        expect.stringContaining('a top-level mapping has no parent record'),
        expect.stringContaining('port 1 is the error port'),
      ]),
    );
  });

  it('rejects a schema violation in a mapping entry (an unknown key)', async () => {
    const yaml = graph(`      - { select: "$.orders[*]", feilds: { id: "$.id" } }`, { edges: '' });
    const problems = await problemsOf(yaml);
    expect(problems[0]).toMatchObject({ code: 'TREFOIL_ERR_GRAPH_CONFIG', ...positionOf(yaml, 'feilds') });
    expect(problems[0]!.message).toContain('unknown key feilds');
    expect(problems[0]!.message).toContain('did you mean fields?');
  });

  it('makes `trefoil validate` and `trefoil run` exit with 2 and a positioned line, without a stack trace', async () => {
    const scratch = temporaryDirectory();
    try {
      const file = join(scratch.dir, 'graph.yaml');
      const yaml = graph(`      - select: "$..[?"`, { edges: '' });
      writeFileSync(file, yaml);
      const { line, column } = positionOf(yaml, '"$..[?"');
      for (const command of ['validate', 'run']) {
        const outcome = await runCli([command, file], { cwd: scratch.dir });
        expect(outcome.code).toBe(2);
        expect(outcome.stderr + outcome.stdout).toContain(`${file}:${line}:${column} TREFOIL_ERR_JSON_PATH_INVALID`);
        expect(outcome.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      scratch.cleanup();
    }
  }, 60_000);
});
