/**
 * Checks a RenderModel once and gives every renderer the same derived view of it: phases in
 * order (each with its nodes, in model order), ports sorted by index (plus the ones edges use
 * but the node does not list), and lookups by id.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import type { RenderEdge, RenderModel, RenderNode, RenderPort } from './render-model.ts';

/** A node with its ports resolved: sorted by index, one per index, implied ports included. */
export interface ResolvedNode {
  node: RenderNode;
  /** Position of the node in `RenderModel.nodes`; renderers use it for short, safe ids. */
  ordinal: number;
  inputs: readonly RenderPort[];
  outputs: readonly RenderPort[];
}

/** One phase band: its number and its nodes in model order (never empty). */
export interface ResolvedPhase {
  phase: number;
  nodes: readonly ResolvedNode[];
}

/** The derived view every renderer draws from. */
export interface ResolvedRenderModel {
  model: RenderModel;
  /** Phases that hold at least one node, ascending. */
  phases: readonly ResolvedPhase[];
  /** Every node, in model order. */
  nodes: readonly ResolvedNode[];
  nodeById: ReadonlyMap<string, ResolvedNode>;
}

/**
 * Resolves a model for drawing.
 *
 * @throws TrefoilError `TREFOIL_ERR_RENDER_DUPLICATE_ID` when two nodes or two edges share an id,
 *   `TREFOIL_ERR_RENDER_UNKNOWN_NODE` when an edge names a node the model lacks.
 */
export function resolveRenderModel(model: RenderModel): ResolvedRenderModel {
  const inputsByNode = new Map<string, Map<number, RenderPort>>();
  const outputsByNode = new Map<string, Map<number, RenderPort>>();
  for (const node of model.nodes) {
    if (inputsByNode.has(node.id)) {
      throw new TrefoilError('TREFOIL_ERR_RENDER_DUPLICATE_ID', `Graph "${model.graph}" has two components with id "${node.id}".`, { component: node.id });
    }
    inputsByNode.set(node.id, portsByIndex(node.inputs));
    outputsByNode.set(node.id, portsByIndex(node.outputs));
  }

  const edgeIds = new Set<string>();
  for (const edge of model.edges) {
    if (edgeIds.has(edge.id)) {
      throw new TrefoilError('TREFOIL_ERR_RENDER_DUPLICATE_ID', `Graph "${model.graph}" has two edges with id "${edge.id}".`);
    }
    edgeIds.add(edge.id);
    addImpliedPort(model, edge, outputsByNode.get(edge.from.node), edge.from.node, edge.from.port);
    addImpliedPort(model, edge, inputsByNode.get(edge.to.node), edge.to.node, edge.to.port);
  }

  const nodes: ResolvedNode[] = model.nodes.map((node, ordinal) => ({
    node,
    ordinal,
    inputs: sortedPorts(inputsByNode.get(node.id)!),
    outputs: sortedPorts(outputsByNode.get(node.id)!),
  }));

  const phaseNumbers = [...new Set([...model.phases, ...model.nodes.map((node) => node.phase)])].sort((a, b) => a - b);
  const phases: ResolvedPhase[] = [];
  for (const phase of phaseNumbers) {
    const members = nodes.filter((resolved) => resolved.node.phase === phase);
    if (members.length > 0) phases.push({ phase, nodes: members });
  }

  return { model, phases, nodes, nodeById: new Map(nodes.map((resolved) => [resolved.node.id, resolved])) };
}

function portsByIndex(ports: readonly RenderPort[]): Map<number, RenderPort> {
  const byIndex = new Map<number, RenderPort>();
  // NOTE: the first port listed for an index wins; a model never lists one twice on purpose.
  for (const port of ports) if (!byIndex.has(port.index)) byIndex.set(port.index, port);
  return byIndex;
}

function addImpliedPort(
  model: RenderModel,
  edge: RenderEdge,
  ports: Map<number, RenderPort> | undefined,
  nodeId: string,
  index: number,
): void {
  if (ports === undefined) {
    throw new TrefoilError('TREFOIL_ERR_RENDER_UNKNOWN_NODE', `Edge "${edge.id}" of graph "${model.graph}" names component "${nodeId}", which the graph does not contain.`);
  }
  if (!ports.has(index)) ports.set(index, { index, name: String(index) });
}

function sortedPorts(ports: Map<number, RenderPort>): RenderPort[] {
  return [...ports.values()].sort((a, b) => a.index - b.index);
}
