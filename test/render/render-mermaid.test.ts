import { describe, expect, it } from 'vitest';
import type { RenderModel } from '../../engine/render/render-model.ts';
import { renderMermaid } from '../../engine/render/render-mermaid.ts';
import { exampleRunModel } from './example-models.ts';

/** Undoes Mermaid's entity codes (`#quot;`, `#35;`…), as Mermaid does before drawing. */
function decode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  return text.replace(/#(\d+|quot|lt|gt|amp);/g, (_, code: string) => named[code] ?? String.fromCodePoint(Number(code)));
}

/** Node definitions `nK["label"]` by Mermaid id, with the phase subgraph each sits in. */
function nodes(source: string): Map<string, { label: string; phase: string }> {
  const found = new Map<string, { label: string; phase: string }>();
  let phase = '';
  for (const line of source.split('\n')) {
    const subgraph = /^ {2}subgraph (\w+)\["([^"]*)"\]$/.exec(line);
    if (subgraph) phase = decode(subgraph[2]!);
    if (line === '  end') phase = '';
    const node = /^ {4}(n\d+)\["([^"]*)"\]$/.exec(line);
    if (node) found.set(node[1]!, { label: node[2]!, phase });
  }
  return found;
}

/** The Mermaid id of the node whose label starts with the (escaped) component id. */
function idOf(defined: Map<string, { label: string }>, componentId: string): string {
  const entry = [...defined].find(([, node]) => decode(node.label.replace(/<br\/>.*/, '').replace(/<\/?b>/g, '')).replace(/^[✖⚠] /, '') === componentId);
  expect(entry, `node for ${componentId}`).toBeDefined();
  return entry![0];
}

describe('renderMermaid', () => {
  it('draws a left-to-right flowchart with one subgraph per phase holding its components', () => {
    const model = exampleRunModel();
    const source = renderMermaid(model);
    expect(source.split('\n')[0]).toBe('flowchart LR');
    const defined = nodes(source);
    expect(defined.size).toBe(model.nodes.length);
    for (const component of model.nodes) {
      const id = idOf(defined, component.id);
      expect(defined.get(id)!.phase).toBe(`Phase ${component.phase}`);
      expect(decode(defined.get(id)!.label)).toContain(component.type);
    }
    expect(source).toContain('phase0 ~~~ phase1');
  });

  it('draws every edge with its kind and label', () => {
    const model = exampleRunModel();
    const source = renderMermaid(model);
    const defined = nodes(source);
    const arrows = { direct: '-->', buffered: '-.->', phase: '==>' };
    for (const edge of model.edges) {
      const from = idOf(defined, edge.from.node);
      const to = idOf(defined, edge.to.node);
      const line = source.split('\n').find((candidate) => candidate.startsWith(`  ${from} ${arrows[edge.kind]}`) && candidate.endsWith(` ${to}`));
      expect(line, `edge ${edge.id}`).toBeDefined();
    }
    expect(source).toContain(`  ${idOf(defined, 'read')} -->|"Order · 12,845"| ${idOf(defined, 'valid')}`);
    expect(source).toContain(`  ${idOf(defined, 'valid')} -->|"Order"| ${idOf(defined, 'debug')}`);
  });

  it('shows status, and marks disabled and failed components', () => {
    const source = renderMermaid(exampleRunModel());
    const defined = nodes(source);
    const upload = idOf(defined, 'upload');
    const debug = idOf(defined, 'debug');
    expect(decode(defined.get(upload)!.label)).toMatch(/^<b>✖ upload<\/b><br\/>HTTPConnector<br\/>ERROR · 612 ms<br\/>✖ HTTP 401 /);
    expect(decode(defined.get(debug)!.label)).toContain('disabled');
    expect(decode(defined.get(idOf(defined, 'read'))!.label)).toContain('FINISHED_OK · 1.2 s');
    expect(source).toContain(`  class ${debug} disabled`);
    expect(source).toContain(`  class ${upload} failed`);
    expect(source).toMatch(/classDef disabled [^\n]*stroke-dasharray/);
  });

  it('escapes quotes, markup and Mermaid syntax in every label', () => {
    const nasty = 'x<b>&"q"|#quot;`end`';
    const model: RenderModel = {
      graph: 'g',
      description: 'line one\nline two',
      phases: [0],
      nodes: [
        { id: 'end', type: `T${nasty}`, phase: 0, enabled: true, inputs: [], outputs: [{ index: 0, name: 'out' }], problem: `p${nasty}` },
        { id: 'b', type: 'Trash', phase: 0, enabled: true, inputs: [{ index: 0, name: 'in' }], outputs: [] },
      ],
      edges: [{ id: 'e', from: { node: 'end', port: 0 }, to: { node: 'b', port: 0 }, metadata: `M${nasty}`, kind: 'direct', records: 2 }],
    };
    const source = renderMermaid(model);
    expect(source).not.toContain('<b>&');
    expect(source).toContain('  %% g: line one line two\n');
    const defined = nodes(source);
    const end = idOf(defined, 'end');
    expect(end).toMatch(/^n\d+$/);
    expect(decode(defined.get(end)!.label)).toContain(`T${nasty}`);
    const edgeLine = source.split('\n').find((line) => line.startsWith(`  ${end} -->|`))!;
    const label = /\|"([^"]*)"\|/.exec(edgeLine);
    expect(label && decode(label[1]!)).toBe(`M${nasty} · 2`);
    // Besides our own <b> and <br/>, no markup survives inside labels.
    for (const node of defined.values()) expect(node.label.replace(/<\/?b>|<br\/>/g, '')).not.toMatch(/[<>"]/);
  });
});
