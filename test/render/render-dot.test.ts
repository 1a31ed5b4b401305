import { describe, expect, it } from 'vitest';
import type { RenderModel } from '../../engine/render/render-model.ts';
import { renderDot } from '../../engine/render/render-dot.ts';
import { exampleRunModel } from './example-models.ts';
import { parseXml, textOf } from './parse-xml.ts';

/** The body of each `subgraph "cluster_phase_N" { … }`, by phase. */
function clusters(dot: string): Map<number, string> {
  return new Map([...dot.matchAll(/subgraph "cluster_phase_(-?\d+)" \{\n([\s\S]*?)\n {2}\}/g)].map((match) => [Number(match[1]), match[2]!]));
}

/** A DOT double-quoted string literal for `text`, as a reader would write it. */
function dotString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** The HTML-like label of the node statement named `id`, parsed as XML. */
function nodeLabel(dot: string, id: string) {
  const start = dot.indexOf(`${dotString(id)} [label=<`);
  expect(start, `node statement for ${id}`).toBeGreaterThanOrEqual(0);
  const from = dot.indexOf('<', start + dotString(id).length) + 1;
  const to = dot.indexOf('</table>>', from) + '</table>'.length;
  return parseXml(dot.slice(from, to));
}

describe('renderDot', () => {
  it('draws every component inside its phase cluster and every edge between its ports', () => {
    const model = exampleRunModel();
    const dot = renderDot(model);
    expect(dot).toMatch(/^digraph "orders-upload" \{\n/);
    expect(dot).toContain('rankdir=LR');
    expect(dot.trimEnd().endsWith('}')).toBe(true);

    const byPhase = clusters(dot);
    expect([...byPhase.keys()]).toEqual([0, 1]);
    expect(byPhase.get(0)).toContain('label="Phase 0"');
    for (const component of model.nodes) {
      expect(byPhase.get(component.phase), `${component.id} in phase ${component.phase}`).toContain(`${dotString(component.id)} [label=<`);
      for (const [phase, body] of byPhase) if (phase !== component.phase) expect(body).not.toContain(`${dotString(component.id)} [`);
    }
    for (const edge of model.edges) {
      expect(dot).toContain(`${dotString(edge.from.node)}:"o${edge.from.port}":e -> ${dotString(edge.to.node)}:"i${edge.to.port}":w [`);
    }
    expect(dot).toContain('"read":"o0":e -> "valid":"i0":w [label="Order · 12,845", style=solid');
    expect(dot).toContain('"copy":"o0":e -> "write":"i0":w [label="CustomerTotal · 412", style=dashed');
    expect(dot).toContain('"write":"o0":e -> "upload":"i0":w [label="WrittenFile · 1", style=dotted');
  });

  it('shows id, type, port names and status in each component, with ports addressable by index', () => {
    const label = nodeLabel(renderDot(exampleRunModel()), 'valid');
    const text = textOf(label);
    for (const expected of ['valid', 'Filter', 'in', 'accepted', 'rejected', 'FINISHED_OK · 1.2 s']) expect(text).toContain(expected);
    const dot = renderDot(exampleRunModel());
    expect(dot).toMatch(/"valid" \[label=<<table[^\n]*<td port="i0"[^\n]*<td port="o0"[^\n]*<td port="o1"/);
  });

  it('draws disabled components dashed and failed ones red with a marker and their message', () => {
    const dot = renderDot(exampleRunModel());
    const debug = nodeLabel(dot, 'debug');
    expect(debug.attributes.get('style')).toBe('rounded,dashed');
    expect(textOf(debug)).toContain('disabled');
    expect(nodeLabel(dot, 'total').attributes.get('style')).toBe('rounded');

    const upload = nodeLabel(dot, 'upload');
    expect(upload.attributes.get('color')).toBe('#c62828');
    expect(upload.attributes.get('border')).toBe('3');
    expect(textOf(upload)).toContain('✖ upload');
    expect(textOf(upload)).toContain('✖ HTTP 401');
    expect(dot).toMatch(/"upload" \[label=<[^\n]*tooltip="[^"\n]*expired_access_token \(record 1\)"/);
  });

  it('keeps phases in order even when no edge joins them', () => {
    const model: RenderModel = {
      graph: 'apart',
      phases: [0, 1],
      nodes: [
        { id: 'a', type: 'DataGenerator', phase: 0, enabled: true, inputs: [], outputs: [{ index: 0, name: 'out' }] },
        { id: 'b', type: 'Trash', phase: 0, enabled: true, inputs: [{ index: 0, name: 'in' }], outputs: [] },
        { id: 'c', type: 'Fail', phase: 1, enabled: true, inputs: [], outputs: [] },
      ],
      edges: [{ id: 'a-b', from: { node: 'a', port: 0 }, to: { node: 'b', port: 0 }, kind: 'direct' }],
    };
    const dot = renderDot(model);
    // Sink of phase 0 → an invisible point → source of phase 1.
    expect(dot).toContain('"b" -> "phase 0 to 1" [style=invis];');
    expect(dot).toContain('"phase 0 to 1" -> "c" [style=invis];');
    expect(dot).not.toContain('"a" -> "phase 0 to 1"');
  });

  it('escapes ids, names and messages so Graphviz shows them literally', () => {
    // Quotes, markup, an entity, a backslash before N (Graphviz would expand \N to the node name).
    const nasty = 'x<b>&amp;"q" C:\\Nightly \'s\'';
    const model: RenderModel = {
      graph: `g${nasty}`,
      phases: [0],
      nodes: [
        { id: `a${nasty}`, type: `T${nasty}`, phase: 0, enabled: true, inputs: [], outputs: [{ index: 0, name: `o${nasty}` }], problem: `p${nasty}` },
        { id: 'b', type: 'Trash', phase: 0, enabled: true, inputs: [{ index: 0, name: 'in' }], outputs: [] },
      ],
      edges: [{ id: 'e', from: { node: `a${nasty}`, port: 0 }, to: { node: 'b', port: 0 }, metadata: `M${nasty}`, kind: 'direct' }],
    };
    const dot = renderDot(model);
    const outsideLabels = dot.replace(/label=<[\s\S]*?<\/table>>/g, 'label=<>');
    // Every quote outside HTML labels delimits a string literal or is escaped inside one.
    expect(outsideLabels.replace(/"(?:[^"\\\n]|\\.)*"/g, '').includes('"')).toBe(false);
    const strings = [...outsideLabels.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((match) => shownString(match[1]!));
    for (const expected of [`g${nasty}`, `a${nasty}`, `M${nasty}`]) expect(strings).toContain(expected);
    const tooltip = /\[label=<[\s\S]*?<\/table>>, tooltip="((?:[^"\\\n]|\\.)*)"\];/.exec(dot);
    expect(shownHtml(shownString(tooltip![1]!))).toContain(`p${nasty}`);

    const tables = [...dot.matchAll(/label=<(<table[\s\S]*?<\/table>)>/g)].map((match) => shownHtml(textOf(parseXml(match[1]!))));
    const table = tables.find((text) => text.includes(`T${nasty}`));
    expect(table).toBeDefined();
    for (const expected of [`a${nasty}`, `o${nasty}`]) expect(table).toContain(expected);
  });
});

/** What Graphviz shows for the content of a DOT string literal: escapes undone, entities decoded. */
function shownString(literal: string): string {
  return decodeEntities(literal.replace(/\\(.)/g, '$1'));
}

/**
 * What Graphviz shows for (already decoded) HTML label text and node tooltips: it unescapes them
 * once more, `\\` becoming `\` and `\N`, `\G`… expanding to names (shown here as `«name»`).
 */
function shownHtml(text: string): string {
  return text.replace(/\\([\\NGETHL])/g, (_, char: string) => (char === '\\' ? '\\' : '«name»'));
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, name: string) => named[name] ?? String.fromCodePoint(Number(name.slice(1))));
}
