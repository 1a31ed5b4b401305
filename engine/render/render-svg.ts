/**
 * renderSvg: a graph as a self-contained SVG picture, the way CloverDX Designer shows it —
 * phase bands left to right, component boxes with their ports, edges labelled with their
 * metadata and, after a run, their record counts.
 *
 * The SVG has no external references (no fonts, stylesheets or images; presentation attributes
 * only), so it displays the same in a browser, an `<img>`, a README and a file viewer. Groups
 * carry data attributes so a web UI can update it live and tests can find things:
 *
 * | element                      | attributes                                                         |
 * |------------------------------|--------------------------------------------------------------------|
 * | `<svg>`                      | `data-graph-id`, `role="img"`, `aria-label`                        |
 * | phase band `<g>`             | `data-phase-band` (phase number)                                   |
 * | edge `<g>`                   | `data-edge-id`, `data-edge-kind`, `data-from`, `data-to` (`node:port`), `data-records` |
 * | record count `<tspan>`       | `data-role="records"` inside the edge's label                      |
 * | component `<g>`              | `data-node-id`, `data-node-type`, `data-phase`, `data-enabled`, `data-status`, `data-failed` |
 * | component status `<text>`    | `data-role="status"`                                               |
 *
 * Meaning never rests on colour alone: disabled components are also dashed and say "disabled",
 * failed ones carry a `✖` (run failure) or `⚠` (problem) marker and their message, edge kinds
 * differ in dash pattern and are named in the legend and in each edge's tooltip.
 */
import { escapeXml } from './escape-xml.ts';
import { layoutGraph, BAND_LABEL_HEIGHT, EDGE_LABEL_FONT, type GraphLayout, type PlacedEdge, type PlacedNode, type Point } from './graph-layout.ts';
import { edgeTooltip, FAILED_MARKER, formatRecordCount, isFailedNode, nodeTooltip, phaseLabel, PROBLEM_MARKER } from './label-text.ts';
import { measureText } from './measure-text.ts';
import { CARD_FONT, PORT_SIZE } from './node-card.ts';
import type { RenderEdgeKind, RenderModel } from './render-model.ts';
import { PALETTE, STATUS_COLOR } from './render-palette.ts';
import { resolveRenderModel } from './resolve-render-model.ts';

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Dash pattern of each edge kind ('' = solid). */
const EDGE_DASH: Readonly<Record<RenderEdgeKind, string>> = { direct: '', buffered: '7 4', phase: '2 3' };
const EDGE_KIND_NAME: Readonly<Record<RenderEdgeKind, string>> = { direct: 'direct edge', buffered: 'buffered edge', phase: 'phase edge' };
const EDGE_KINDS: readonly RenderEdgeKind[] = ['direct', 'buffered', 'phase'];

const ARROW_LENGTH = 8;
const ARROW_HALF_WIDTH = 4;
const LEGEND_HEIGHT = 26;
const LEGEND_FONT = 11;

/**
 * Renders a graph as a standalone SVG document (UTF-8 text, no XML declaration, so it can also
 * be inlined into HTML). Every piece of model text is escaped.
 *
 * @throws TrefoilError `TREFOIL_ERR_RENDER_DUPLICATE_ID`, `TREFOIL_ERR_RENDER_UNKNOWN_NODE` for an
 *   inconsistent model, `TREFOIL_ERR_RENDER_LAYOUT` when the layout fails.
 * @example
 * ```ts
 * await writeFile('graph.svg', await renderSvg(model));
 * ```
 */
