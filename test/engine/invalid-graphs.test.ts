/**
 * Every kind of invalid graph in SPEC §1 is rejected before anything runs, each problem as
 * FILE:LINE:COL CODE message at the offending YAML node, all problems of a file at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../engine/run-graph.ts';
import { GraphValidationError, formatProblem, type Problem } from '../../engine/loader/problems.ts';
import { runCli } from '../support/run-cli.ts';
import { temporaryDirectory } from '../support/graph-runner.ts';

const temp = temporaryDirectory();
afterAll(temp.cleanup);
let counter = 0;

async function problemsOf(yaml: string): Promise<{ file: string; problems: readonly Problem[] }> {
  const file = join(temp.dir, `graph-${counter++}.yaml`);
  writeFileSync(file, yaml);
  try {
    await loadGraph(file, { environment: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(GraphValidationError);
    return { file, problems: (error as GraphValidationError).problems };
  }
  throw new Error('the graph was accepted');
}

/** The one-line form, with the file name shortened. */
async function lines(yaml: string): Promise<string[]> {
  const { file, problems } = await problemsOf(yaml);
  return problems.map((problem) => formatProblem(problem).replace(file, 'G'));
}

const PIPE = `
metadata:
  M: { fields: { id: long, name: string } }
components:
  gen:
    type: DataGenerator
    records: 3
    generate: "$out[0].id = index;"
  sink:
    type: Trash
`;

