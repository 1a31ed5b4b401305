import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { RenderModel, RenderNode } from '../../engine/render/render-model.ts';
import { renderSvg } from '../../engine/render/render-svg.ts';
import { exampleRunModel } from './example-models.ts';
import { allElements, childrenNamed, elementsWith, parseXml, textOf, type XmlElement } from './parse-xml.ts';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ARTIFACT = path.resolve(import.meta.dirname, '../artifacts/render-example.svg');

async function render(model: RenderModel): Promise<{ svg: string; root: XmlElement }> {
  const svg = await renderSvg(model);
  return { svg, root: parseXml(svg) };
}

function only(root: XmlElement, attribute: string, value: string): XmlElement {
  const found = elementsWith(root, attribute, value);
  expect(found, `${attribute}=${value}`).toHaveLength(1);
  return found[0]!;
}

function rectOf(element: XmlElement): Rect {
  const number = (name: string): number => Number(element.attributes.get(name) ?? 0);
  return { x: number('x'), y: number('y'), width: number('width'), height: number('height') };
}

/** The absolute box of a component group (`transform="translate(x y)"` plus its first rect). */
function nodeBox(group: XmlElement): Rect {
  const match = /^translate\(([-\d.]+) ([-\d.]+)\)$/.exec(group.attributes.get('transform') ?? '');
  expect(match, 'node group is translated').not.toBeNull();
  const box = rectOf(childrenNamed(group, 'rect')[0]!);
  return { ...box, x: Number(match![1]) + box.x, y: Number(match![2]) + box.y };
}

function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function pathPoints(edgeGroup: XmlElement): { x: number; y: number }[] {
  const d = childrenNamed(edgeGroup, 'path')[0]!.attributes.get('d')!;
  return [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((match) => ({ x: Number(match[1]), y: Number(match[2]) }));
}

function node(id: string, phase: number, inputs: number, outputs: number, extra: Partial<RenderNode> = {}): RenderNode {
  const ports = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => ({ index, name: `${prefix}${index}` }));
  return { id, type: 'Reformat', phase, enabled: true, inputs: ports(inputs, 'in'), outputs: ports(outputs, 'out'), ...extra };
}