export async function renderSvg(model: RenderModel): Promise<string> {
  const layout = await layoutGraph(resolveRenderModel(model));
  const legend = legendItems(model);
  const width = Math.ceil(Math.max(layout.width, legendWidth(legend) + 16));
  const height = Math.ceil(layout.height + (legend.length > 0 ? LEGEND_HEIGHT : 0));
  const name = model.description !== undefined && model.description !== '' ? `Graph ${model.graph}: ${model.description}` : `Graph ${model.graph}`;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(name)}" data-graph-id="${escapeXml(model.graph)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="12">`,
    `<title>${escapeXml(name)}</title>`,
  ];
  if (model.description !== undefined && model.description !== '') out.push(`<desc>${escapeXml(model.description)}</desc>`);
  out.push(`<rect width="${width}" height="${height}" fill="${PALETTE.background}"/>`);
  drawBands(out, layout);
  out.push('<g data-role="edges">');
  for (const placed of layout.edges) drawEdge(out, placed);
  out.push('</g>', '<g data-role="nodes">');
  for (const placed of layout.nodes) drawNode(out, placed);
  out.push('</g>');
  drawLegend(out, legend, layout.height);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function drawBands(out: string[], layout: GraphLayout): void {
  out.push('<g data-role="phases">');
  layout.bands.forEach((band, ordinal) => {
    out.push(
      `<g data-phase-band="${band.phase}">`,
      `<rect x="${num(band.x)}" y="${num(band.y)}" width="${num(band.width)}" height="${num(band.height)}" rx="6" fill="${PALETTE.bandFill[ordinal % 2]}" stroke="${PALETTE.bandStroke}"/>`,
      `<text x="${num(band.x + 10)}" y="${num(band.y + BAND_LABEL_HEIGHT / 2 + 5)}" font-size="12" font-weight="600" fill="${PALETTE.bandLabel}">${escapeXml(phaseLabel(band.phase))}</text>`,
      '</g>',
    );
  });
  out.push('</g>');
}

function drawEdge(out: string[], placed: PlacedEdge): void {
  const { edge, points, label } = placed;
  const dash = EDGE_DASH[edge.kind];
  const records = edge.records === undefined ? '' : ` data-records="${edge.records}"`;
  out.push(
    `<g data-edge-id="${escapeXml(edge.id)}" data-edge-kind="${edge.kind}" data-from="${escapeXml(`${edge.from.node}:${edge.from.port}`)}" data-to="${escapeXml(`${edge.to.node}:${edge.to.port}`)}"${records}>`,
    `<title>${escapeXml(edgeTooltip(edge))}</title>`,
  );
  if (points.length >= 2) {
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${num(point.x)} ${num(point.y)}`).join(' ');
    out.push(
      `<path d="${path}" fill="none" stroke="${PALETTE.edge}" stroke-width="${edge.kind === 'phase' ? 1.8 : 1.4}"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} stroke-linejoin="round"/>`,
      `<polygon points="${arrowHead(points[points.length - 2]!, points[points.length - 1]!)}" fill="${PALETTE.edge}"/>`,
    );
  }
  if (label !== null) {
    const centerX = label.x + label.width / 2;
    const baseline = label.y + label.height / 2 + EDGE_LABEL_FONT * 0.35;
    const text = edge.records === undefined
      ? escapeXml(label.text)
      : escapeXml(label.text.slice(0, label.text.length - formatRecordCount(edge.records).length)) + `<tspan data-role="records" font-weight="600">${formatRecordCount(edge.records)}</tspan>`;
    out.push(
      `<rect x="${num(label.x)}" y="${num(label.y)}" width="${num(label.width)}" height="${num(label.height)}" rx="3" fill="${PALETTE.labelFill}" fill-opacity="0.92" stroke="${PALETTE.labelStroke}"/>`,
      `<text x="${num(centerX)}" y="${num(baseline)}" text-anchor="middle" font-size="${EDGE_LABEL_FONT}" fill="${PALETTE.text}">${text}</text>`,
    );
  }
  out.push('</g>');
}

/** A triangle whose tip is `tip`, pointing along the segment from `from`. */
function arrowHead(from: Point, tip: Point): string {
  const dx = tip.x - from.x;
  const dy = tip.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const baseX = tip.x - ux * ARROW_LENGTH;
  const baseY = tip.y - uy * ARROW_LENGTH;
  return [
    `${num(tip.x)},${num(tip.y)}`,
    `${num(baseX - uy * ARROW_HALF_WIDTH)},${num(baseY + ux * ARROW_HALF_WIDTH)}`,
    `${num(baseX + uy * ARROW_HALF_WIDTH)},${num(baseY - ux * ARROW_HALF_WIDTH)}`,
  ].join(' ');
}

function drawNode(out: string[], placed: PlacedNode): void {
  const { card, x, y, width, height } = placed;
  const node = card.resolved.node;
  const failed = isFailedNode(node);
  const disabled = !node.enabled;
  const fill = disabled ? PALETTE.disabledFill : PALETTE.nodeFill;
  const stroke = failed ? PALETTE.failed : disabled ? PALETTE.disabledStroke : PALETTE.nodeStroke;
  const text = disabled ? PALETTE.disabledText : PALETTE.text;
  const muted = disabled ? PALETTE.disabledText : PALETTE.mutedText;
  const portFill = disabled ? PALETTE.disabledStroke : PALETTE.nodeStroke;

  const attributes = [
    `data-node-id="${escapeXml(node.id)}"`,
    `data-node-type="${escapeXml(node.type)}"`,
    `data-phase="${node.phase}"`,
    `data-enabled="${node.enabled}"`,
  ];
  if (node.status !== undefined) attributes.push(`data-status="${node.status}"`);
  if (failed) attributes.push('data-failed="true"');
  out.push(
    `<g ${attributes.join(' ')} transform="translate(${num(x)} ${num(y)})">`,
    `<title>${escapeXml(nodeTooltip(node))}</title>`,
    `<rect width="${width}" height="${height}" rx="4" fill="${fill}" stroke="${stroke}" stroke-width="${failed ? 2.5 : 1.2}"${disabled ? ' stroke-dasharray="5 3"' : ''}/>`,
  );

  const titleX = card.paddingX;
  const marker = card.marker === '' ? '' : `<tspan data-role="marker" fill="${PALETTE.failed}">${escapeXml(card.marker)}</tspan> `;
  out.push(
    `<text x="${titleX}" y="${card.title.y}" font-size="${CARD_FONT.title}" font-weight="600" fill="${text}">${marker}${escapeXml(card.title.text)}</text>`,
    `<text x="${titleX}" y="${card.type.y}" font-size="${CARD_FONT.type}" fill="${muted}">${escapeXml(card.type.text)}</text>`,
  );
  if (card.dividerY !== null) {
    out.push(`<line x1="0" y1="${card.dividerY}" x2="${width}" y2="${card.dividerY}" stroke="${disabled ? PALETTE.disabledStroke : PALETTE.bandStroke}"/>`);
  }
  for (const spot of card.inputs) {
    out.push(
      `<rect data-port="in:${spot.port.index}" x="${-PORT_SIZE}" y="${spot.y - PORT_SIZE / 2}" width="${PORT_SIZE}" height="${PORT_SIZE}" fill="${portFill}"/>`,
      `<text x="${card.paddingX}" y="${spot.y + card.portNameBaselineOffset}" font-size="${CARD_FONT.port}" fill="${text}">${escapeXml(spot.port.name)}</text>`,
    );
  }
  for (const spot of card.outputs) {
    out.push(
      `<rect data-port="out:${spot.port.index}" x="${width}" y="${spot.y - PORT_SIZE / 2}" width="${PORT_SIZE}" height="${PORT_SIZE}" fill="${portFill}"/>`,
      `<text x="${width - card.paddingX}" y="${spot.y + card.portNameBaselineOffset}" text-anchor="end" font-size="${CARD_FONT.port}" fill="${text}">${escapeXml(spot.port.name)}</text>`,
    );
  }
  if (card.status !== null) {
    const color = node.status === undefined || disabled ? muted : STATUS_COLOR[node.status];
    out.push(`<text data-role="status" x="${titleX}" y="${card.status.y}" font-size="${CARD_FONT.status}" font-weight="600" fill="${color}">${escapeXml(card.status.text)}</text>`);
  }
  if (card.problem !== null) {
    out.push(`<text data-role="problem" x="${titleX}" y="${card.problem.y}" font-size="${CARD_FONT.status}" fill="${PALETTE.failed}">${escapeXml(card.problem.text)}</text>`);
  }
  out.push('</g>');
}