describe('invalid graphs', () => {
  it('reports YAML syntax errors with their position', async () => {
    expect(await lines('graph: g\ncomponents:\n  a: { type: Trash\n')).toEqual([expect.stringMatching(/^G:4:1 TREFOIL_ERR_GRAPH_YAML Flow map/)]);
  });

  it('reports schema violations at the offending key, all at once', async () => {
    const result = await lines(`graph: g\nbogus: 1\ncomponents:\n  gen:\n    type: DataGenerator\n    records: many\n    generate: "x"\n    colour: red\n`);
    expect(result).toEqual([
      'G:2:1 TREFOIL_ERR_GRAPH_SCHEMA unknown key bogus in the document (allowed: graph, description, plugins, parameters, dictionary, metadata, components, edges)',
      expect.stringMatching(/^G:6:14 TREFOIL_ERR_GRAPH_CONFIG components\.gen\.records must be integer \(got "many"\)$/),
      expect.stringMatching(/^G:8:5 TREFOIL_ERR_GRAPH_CONFIG unknown key colour in components\.gen/),
    ]);
  });

  it('reports an unknown component type with a suggestion', async () => {
    expect(await lines(`graph: g\ncomponents:\n  r:\n    type: reformat\n`)).toEqual([
      'G:4:11 TREFOIL_ERR_GRAPH_UNKNOWN_TYPE unknown component type reformat (did you mean Reformat?)',
    ]);
  });

  it('reports unknown nodes and ports in edges', async () => {
    const result = await lines(`graph: g${PIPE}  keep:\n    type: Filter\n    filter: "true"\nedges:\n  - { from: gen, to: keep, metadata: M }\n  - { from: keep:7, to: sinc }\n  - { from: keep:nope, to: sink }\n`);
    expect(result).toEqual([
      expect.stringMatching(/^G:16:13 TREFOIL_ERR_GRAPH_EDGE_PORT edge from keep:7: keep \(Filter\) has no output port 7 \(ports: 0=accepted, 1=rejected\)$/),
      'G:16:25 TREFOIL_ERR_GRAPH_EDGE_NODE edge to sinc: no component sinc (did you mean sink?)',
      expect.stringMatching(/^G:17:13 TREFOIL_ERR_GRAPH_EDGE_PORT edge from keep:nope: keep \(Filter\) has no output port named nope/),
    ]);
  });

  it('reports an edge into a component that takes no input', async () => {
    const result = await lines(`graph: g${PIPE}  gen2:\n    type: DataGenerator\n    records: 1\n    generate: ""\nedges:\n  - { from: gen, to: gen2, metadata: M }\n  - { from: gen2, to: sink, metadata: M }\n`);
    expect(result).toEqual([expect.stringMatching(/^G:16:22 TREFOIL_ERR_GRAPH_EDGE_NO_PORT edge to gen2: gen2 \(DataGenerator\) has no input ports \(it takes no input edge\)$/)]);
  });

  it('reports two edges into one port', async () => {
    const result = await lines(`graph: g${PIPE}  gen2:\n    type: DataGenerator\n    records: 1\n    generate: ""\n  copy:\n    type: SimpleCopy\nedges:\n  - { from: gen, to: copy, metadata: M }\n  - { from: gen2, to: copy:0, metadata: M }\n  - { from: copy, to: sink }\n`);
    expect(result).toEqual([expect.stringMatching(/^G:19:23 TREFOIL_ERR_GRAPH_EDGE_DUPLICATE input port 0 \(in\) of copy already has an edge \(edges\[0\]\)/)]);
  });

  it('reports a required port left unconnected', async () => {
    const result = await lines(`graph: g${PIPE}  r:\n    type: Reformat\n    transform: "return ALL;"\nedges:\n  - { from: gen, to: sink, metadata: M }\n`);
    expect(result).toEqual([
      'G:11:3 TREFOIL_ERR_GRAPH_PORT_REQUIRED r (Reformat) needs an edge on its input port 0 (in)',
      'G:11:3 TREFOIL_ERR_GRAPH_PORT_REQUIRED r (Reformat) needs an edge on its output port 0 (out)',
    ]);
  });

  it('reports an edge from a later phase into an earlier one', async () => {
    const result = await lines(`graph: g${PIPE.replace('type: DataGenerator', 'type: DataGenerator\n    phase: 2')}edges:\n  - { from: gen, to: sink, metadata: M }\n`);
    expect(result).toEqual([expect.stringMatching(/^G:13:5 TREFOIL_ERR_GRAPH_EDGE_PHASE edge gen -> sink goes from phase 2 back to phase 0/)]);
  });

  it('reports a cycle', async () => {
    const yaml = `graph: g\nmetadata:\n  M: { fields: { id: long } }\ncomponents:\n  a:\n    type: Reformat\n    transform: "copy($in[0], $out[0]);"\n  b:\n    type: Reformat\n    transform: "copy($in[0], $out[0]);"\nedges:\n  - { from: a, to: b, metadata: M }\n  - { from: b, to: a, metadata: M }\n`;
    expect(await lines(yaml)).toEqual([expect.stringMatching(/^G:13:5 TREFOIL_ERR_GRAPH_CYCLE edge b -> a closes a cycle/)]);
  });

  it('reports unresolvable and unknown metadata', async () => {
    const result = await lines(`graph: g${PIPE}edges:\n  - { from: gen, to: sink }\n`);
    expect(result).toEqual([expect.stringMatching(/^G:12:5 TREFOIL_ERR_GRAPH_METADATA_UNRESOLVED edge gen -> sink has no metadata/)]);
    const unknown = await lines(`graph: g${PIPE}edges:\n  - { from: gen, to: sink, metadata: Nope }\n`);
    expect(unknown).toEqual([expect.stringMatching(/^G:12:38 TREFOIL_ERR_GRAPH_METADATA_UNKNOWN unknown metadata Nope \(declared: M\)/)]);
  });

  it('reports an unknown parameter where it is used', async () => {
    const result = await lines(`graph: g\ncomponents:\n  gen:\n    type: DataGenerator\n    records: \${COUNT}\n    generate: ""\n`);
    expect(result).toEqual([expect.stringMatching(/^G:5:14 TREFOIL_ERR_PARAMS_UNKNOWN .*COUNT/)]);
  });

  it('reports a required parameter without a value once, where it is declared', async () => {
    const result = await lines(`graph: g\nparameters:\n  COUNT: { required: true, type: integer }\ncomponents:\n  gen:\n    type: DataGenerator\n    records: \${COUNT}\n    generate: "$out[0].n = \${COUNT};"\n`);
    expect(result).toEqual([expect.stringMatching(/^G:3:10 TREFOIL_ERR_PARAMS_REQUIRED parameter COUNT is required but has no value/)]);
  });

  it('reports metadata type errors', async () => {
    const yaml = `graph: g\nmetadata:\n  M:\n    fields:\n      id: longg\n      when: { type: date, timeZone: Mars/Olympus }\n      amount: { type: decimal, default: abc }\ncomponents:\n  t: { type: Trash }\n`;
    const result = await lines(yaml);
    expect(result[0]).toMatch(/^G:5:11 TREFOIL_ERR_GRAPH_SCHEMA metadata\.M\.fields\.id must be one of string, integer, long/);
    const second = await lines(yaml.replace('longg', 'long'));
    expect(second).toEqual([
      expect.stringMatching(/^G:6:37 TREFOIL_ERR_GRAPH_METADATA unknown time zone "Mars\/Olympus"/),
      expect.stringMatching(/^G:7:41 TREFOIL_ERR_GRAPH_METADATA default of field amount is not a valid decimal\(12,2\)/),
    ]);
  });

  it('reports unknown fields used in transform code', async () => {
    const yaml = `graph: g${PIPE}  r:\n    type: Reformat\n    transform: "$out[0].id = $in[0].idd;"\nedges:\n  - { from: gen, to: r, metadata: M }\n  - { from: r, to: sink, metadata: M }\n`;
    expect(await lines(yaml)).toEqual([expect.stringMatching(/^G:13:16 TREFOIL_ERR_GRAPH_CODE r: code uses \$in\[0\]\.idd, but metadata M has no field idd/)]);
  });

  it('exits 2 from the CLI with one line per problem and no stack trace', async () => {
    const file = join(temp.dir, 'cli.yaml');
    writeFileSync(file, `graph: g\ncomponents:\n  a: { type: Nope }\n  b: { type: Trash, debugPrint: maybe }\n`);
    const cli = await runCli(['validate', file]);
    expect(cli.code).toBe(2);
    const out = cli.stderr.trim().split('\n');
    expect(out).toEqual([
      `${file}:3:14 TREFOIL_ERR_GRAPH_UNKNOWN_TYPE unknown component type Nope`,
      `${file}:4:33 TREFOIL_ERR_GRAPH_CONFIG components.b.debugPrint must be boolean (got "maybe")`,
    ]);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    const run = await runCli(['run', file]);
    expect(run.code).toBe(2);
  });
});
