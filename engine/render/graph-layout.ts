/**
 * Lays a resolved graph out with elkjs (the `layered` algorithm, left to right) and returns
 * absolute geometry: component boxes, port centres, edge routes with their label boxes, and one
 * band per phase.
 *
 * NOTE: phases are ELK partitions, not compound nodes. Partitioning forces every node of phase N
 * into layers left of every node of a later phase, so each phase occupies its own range of
 * columns and a band is simply that range, full height; edges are routed in one flat graph, so
 * cross-phase edges need no hierarchy handling. Band borders lie midway between the last column
 * of one phase and the first of the next, so bands never overlap.
 *
 * NOTE: ports use `FIXED_POS` (which implies a fixed order) rather than `FIXED_ORDER`, because
 * each port must sit exactly on its row of the card, beside its name; elkjs ignores the
 * port-surrounding spacing that `FIXED_ORDER` would need to keep ports clear of the header.
 */
import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { TrefoilError } from '../errors/trefoil-error.ts';
import { edgeLabel } from './label-text.ts';
import { measureText } from './measure-text.ts';
import { buildNodeCard, PORT_SIZE, type NodeCard } from './node-card.ts';
import type { RenderEdge } from './render-model.ts';
import type { ResolvedRenderModel } from './resolve-render-model.ts';

/** Font size (px) of edge labels. */
export const EDGE_LABEL_FONT = 11;
/** Height (px) of the strip at the top of each band that holds its "Phase N" label. */
export const BAND_LABEL_HEIGHT = 24;

const EDGE_LABEL_PADDING_X = 5;
const EDGE_LABEL_HEIGHT = 16;
const MARGIN = 8;
const BAND_PADDING_X = 16;
const BAND_PADDING_BOTTOM = 12;
/** Space left between neighbouring bands, so two bands read as two. */
const BAND_GAP = 6;
const CONTENT_TOP = MARGIN + BAND_LABEL_HEIGHT + 16;

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A component box at its place; `inputs`/`outputs` hold absolute port centres, in port order. */
export interface PlacedNode extends Rect {
  card: NodeCard;
  inputs: readonly Point[];
  outputs: readonly Point[];
}

/** An edge route (absolute polyline from the source port to the target port) and its label. */
export interface PlacedEdge {
  edge: RenderEdge;
  points: readonly Point[];
  /** The label text and its box, or null for an edge with nothing to say. */
  label: (Rect & { text: string }) | null;
}

/** One phase's band: a full-height column. */
export interface PhaseBand extends Rect {
  phase: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: readonly PlacedNode[];
  edges: readonly PlacedEdge[];
  /** Ascending by phase; left to right; pairwise disjoint. */
  bands: readonly PhaseBand[];
}

const ROOT_LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  // Disconnected parts must share one layering, or the partitions of each part would restart at the left.
  'elk.separateConnectedComponents': 'false',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Keep the graph file's order where the layout leaves a choice, so pictures match how people wrote them.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // Each node as far left as its inputs allow: a side branch (a reject writer, a disabled Trash)
  // stays beside its producer instead of being pulled to the end of its phase.
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.padding': `[top=${CONTENT_TOP},left=${MARGIN + BAND_PADDING_X + PORT_SIZE},bottom=${MARGIN + BAND_PADDING_BOTTOM},right=${MARGIN + BAND_PADDING_X + PORT_SIZE}]`,
};

// NOTE: elkjs is CommonJS whose module object is the constructor and also has it as `default`;
// under NodeNext typing only `.default` is constructable, and at run time both are the same.
// It is imported on first use: it is a large script, and most commands never draw.
async function createElk(): Promise<ELK> {
  const elkBundle = await import('elkjs/lib/elk.bundled.js');
  const ElkConstructor = elkBundle.default.default ?? elkBundle.default;
  return new (ElkConstructor as unknown as new () => ELK)();
}

/** One ELK instance for the process (the bundled build lays out in this thread; created on first use). */
let elk: ELK | undefined;

/**
 * Lays out a resolved model.
 *
 * @throws TrefoilError `TREFOIL_ERR_RENDER_LAYOUT` when elkjs fails (its error is the cause).
 */