type LegendItem =
  | { kind: 'edge'; edgeKind: RenderEdgeKind; text: string }
  | { kind: 'disabled'; text: string }
  | { kind: 'marker'; text: string };

/** The legend lists only what the picture contains. */
function legendItems(model: RenderModel): LegendItem[] {
  const items: LegendItem[] = [];
  for (const edgeKind of EDGE_KINDS) {
    if (model.edges.some((edge) => edge.kind === edgeKind)) items.push({ kind: 'edge', edgeKind, text: EDGE_KIND_NAME[edgeKind] });
  }
  if (model.nodes.some((node) => !node.enabled)) items.push({ kind: 'disabled', text: 'disabled component' });
  if (model.nodes.some((node) => node.status === 'ERROR')) items.push({ kind: 'marker', text: `${FAILED_MARKER} failed` });
  if (model.nodes.some((node) => node.status !== 'ERROR' && isFailedNode(node))) items.push({ kind: 'marker', text: `${PROBLEM_MARKER} problem` });
  return items;
}

const LEGEND_SAMPLE_WIDTH = 26;
const LEGEND_ITEM_GAP = 18;

function legendItemWidth(item: LegendItem): number {
  return (item.kind === 'marker' ? 0 : LEGEND_SAMPLE_WIDTH + 6) + measureText(item.text, LEGEND_FONT);
}

function legendWidth(items: readonly LegendItem[]): number {
  return items.reduce((sum, item) => sum + legendItemWidth(item) + LEGEND_ITEM_GAP, 0);
}

function drawLegend(out: string[], items: readonly LegendItem[], top: number): void {
  if (items.length === 0) return;
  const middle = top + LEGEND_HEIGHT / 2 - 4;
  let x = 16;
  out.push(`<g data-role="legend" font-size="${LEGEND_FONT}" fill="${PALETTE.mutedText}">`);
  for (const item of items) {
    if (item.kind === 'edge') {
      const dash = EDGE_DASH[item.edgeKind];
      out.push(`<line x1="${num(x)}" y1="${num(middle)}" x2="${num(x + LEGEND_SAMPLE_WIDTH)}" y2="${num(middle)}" stroke="${PALETTE.edge}" stroke-width="${item.edgeKind === 'phase' ? 1.8 : 1.4}"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`);
    } else if (item.kind === 'disabled') {
      out.push(`<rect x="${num(x)}" y="${num(middle - 6)}" width="${LEGEND_SAMPLE_WIDTH}" height="12" rx="2" fill="${PALETTE.disabledFill}" stroke="${PALETTE.disabledStroke}" stroke-dasharray="5 3"/>`);
    }
    const textX = item.kind === 'marker' ? x : x + LEGEND_SAMPLE_WIDTH + 6;
    out.push(`<text x="${num(textX)}" y="${num(middle + 4)}"${item.kind === 'marker' ? ` fill="${PALETTE.failed}"` : ''}>${escapeXml(item.text)}</text>`);
    x += legendItemWidth(item) + LEGEND_ITEM_GAP;
  }
  out.push('</g>');
}

/** A coordinate with at most one decimal, so documents stay small and diff well. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