describe('renderSvg', () => {
  it('renders a well-formed, accessible SVG with every component and edge (and writes the README example)', async () => {
    const model = exampleRunModel();
    const { svg, root } = await render(model);

    expect(root.name).toBe('svg');
    expect(root.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.attributes.get('role')).toBe('img');
    expect(root.attributes.get('data-graph-id')).toBe('orders-upload');
    const title = childrenNamed(root, 'title')[0];
    expect(title && textOf(title)).toBe('Graph orders-upload: Totals per customer, uploaded to Dropbox');
    // Self-contained: no external references, stylesheets or fonts.
    expect(svg).not.toMatch(/href=|@import|@font-face|url\(/);

    for (const component of model.nodes) only(root, 'data-node-id', component.id);
    for (const edge of model.edges) {
      const group = only(root, 'data-edge-id', edge.id);
      expect(group.attributes.get('data-from')).toBe(`${edge.from.node}:${edge.from.port}`);
      expect(group.attributes.get('data-to')).toBe(`${edge.to.node}:${edge.to.port}`);
      expect(group.attributes.get('data-edge-kind')).toBe(edge.kind);
      expect(pathPoints(group).length).toBeGreaterThanOrEqual(2);
    }
    expect(elementsWith(root, 'data-node-id')).toHaveLength(model.nodes.length);
    expect(elementsWith(root, 'data-edge-id')).toHaveLength(model.edges.length);

    await mkdir(path.dirname(ARTIFACT), { recursive: true });
    await writeFile(ARTIFACT, svg);
  });

  it('labels edges with their metadata and record count, and exposes the count for live updates', async () => {
    const { root } = await render(exampleRunModel());
    const counted = only(root, 'data-edge-id', 'read:0->valid:0');
    expect(textOf(childrenNamed(counted, 'text')[0]!)).toBe('Order · 12,845');
    expect(counted.attributes.get('data-records')).toBe('12845');
    const records = allElements(counted).filter((element) => element.attributes.get('data-role') === 'records');
    expect(records.map(textOf)).toEqual(['12,845']);
    expect(textOf(childrenNamed(only(root, 'data-edge-id', 'upload:1->log:0'), 'text')[0]!)).toBe('UploadError · 0');

    const uncounted = only(root, 'data-edge-id', 'valid:1->debug:0');
    expect(textOf(childrenNamed(uncounted, 'text')[0]!)).toBe('Order');
    expect(uncounted.attributes.has('data-records')).toBe(false);

    const bare = await render({
      graph: 'g',
      phases: [0],
      nodes: [node('a', 0, 0, 1), node('b', 0, 1, 0)],
      edges: [{ id: 'e', from: { node: 'a', port: 0 }, to: { node: 'b', port: 0 }, kind: 'direct' }],
    });
    expect(childrenNamed(only(bare.root, 'data-edge-id', 'e'), 'text')).toEqual([]);
  });

  it('shows each component with its id, type, port names and status as text', async () => {
    const { root } = await render(exampleRunModel());
    const valid = only(root, 'data-node-id', 'valid');
    const texts = childrenNamed(valid, 'text').map(textOf);
    expect(texts).toEqual(expect.arrayContaining(['valid', 'Filter', 'in', 'accepted', 'rejected', 'FINISHED_OK · 1.2 s']));
    expect(valid.attributes.get('data-status')).toBe('FINISHED_OK');
    expect(valid.attributes.get('data-node-type')).toBe('Filter');
    const status = allElements(only(root, 'data-node-id', 'log')).find((element) => element.attributes.get('data-role') === 'status');
    expect(status && textOf(status)).toBe('ABORTED · 610 ms');
  });

  it('greys a disabled component, draws it dashed and says "disabled"', async () => {
    const { root } = await render(exampleRunModel());
    const debug = only(root, 'data-node-id', 'debug');
    expect(debug.attributes.get('data-enabled')).toBe('false');
    const box = childrenNamed(debug, 'rect')[0]!;
    expect(box.attributes.get('stroke-dasharray')).toBeTruthy();
    expect(box.attributes.get('fill')).not.toBe('#ffffff');
    expect(childrenNamed(debug, 'text').map(textOf)).toContain('disabled');

    const enabledBox = childrenNamed(only(root, 'data-node-id', 'total'), 'rect')[0]!;
    expect(enabledBox.attributes.has('stroke-dasharray')).toBe(false);
    expect(enabledBox.attributes.get('fill')).toBe('#ffffff');
  });

  it('marks a failed component with a red border, a marker, its message and a tooltip', async () => {
    const { root } = await render(exampleRunModel());
    const upload = only(root, 'data-node-id', 'upload');
    const problem = exampleRunModel().nodes.find((component) => component.id === 'upload')!.problem!;
    expect(upload.attributes.get('data-failed')).toBe('true');
    const box = childrenNamed(upload, 'rect')[0]!;
    expect(box.attributes.get('stroke')).toBe('#c62828');
    expect(Number(box.attributes.get('stroke-width'))).toBeGreaterThan(2);
    expect(textOf(childrenNamed(upload, 'text')[0]!)).toBe('✖ upload');
    expect(textOf(childrenNamed(upload, 'title')[0]!)).toContain(problem);
    const shown = allElements(upload).find((element) => element.attributes.get('data-role') === 'problem')!;
    expect(textOf(shown)).toMatch(/^✖ HTTP 401 from https:\/\/content\.dropbox.*…$/);

    // A validation problem without a run is marked ⚠; a healthy component carries no marker.
    const invalid = await render({
      graph: 'g',
      phases: [0],
      nodes: [node('a', 0, 0, 1, { problem: 'unknown port a:3' }), node('b', 0, 1, 0)],
      edges: [],
    });
    expect(textOf(childrenNamed(only(invalid.root, 'data-node-id', 'a'), 'text')[0]!)).toBe('⚠ a');
    expect(textOf(childrenNamed(only(invalid.root, 'data-node-id', 'a'), 'title')[0]!)).toContain('unknown port a:3');
    expect(only(invalid.root, 'data-node-id', 'b').attributes.has('data-failed')).toBe(false);
    expect(textOf(childrenNamed(only(invalid.root, 'data-node-id', 'b'), 'text')[0]!)).toBe('b');
  });

  it('escapes every piece of text, so markup in names and messages stays text', async () => {
    const nasty = `<b>&amp;"quoted" 'single'\u0001`;
    const model: RenderModel = {
      graph: `g${nasty}`,
      description: `d${nasty}`,
      phases: [0],
      nodes: [
        { id: `a${nasty}`, type: `T${nasty}`, phase: 0, enabled: true, inputs: [], outputs: [{ index: 0, name: `o${nasty}` }], problem: `p${nasty}` },
        { id: 'b', type: 'Trash', phase: 0, enabled: true, inputs: [{ index: 0, name: `i${nasty}` }], outputs: [] },
      ],
      edges: [{ id: `e${nasty}`, from: { node: `a${nasty}`, port: 0 }, to: { node: 'b', port: 0 }, metadata: `M${nasty}`, kind: 'direct', records: 5 }],
    };
    const { svg, root } = await render(model);
    expect(svg).not.toContain('<b>');
    const clean = nasty.replace('\u0001', '\uFFFD');
    const component = only(root, 'data-node-id', `a${clean}`);
    expect(component.attributes.get('data-node-type')).toBe(`T${clean}`);
    expect(childrenNamed(component, 'text').map(textOf)).toEqual(expect.arrayContaining([`⚠ a${clean}`, `T${clean}`, `o${clean}`]));
    expect(childrenNamed(only(root, 'data-node-id', 'b'), 'text').map(textOf)).toContain(`i${clean}`);
    const edge = only(root, 'data-edge-id', `e${clean}`);
    expect(textOf(childrenNamed(edge, 'text')[0]!)).toBe(`M${clean} · 5`);
    expect(root.attributes.get('data-graph-id')).toBe(`g${clean}`);
    expect(textOf(childrenNamed(root, 'desc')[0]!)).toBe(`d${clean}`);
  });

  it('lays several phases out as ordered bands that do not overlap, each holding its own components', async () => {
    // Phases with gaps, a phase with no edge from any other, a long phase edge (0 → 7) and a
    // node whose phase (3) is missing from `phases`.
    const model: RenderModel = {
      graph: 'phased',
      phases: [0, 2, 5, 7],
      nodes: [
        node('a', 0, 0, 2), node('b', 0, 1, 1), node('c', 2, 1, 1), node('d', 2, 0, 0), node('x', 3, 1, 0),
        node('e', 5, 0, 1), node('f', 5, 1, 0), node('g', 7, 1, 0),
      ],
      edges: [
        { id: 'a-b', from: { node: 'a', port: 0 }, to: { node: 'b', port: 0 }, kind: 'direct', metadata: 'R' },
        { id: 'b-c', from: { node: 'b', port: 0 }, to: { node: 'c', port: 0 }, kind: 'phase', metadata: 'R', records: 10 },
        { id: 'c-x', from: { node: 'c', port: 0 }, to: { node: 'x', port: 0 }, kind: 'phase' },
        { id: 'e-f', from: { node: 'e', port: 0 }, to: { node: 'f', port: 0 }, kind: 'buffered', metadata: 'S' },
        { id: 'a-g', from: { node: 'a', port: 1 }, to: { node: 'g', port: 0 }, kind: 'phase', metadata: 'R' },
      ],
    };
    const { root } = await render(model);
    const bands = elementsWith(root, 'data-phase-band').map((group) => ({
      phase: Number(group.attributes.get('data-phase-band')),
      label: textOf(childrenNamed(group, 'text')[0]!),
      rect: rectOf(childrenNamed(group, 'rect')[0]!),
    }));
    expect(bands.map((band) => band.phase)).toEqual([0, 2, 3, 5, 7]);
    expect(bands.map((band) => band.label)).toEqual(['Phase 0', 'Phase 2', 'Phase 3', 'Phase 5', 'Phase 7']);
    for (let i = 0; i < bands.length; i++) {
      for (let j = i + 1; j < bands.length; j++) {
        expect(intersects(bands[i]!.rect, bands[j]!.rect), `bands of phases ${bands[i]!.phase} and ${bands[j]!.phase} overlap`).toBe(false);
      }
      if (i > 0) expect(bands[i]!.rect.x).toBeGreaterThan(bands[i - 1]!.rect.x + bands[i - 1]!.rect.width);
    }
    for (const component of model.nodes) {
      const box = nodeBox(only(root, 'data-node-id', component.id));
      const band = bands.find((candidate) => candidate.phase === component.phase)!;
      expect(contains(band.rect, box), `${component.id} lies inside the band of phase ${component.phase}`).toBe(true);
    }
  });

  it('keeps ports in index order and attaches each edge to its ports', async () => {
    const model: RenderModel = {
      graph: 'ports',
      phases: [0],
      nodes: [
        // Ports listed out of order; the edge to port 3 names a port the node does not list.
        { id: 'split', type: 'Partition', phase: 0, enabled: true, inputs: [{ index: 0, name: 'in' }], outputs: [{ index: 2, name: 'c' }, { index: 0, name: 'a' }, { index: 1, name: 'b' }] },
        node('t0', 0, 1, 0), node('t1', 0, 1, 0), node('t2', 0, 1, 0), node('t3', 0, 1, 0),
      ],
      edges: [0, 1, 2, 3].map((port) => ({ id: `e${port}`, from: { node: 'split', port }, to: { node: `t${port}`, port: 0 }, kind: 'direct' as const })),
    };
    const { root } = await render(model);
    const split = only(root, 'data-node-id', 'split');
    const origin = nodeBox(split);
    const outputs = childrenNamed(split, 'rect').filter((rect) => rect.attributes.get('data-port')?.startsWith('out:'));
    expect(outputs.map((rect) => rect.attributes.get('data-port'))).toEqual(['out:0', 'out:1', 'out:2', 'out:3']);
    const tops = outputs.map((rect) => rectOf(rect).y);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    expect(childrenNamed(split, 'text').map(textOf)).toEqual(expect.arrayContaining(['a', 'b', 'c', '3']));

    for (const [index, rect] of outputs.entries()) {
      const port = rectOf(rect);
      const start = pathPoints(only(root, 'data-edge-id', `e${index}`))[0]!;
      expect(start.y).toBeCloseTo(origin.y + port.y + port.height / 2, 0);
      expect(start.x).toBeGreaterThanOrEqual(origin.x + port.x - 0.5);
      expect(start.x).toBeLessThanOrEqual(origin.x + port.x + port.width + 0.5);

      const target = only(root, 'data-node-id', `t${index}`);
      const targetPort = rectOf(childrenNamed(target, 'rect').find((candidate) => candidate.attributes.get('data-port') === 'in:0')!);
      const end = pathPoints(only(root, 'data-edge-id', `e${index}`)).at(-1)!;
      expect(end.y).toBeCloseTo(nodeBox(target).y + targetPort.y + targetPort.height / 2, 0);
    }
  });

  it('still draws invalid graphs: an edge back into an earlier phase, a cycle, an empty graph', async () => {
    const { root } = await render({
      graph: 'invalid',
      phases: [0, 1],
      nodes: [node('a', 0, 1, 1), node('b', 0, 1, 1), node('c', 1, 0, 1, { problem: 'edge from a later phase into an earlier one' })],
      edges: [
        { id: 'a-b', from: { node: 'a', port: 0 }, to: { node: 'b', port: 0 }, kind: 'direct' },
        { id: 'b-a', from: { node: 'b', port: 0 }, to: { node: 'a', port: 0 }, kind: 'direct' },
        { id: 'c-b', from: { node: 'c', port: 0 }, to: { node: 'b', port: 0 }, kind: 'phase' },
      ],
    });
    expect(elementsWith(root, 'data-edge-id').map((group) => pathPoints(group).length >= 2)).toEqual([true, true, true]);

    const empty = await render({ graph: 'empty', phases: [], nodes: [], edges: [] });
    expect(empty.root.name).toBe('svg');
    expect(elementsWith(empty.root, 'data-node-id')).toEqual([]);
  });

  it('rejects a model it cannot draw with a coded error', async () => {
    const unknown = renderSvg({ graph: 'g', phases: [0], nodes: [node('a', 0, 0, 1)], edges: [{ id: 'e', from: { node: 'a', port: 0 }, to: { node: 'ghost', port: 0 }, kind: 'direct' }] });
    await expect(unknown).rejects.toSatisfy((error) => isTrefoilError(error) && error.code === 'TREFOIL_ERR_RENDER_UNKNOWN_NODE' && error.message.includes('"ghost"'));
    const duplicate = renderSvg({ graph: 'g', phases: [0], nodes: [node('a', 0, 0, 1), node('a', 0, 1, 0)], edges: [] });
    await expect(duplicate).rejects.toSatisfy((error) => isTrefoilError(error) && error.code === 'TREFOIL_ERR_RENDER_DUPLICATE_ID');
  });
});
