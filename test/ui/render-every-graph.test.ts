/**
 * `trefoil render` draws every graph in graphs/ (examples, the Dropbox graphs when present):
 * the SVG is well-formed XML (the render tests' strict checker) and shows every component and
 * every edge of the graph as loaded, each component with its id and type.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderCommand } from '../../engine/cli/render-command.ts';
import { readParameterDeclarations } from '../../engine/params/parameter-declarations.ts';
import { loadGraph } from '../../engine/run-graph.ts';
import { elementsWith, parseXml, textOf } from '../render/parse-xml.ts';
import { REPO, temporaryDirectory } from '../support/graph-runner.ts';
import { runCli } from '../support/run-cli.ts';

/** Graph files (a top-level `graph:` key) under `dir`, recursively; server configs and metadata files are not graphs. */
function graphFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return graphFiles(path);
    return /\.ya?ml$/.test(name) && /^graph\s*:/m.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

/**
 * `-P` values for the parameters a graph declares without a default (tokens, event files): a
 * picture needs the graph to load, not real values.
 */
function placeholderParameters(file: string): Record<string, string> {
  const document = parseYaml(readFileSync(file, 'utf8')) as { parameters?: unknown };
  const placeholders: Record<string, string> = {};
  for (const declaration of readParameterDeclarations(document.parameters).declarations.values()) {
    if (declaration.default !== undefined) continue;
    // A string that is also an absolute URL: base URLs are checked when the graph loads, paths are not.
    placeholders[declaration.name] = declaration.type === 'integer' || declaration.type === 'number' ? '1' : declaration.type === 'boolean' ? 'false' : 'http://placeholder.invalid';
  }
  return placeholders;
}

const graphs = graphFiles(join(REPO, 'graphs'));
const scratch = temporaryDirectory('trefoil-render-all-');

afterAll(() => scratch.cleanup());

describe('trefoil render, every graph in graphs/', () => {
  it('finds the graphs (examples, and the Dropbox graphs once they exist)', () => {
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    expect(graphs.some((file) => file.includes(`${join('graphs', 'examples')}`))).toBe(true);
  });

  for (const file of graphs) {
    it(`draws ${relative(REPO, file)} with all its components and edges`, async () => {
      const parameters = placeholderParameters(file);
      const plan = await loadGraph(file, { parameters, projectDir: scratch.dir });
      const output = join(scratch.dir, `${relative(REPO, file).replaceAll('/', '_')}.svg`);
      const args = [file, '-o', output, ...Object.entries(parameters).flatMap(([name, value]) => ['-P', `${name}=${value}`])];
      expect(await renderCommand(args)).toBe(0);

      const root = parseXml(readFileSync(output, 'utf8'));
      expect(root.name).toBe('svg');
      expect(root.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg');
      expect(root.attributes.get('data-graph-id')).toBe(plan.id);

      const nodeGroups = elementsWith(root, 'data-node-id');
      const expectedNodes = [...plan.nodes.map((node) => node.id), ...plan.disabled.map((node) => node.id)];
      expect(nodeGroups.map((group) => group.attributes.get('data-node-id')).sort()).toEqual(expectedNodes.sort());
      for (const node of [...plan.nodes, ...plan.disabled]) {
        const group = nodeGroups.find((candidate) => candidate.attributes.get('data-node-id') === node.id)!;
        expect(group.attributes.get('data-node-type')).toBe(node.type);
        expect(group.attributes.get('data-phase')).toBe(String(node.phase));
        expect(textOf(group)).toContain(node.id);
      }
      const edgeGroups = elementsWith(root, 'data-edge-id');
      expect(edgeGroups.map((group) => group.attributes.get('data-edge-id')).sort()).toEqual(plan.edges.map((edge) => edge.id).sort());
      for (const edge of plan.edges) {
        const group = edgeGroups.find((candidate) => candidate.attributes.get('data-edge-id') === edge.id)!;
        expect(group.attributes.get('data-from')).toBe(`${edge.from.node}:${edge.from.port}`);
        expect(group.attributes.get('data-to')).toBe(`${edge.to.node}:${edge.to.port}`);
      }
      const phases = [...new Set([...plan.phases, ...plan.disabled.map((node) => node.phase)])].sort((a, b) => a - b);
      expect(elementsWith(root, 'data-phase-band').map((band) => Number(band.attributes.get('data-phase-band')))).toEqual(phases);
    });
  }

  it('prints the same SVG on standard output from the real command', async () => {
    const file = join(REPO, 'graphs/examples/generate-filter.yaml');
    const output = join(scratch.dir, 'same.svg');
    expect(await renderCommand([file, '-o', output])).toBe(0);
    const cli = await runCli(['render', file], { cwd: scratch.dir });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(readFileSync(output, 'utf8'));
  });
});