export async function layoutGraph(resolved: ResolvedRenderModel): Promise<GraphLayout> {
  const cards = resolved.nodes.map(buildNodeCard);
  const partitionOfPhase = new Map(resolved.phases.map((band, ordinal) => [band.phase, ordinal]));
  const edges = resolved.model.edges;
  const labels = edges.map(edgeLabel);

  // NOTE: ELK ids are synthetic (n3, n3.i0, e7) so any component id is safe to lay out.
  const children: ElkNode[] = cards.map((card, ordinal) => ({
    id: `n${ordinal}`,
    width: card.width,
    height: card.height,
    layoutOptions: {
      'elk.portConstraints': 'FIXED_POS',
      'elk.partitioning.partition': String(partitionOfPhase.get(card.resolved.node.phase)),
    },
    ports: [
      ...card.inputs.map((spot): ElkPort => ({
        id: `n${ordinal}.i${spot.port.index}`,
        x: -PORT_SIZE,
        y: spot.y - PORT_SIZE / 2,
        width: PORT_SIZE,
        height: PORT_SIZE,
        layoutOptions: { 'elk.port.side': 'WEST' },
      })),
      ...card.outputs.map((spot): ElkPort => ({
        id: `n${ordinal}.o${spot.port.index}`,
        x: card.width,
        y: spot.y - PORT_SIZE / 2,
        width: PORT_SIZE,
        height: PORT_SIZE,
        layoutOptions: { 'elk.port.side': 'EAST' },
      })),
    ],
  }));
  const elkEdges: ElkExtendedEdge[] = edges.map((edge, ordinal) => {
    const from = resolved.nodeById.get(edge.from.node)!.ordinal;
    const to = resolved.nodeById.get(edge.to.node)!.ordinal;
    const text = labels[ordinal]!;
    return {
      id: `e${ordinal}`,
      sources: [`n${from}.o${edge.from.port}`],
      targets: [`n${to}.i${edge.to.port}`],
      labels: text === '' ? [] : [{ text, width: Math.ceil(measureText(text, EDGE_LABEL_FONT) + 2 * EDGE_LABEL_PADDING_X), height: EDGE_LABEL_HEIGHT }],
    };
  });

  let laidOut: ElkNode;
  try {
    elk ??= await createElk();
    laidOut = await elk.layout({ id: 'root', layoutOptions: { ...ROOT_LAYOUT_OPTIONS }, children, edges: elkEdges });
  } catch (error) {
    throw new TrefoilError('TREFOIL_ERR_RENDER_LAYOUT', `Could not lay out graph "${resolved.model.graph}": ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }

  const placedById = new Map((laidOut.children ?? []).map((child) => [child.id, child]));
  const nodes: PlacedNode[] = cards.map((card, ordinal) => {
    const placed = placedById.get(`n${ordinal}`)!;
    const x = placed.x ?? 0;
    const y = placed.y ?? 0;
    return {
      card,
      x,
      y,
      width: card.width,
      height: card.height,
      inputs: card.inputs.map((spot) => ({ x: x - PORT_SIZE / 2, y: y + spot.y })),
      outputs: card.outputs.map((spot) => ({ x: x + card.width + PORT_SIZE / 2, y: y + spot.y })),
    };
  });

  const laidOutEdges = new Map((laidOut.edges ?? []).map((edge) => [edge.id, edge as ElkExtendedEdge]));
  const placedEdges: PlacedEdge[] = edges.map((edge, ordinal) => {
    const elkEdge = laidOutEdges.get(`e${ordinal}`);
    const points: Point[] = [];
    for (const section of elkEdge?.sections ?? []) {
      points.push(section.startPoint, ...(section.bendPoints ?? []), section.endPoint);
    }
    const elkLabel = elkEdge?.labels?.[0];
    const label = elkLabel === undefined
      ? null
      : { text: labels[ordinal]!, x: elkLabel.x ?? 0, y: elkLabel.y ?? 0, width: elkLabel.width ?? 0, height: elkLabel.height ?? 0 };
    return { edge, points: points.map(({ x, y }) => ({ x, y })), label };
  });

  const width = laidOut.width ?? 0;
  const height = laidOut.height ?? 0;
  return { width, height, nodes, edges: placedEdges, bands: phaseBands(resolved, nodes, height) };
}

/** One full-height column per phase, bordered (less half the gap) midway between neighbouring phases' boxes. */
function phaseBands(resolved: ResolvedRenderModel, nodes: readonly PlacedNode[], height: number): PhaseBand[] {
  const extents = resolved.phases.map((band) => {
    let left = Infinity;
    let right = -Infinity;
    for (const member of band.nodes) {
      const placed = nodes[member.ordinal]!;
      left = Math.min(left, placed.x - PORT_SIZE);
      right = Math.max(right, placed.x + placed.width + PORT_SIZE);
    }
    return { phase: band.phase, left, right };
  });
  return extents.map((extent, index) => {
    const previous = extents[index - 1];
    const next = extents[index + 1];
    const left = previous === undefined ? extent.left - BAND_PADDING_X : (previous.right + extent.left + BAND_GAP) / 2;
    const right = next === undefined ? extent.right + BAND_PADDING_X : (extent.right + next.left - BAND_GAP) / 2;
    return { phase: extent.phase, x: left, y: MARGIN, width: right - left, height: height - 2 * MARGIN };
  });
}
