/**
 * renderDot: a graph as Graphviz DOT, for people who keep their pictures in Graphviz
 * (`trefoil render GRAPH --format dot | dot -Tpng`). Left to right, one cluster per phase
 * ("Phase N"), components as HTML-like tables whose cells are the ports (edges attach to them),
 * edges labelled like the SVG ("Order · 1,234").
 *
 * Edge kinds: direct solid, buffered dashed, phase dotted. Disabled components are dashed and
 * greyed and say "disabled"; failed ones have a thick red border, a `✖`/`⚠` marker and their
 * message (in full in the tooltip).
 */
import { escapeXml } from './escape-xml.ts';
import { edgeLabel, edgeTooltip, isFailedNode, nodeTooltip, phaseLabel } from './label-text.ts';
import { buildNodeCard, CARD_FONT } from './node-card.ts';
import type { RenderEdgeKind, RenderModel } from './render-model.ts';
import { PALETTE, STATUS_COLOR } from './render-palette.ts';
import { resolveRenderModel, type ResolvedNode, type ResolvedPhase, type ResolvedRenderModel } from './resolve-render-model.ts';

const FONT = 'Helvetica,Arial,sans-serif';
const EDGE_STYLE: Readonly<Record<RenderEdgeKind, string>> = { direct: 'solid', buffered: 'dashed', phase: 'dotted' };

/**
 * Renders a graph as a DOT `digraph`. Node names in the DOT source are the component ids; ports
 * are `i<N>` / `o<N>`. Every piece of model text is escaped (DOT strings and HTML labels).
 *
 * NOTE: phases keep their left-to-right order through an invisible point between consecutive
 * clusters, linked from the sinks of the earlier phase and to the sources of the later one, so an
 * unconnected phase cannot slide beside another. Linking every node instead (or every pair) also
 * orders them, but the long invisible edges push the picture apart.
 *
 * @throws TrefoilError `TREFOIL_ERR_RENDER_DUPLICATE_ID`, `TREFOIL_ERR_RENDER_UNKNOWN_NODE` for an
 *   inconsistent model.
 */
