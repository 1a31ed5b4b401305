/**
 * Builds the picture's model (RenderModel) from a loaded graph, optionally with a run's
 * tracking (edge record counts, component status and time), or — for an invalid graph — from
 * its raw YAML, with each problem marked on the component whose lines it points into.
 */
import type { GraphPlan } from '../model/graph-plan.ts';
import type { Problem } from '../loader/problems.ts';
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import { parsePortReference } from '../loader/port-reference.ts';
import type { RenderModel, RenderNode, RenderStatus } from './render-model.ts';
import { formatProblem } from '../loader/problems.ts';

export function renderModelFromPlan(plan: GraphPlan, tracking?: TrackingSnapshot): RenderModel {
  const components = new Map(tracking?.components.map((component) => [component.id, component]));
  const edgeRecords = new Map(tracking?.edges.map((edge) => [edge.id, edge.records]));
  const nodes: RenderNode[] = plan.nodes.map((node) => {
    const tracked = components.get(node.id);
    return {
      id: node.id,
      type: node.type,
      phase: node.phase,
      enabled: true,
      inputs: node.inputs.map((port) => ({ index: port.index, name: port.name })),
      outputs: node.outputs.map((port) => ({ index: port.index, name: port.name })),
      ...(tracked ? { status: tracked.status as RenderStatus } : {}),
      ...(tracked?.durationMs !== undefined ? { durationMs: tracked.durationMs } : {}),
      ...(tracked?.status === 'ERROR' && tracked.message ? { problem: tracked.message } : {}),
    };
  });
  for (const disabled of plan.disabled) {
    nodes.push({ id: disabled.id, type: disabled.type, phase: disabled.phase, enabled: false, inputs: [], outputs: [] });
  }
  return {
    graph: plan.id,
    ...(plan.description !== undefined ? { description: plan.description } : {}),
    phases: [...plan.phases],
    nodes,
    edges: plan.edges.map((edge) => ({
      id: edge.id,
      from: edge.from,
      to: edge.to,
      metadata: edge.metadata.name,
      kind: edge.kind,
      ...(edgeRecords.has(edge.id) ? { records: edgeRecords.get(edge.id)! } : {}),
    })),
  };
}

interface RawGraph {
  graph?: unknown;
  components?: Record<string, { type?: unknown; phase?: unknown; enabled?: unknown }>;
  edges?: { from?: unknown; to?: unknown; metadata?: unknown }[];
}

/**
 * A best-effort picture of a graph that did not validate: components and the edges whose ends
 * exist, ports by index. `componentLines` maps a component id to its first and last YAML line,
 * so a problem positioned inside it is shown on it; other problems go on a note node.
 */
export function renderModelFromInvalidGraph(raw: unknown, problems: readonly Problem[], componentLines: ReadonlyMap<string, { first: number; last: number }>): RenderModel {
  const graph = (raw ?? {}) as RawGraph;
  const components = graph.components && typeof graph.components === 'object' ? graph.components : {};
  const nodes = new Map<string, RenderNode>();
  for (const [id, component] of Object.entries(components)) {
    const phase = typeof component?.phase === 'number' ? component.phase : 0;
    nodes.set(id, { id, type: String(component?.type ?? '?'), phase, enabled: component?.enabled !== false, inputs: [], outputs: [] });
  }
  const edges: RenderModel['edges'] = [];
  for (const [index, edge] of (Array.isArray(graph.edges) ? graph.edges : []).entries()) {
    if (typeof edge?.from !== 'string' || typeof edge.to !== 'string') continue;
    const from = parsePortReference(edge.from);
    const to = parsePortReference(edge.to);
    const fromNode = nodes.get(from.node);
    const toNode = nodes.get(to.node);
    if (!fromNode || !toNode) continue;
    const fromPort = /^\d+$/.test(from.port ?? '0') ? Number(from.port ?? 0) : 0;
    const toPort = /^\d+$/.test(to.port ?? '0') ? Number(to.port ?? 0) : 0;
    if (!fromNode.outputs.some((p) => p.index === fromPort)) fromNode.outputs.push({ index: fromPort, name: from.port ?? String(fromPort) });
    if (!toNode.inputs.some((p) => p.index === toPort)) toNode.inputs.push({ index: toPort, name: to.port ?? String(toPort) });
    edges.push({ id: `edge${index}`, from: { node: from.node, port: fromPort }, to: { node: to.node, port: toPort }, ...(typeof edge.metadata === 'string' ? { metadata: edge.metadata } : {}), kind: 'direct' });
  }
  const unplaced: string[] = [];
  for (const problem of problems) {
    const owner = [...componentLines].find(([, lines]) => problem.line >= lines.first && problem.line <= lines.last)?.[0];
    const node = owner ? nodes.get(owner) : undefined;
    if (node) node.problem = node.problem ? `${node.problem}\n${problem.code} ${problem.message}` : `${problem.code} ${problem.message}`;
    else unplaced.push(formatProblem(problem));
  }
  const phases = [...new Set([...nodes.values()].map((node) => node.phase))].sort((a, b) => a - b);
  return {
    graph: typeof graph.graph === 'string' ? graph.graph : 'invalid graph',
    description: unplaced.length > 0 ? `Invalid graph: ${unplaced.join('; ')}` : 'Invalid graph',
    phases: phases.length > 0 ? phases : [0],
    nodes: [...nodes.values()],
    edges,
  };
}
