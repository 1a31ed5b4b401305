/**
 * renderMermaid: a graph as a Mermaid flowchart, for Markdown that GitHub, GitLab and most wikis
 * draw inline. Left to right, one subgraph per phase ("Phase N"), components as boxes showing
 * id, type and status, edges labelled like the SVG ("Order · 1,234").
 *
 * Mermaid has no ports, so port names are not shown. Edge kinds: direct `-->`, buffered `-.->`
 * (dotted), phase `==>` (thick). Disabled components are greyed and dashed and say "disabled";
 * failed ones have a thick red border, a `✖`/`⚠` marker and their (shortened) message.
 */
import { edgeLabel, failureMarker, isFailedNode, phaseLabel, statusLine } from './label-text.ts';
import { truncateText } from './measure-text.ts';
import type { RenderEdgeKind, RenderModel } from './render-model.ts';
import { PALETTE } from './render-palette.ts';
import { resolveRenderModel, type ResolvedNode } from './resolve-render-model.ts';

const ARROW: Readonly<Record<RenderEdgeKind, string>> = { direct: '-->', buffered: '-.->', phase: '==>' };
/** Longest problem text shown in a box, measured as 11px text. */
const MAX_PROBLEM_WIDTH = 300;

/**
 * Renders a graph as Mermaid `flowchart LR` source. Mermaid ids are synthetic (`n0`, `n1`… for
 * nodes in model order, `phase0`… for phases), so no component id can clash with Mermaid's
 * keywords; all text sits in quoted labels with Mermaid's entity codes escaping `"`, `<`, `>`,
 * `&`, `#`, `|` and backticks.
 *
 * NOTE: consecutive phases are joined by an invisible link (`phase0 ~~~ phase1`) so they stay in
 * order left to right even when no edge connects them.
 *
 * @throws TrefoilError `TREFOIL_ERR_RENDER_DUPLICATE_ID`, `TREFOIL_ERR_RENDER_UNKNOWN_NODE` for an
 *   inconsistent model.
 */
export function renderMermaid(model: RenderModel): string {
  const resolved = resolveRenderModel(model);
  const out: string[] = ['flowchart LR'];
  const title = model.description !== undefined && model.description !== '' ? `${model.graph}: ${model.description}` : model.graph;
  // Comments run to the end of the line; a newline in the title must not end one early.
  out.push(`  %% ${title.replace(/[\r\n]+/g, ' ')}`);

  resolved.phases.forEach((band, ordinal) => {
    out.push(`  subgraph phase${ordinal}["${escapeMermaid(phaseLabel(band.phase))}"]`, '    direction LR');
    for (const member of band.nodes) out.push(`    n${member.ordinal}["${nodeLabel(member)}"]`);
    out.push('  end');
  });
  for (let ordinal = 1; ordinal < resolved.phases.length; ordinal++) out.push(`  phase${ordinal - 1} ~~~ phase${ordinal}`);

  for (const edge of model.edges) {
    const from = resolved.nodeById.get(edge.from.node)!.ordinal;
    const to = resolved.nodeById.get(edge.to.node)!.ordinal;
    const label = edgeLabel(edge);
    out.push(`  n${from} ${ARROW[edge.kind]}${label === '' ? '' : `|"${escapeMermaid(label)}"|`} n${to}`);
  }

  const disabled = resolved.nodes.filter((member) => !member.node.enabled);
  const failed = resolved.nodes.filter((member) => isFailedNode(member.node));
  out.push(
    `  classDef disabled fill:${PALETTE.disabledFill},stroke:${PALETTE.disabledStroke},stroke-dasharray:5 3,color:${PALETTE.disabledText}`,
    `  classDef failed stroke:${PALETTE.failed},stroke-width:3px`,
  );
  if (disabled.length > 0) out.push(`  class ${disabled.map((member) => `n${member.ordinal}`).join(',')} disabled`);
  if (failed.length > 0) out.push(`  class ${failed.map((member) => `n${member.ordinal}`).join(',')} failed`);
  return `${out.join('\n')}\n`;
}

/** `<b>marker id</b><br/>type<br/>status<br/>problem`, with every piece of text escaped. */
function nodeLabel(resolved: ResolvedNode): string {
  const node = resolved.node;
  const marker = failureMarker(node);
  const lines = [`<b>${escapeMermaid(marker === '' ? node.id : `${marker} ${node.id}`)}</b>`, escapeMermaid(node.type)];
  const status = statusLine(node);
  if (status !== '') lines.push(escapeMermaid(status));
  if (node.problem !== undefined && node.problem !== '') lines.push(escapeMermaid(truncateText(`${marker} ${node.problem}`, 11, MAX_PROBLEM_WIDTH)));
  return lines.join('<br/>');
}

const MERMAID_ENTITY: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '|': '#124;',
  '`': '#96;',
};

/**
 * Escapes text for a quoted Mermaid label. `#` goes first (in the same pass) so user text such as
 * `#quot;` is shown literally; newlines become spaces.
 */
function escapeMermaid(text: string): string {
  return text.replace(/[#"<>&|`]/g, (char) => MERMAID_ENTITY[char]!).replace(/[\r\n]+/g, ' ');
}