export function renderDot(model: RenderModel): string {
  const resolved = resolveRenderModel(model);
  const title = model.description !== undefined && model.description !== '' ? `${model.graph}: ${model.description}` : model.graph;
  const out: string[] = [
    `digraph ${quote(model.graph)} {`,
    `  graph [rankdir=LR, newrank=true, fontname=${quote(FONT)}, fontsize=12, labelloc=t, labeljust=l, label=${quote(title)}, nodesep=0.35, ranksep=0.6, bgcolor=${quote(PALETTE.background)}];`,
    `  node [shape=plain, fontname=${quote(FONT)}, fontsize=${CARD_FONT.port}];`,
    `  edge [fontname=${quote(FONT)}, fontsize=10, color=${quote(PALETTE.edge)}, fontcolor=${quote(PALETTE.text)}, arrowsize=0.7];`,
  ];
  resolved.phases.forEach((band, ordinal) => {
    out.push(
      `  subgraph ${quote(`cluster_phase_${band.phase}`)} {`,
      `    label=${quote(phaseLabel(band.phase))}; style="rounded,filled"; fillcolor=${quote(PALETTE.bandFill[ordinal % 2]!)}; color=${quote(PALETTE.bandStroke)}; fontcolor=${quote(PALETTE.bandLabel)};`,
    );
    for (const member of band.nodes) out.push(`    ${quote(member.node.id)} [label=<${nodeTable(member)}>, tooltip=${quote(doubleBackslashes(nodeTooltip(member.node)))}];`);
    out.push('  }');
  });
  orderPhases(out, resolved);
  for (const edge of model.edges) {
    const label = edgeLabel(edge);
    const attributes = [`style=${EDGE_STYLE[edge.kind]}`, `tooltip=${quote(edgeTooltip(edge))}`];
    if (label !== '') attributes.unshift(`label=${quote(label)}`);
    if (edge.kind === 'phase') attributes.push('penwidth=1.6');
    out.push(`  ${quote(edge.from.node)}:${quote(`o${edge.from.port}`)}:e -> ${quote(edge.to.node)}:${quote(`i${edge.to.port}`)}:w [${attributes.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** An HTML-like table: header rows (marker + id, type), one row per port index, status and problem rows. */
function nodeTable(resolved: ResolvedNode): string {
  const card = buildNodeCard(resolved);
  const node = resolved.node;
  const failed = isFailedNode(node);
  const disabled = !node.enabled;
  const text = disabled ? PALETTE.disabledText : PALETTE.text;
  const muted = disabled ? PALETTE.disabledText : PALETTE.mutedText;
  const style = disabled ? 'rounded,dashed' : 'rounded';
  const border = failed ? PALETTE.failed : disabled ? PALETTE.disabledStroke : PALETTE.nodeStroke;
  const marker = card.marker === '' ? '' : `<font color="${PALETTE.failed}">${htmlText(card.marker)}</font> `;

  const rows = [
    `<tr><td colspan="2" align="left"><font color="${text}" point-size="${CARD_FONT.title}">${marker}<b>${htmlText(node.id)}</b></font></td></tr>`,
    `<tr><td colspan="2" align="left"><font color="${muted}">${htmlText(node.type)}</font></td></tr>`,
  ];
  const portRows = Math.max(card.inputs.length, card.outputs.length);
  for (let row = 0; row < portRows; row++) {
    const input = card.inputs[row]?.port;
    const output = card.outputs[row]?.port;
    const inputCell = input === undefined ? '<td></td>' : `<td port="i${input.index}" align="left"><font color="${text}">${htmlText(input.name)}</font></td>`;
    const outputCell = output === undefined ? '<td></td>' : `<td port="o${output.index}" align="right"><font color="${text}">${htmlText(output.name)}</font></td>`;
    rows.push(`<tr>${inputCell}${outputCell}</tr>`);
  }
  if (card.status !== null) {
    const color = node.status === undefined || disabled ? muted : STATUS_COLOR[node.status];
    rows.push(`<tr><td colspan="2" align="left"><font color="${color}"><b>${htmlText(card.status.text)}</b></font></td></tr>`);
  }
  if (card.problem !== null) {
    rows.push(`<tr><td colspan="2" align="left"><font color="${PALETTE.failed}">${htmlText(card.problem.text)}</font></td></tr>`);
  }
  return `<table border="${failed ? 3 : 1}" cellborder="0" cellspacing="0" cellpadding="3" style="${style}" color="${border}" bgcolor="${disabled ? PALETTE.disabledFill : PALETTE.nodeFill}">${rows.join('')}</table>`;
}

function orderPhases(out: string[], resolved: ResolvedRenderModel): void {
  const hasSuccessorInPhase = new Set<string>();
  const hasPredecessorInPhase = new Set<string>();
  for (const edge of resolved.model.edges) {
    if (resolved.nodeById.get(edge.from.node)!.node.phase !== resolved.nodeById.get(edge.to.node)!.node.phase) continue;
    hasSuccessorInPhase.add(edge.from.node);
    hasPredecessorInPhase.add(edge.to.node);
  }
  for (let index = 1; index < resolved.phases.length; index++) {
    const before = resolved.phases[index - 1]!;
    const after = resolved.phases[index]!;
    // A name with spaces, so it cannot clash with a component id.
    const anchor = quote(`phase ${before.phase} to ${after.phase}`);
    out.push(`  ${anchor} [shape=point, style=invis, width=0, height=0, label=""];`);
    for (const member of endsOfPhase(before, hasSuccessorInPhase)) out.push(`  ${quote(member.node.id)} -> ${anchor} [style=invis];`);
    for (const member of endsOfPhase(after, hasPredecessorInPhase)) out.push(`  ${anchor} -> ${quote(member.node.id)} [style=invis];`);
  }
}

/**
 * The nodes of a phase not in `linked` (its sinks or its sources within the phase); every node of
 * the phase reaches a sink (and is reached from a source) along its edges, so linking these to the
 * anchor orders the whole phase. A phase whose edges form a cycle falls back to all its nodes.
 */
function endsOfPhase(band: ResolvedPhase, linked: ReadonlySet<string>): readonly ResolvedNode[] {
  const ends = band.nodes.filter((member) => !linked.has(member.node.id));
  return ends.length > 0 ? ends : band.nodes;
}

/**
 * Text inside an HTML-like label: XML-escaped, and backslashes doubled because Graphviz expands
 * `\N`, `\G`… there too (a Windows path such as `C:\Nightly` would show the node name).
 */
function htmlText(text: string): string {
  return doubleBackslashes(escapeXml(text));
}

/**
 * NOTE: Graphviz (2.43 measured) unescapes backslashes in HTML label text and node tooltips once
 * more than in other strings, expanding `\N` after the first pass; doubling them first keeps
 * the text literal.
 */
function doubleBackslashes(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

/**
 * A DOT double-quoted string (an ID or an escString): quotes and backslashes escaped, newlines
 * as `\n`, and `&` as `&amp;` because Graphviz decodes HTML entities in every string (`&amp;`
 * in a message would otherwise show as `&`).
 */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/&/g, '&amp;').replace(/\r?\n/g, '\\n')}"`;
}
