/**
 * Shape checks on the node/edge graph: directed cycles (invalid), and split/re-join cycles
 * inside one phase (valid, but a deadlock waiting to happen with bounded edges).
 *
 * NOTE: why one edge per split/re-join cycle becomes buffered. SimpleCopy writing to A and B
 * that meet again at Concatenate deadlocks with bounded edges: Concatenate drains A's branch
 * first, B's branch fills up, SimpleCopy blocks on B and so never finishes A. CloverDX makes one
 * edge of such a cycle buffered; so do we. The edge chosen is the one entering the re-join node
 * on its highest port — the branch a joiner reads last — which is the edge that has to absorb
 * the other branch's lag.
 */

export interface TopologyEdge {
  readonly key: number;
  readonly from: string;
  readonly to: string;
  readonly toPort: number;
}

/** The edges that close a directed cycle (one per cycle found), or [] for a DAG. */
export function findDirectedCycles(nodes: readonly string[], edges: readonly TopologyEdge[]): TopologyEdge[] {
  const outgoing = new Map<string, TopologyEdge[]>(nodes.map((node) => [node, []]));
  for (const edge of edges) outgoing.get(edge.from)?.push(edge);
  const state = new Map<string, 'visiting' | 'done'>();
  const closing: TopologyEdge[] = [];
  // Iterative DFS so a long chain of components cannot overflow the stack.
  for (const start of nodes) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edgesOut = outgoing.get(frame.node) ?? [];
      if (frame.next >= edgesOut.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const edge = edgesOut[frame.next++]!;
      const seen = state.get(edge.to);
      if (seen === 'visiting') closing.push(edge);
      else if (seen === undefined) {
        state.set(edge.to, 'visiting');
        stack.push({ node: edge.to, next: 0 });
      }
    }
  }
  return closing;
}

/**
 * Edges to make buffered so no undirected cycle of direct edges remains (edges must all be in
 * one phase and the graph must be acyclic as a directed graph).
 */
export function edgesToBuffer(edges: readonly TopologyEdge[]): TopologyEdge[] {
  const chosen: TopologyEdge[] = [];
  const remaining = [...edges];
  // Each round finds one cycle among the remaining direct edges and cuts it; cycles are few.
  for (;;) {
    const cycle = findUndirectedCycle(remaining);
    if (cycle === undefined) return chosen;
    const pick = pickEdgeToBuffer(cycle);
    chosen.push(pick);
    remaining.splice(remaining.indexOf(pick), 1);
  }
}

function findUndirectedCycle(edges: readonly TopologyEdge[]): TopologyEdge[] | undefined {
  const parent = new Map<string, { node: string; edge: TopologyEdge } | null>();
  const adjacency = new Map<string, TopologyEdge[]>();
  for (const edge of edges) {
    (adjacency.get(edge.from) ?? adjacency.set(edge.from, []).get(edge.from)!).push(edge);
    (adjacency.get(edge.to) ?? adjacency.set(edge.to, []).get(edge.to)!).push(edge);
  }
  for (const root of adjacency.keys()) {
    if (parent.has(root)) continue;
    parent.set(root, null);
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const edge of adjacency.get(node)!) {
        if (parent.get(node)?.edge === edge) continue;
        const other = edge.from === node ? edge.to : edge.from;
        if (!parent.has(other)) {
          parent.set(other, { node, edge });
          queue.push(other);
          continue;
        }
        // `edge` closes a cycle: walk both ends up to their common ancestor.
        return [edge, ...treePath(parent, node, other)];
      }
    }
  }
  return undefined;
}

function treePath(parent: Map<string, { node: string; edge: TopologyEdge } | null>, a: string, b: string): TopologyEdge[] {
  const ancestorsOfA = new Map<string, TopologyEdge[]>();
  let path: TopologyEdge[] = [];
  for (let node: string | undefined = a; node !== undefined; ) {
    ancestorsOfA.set(node, [...path]);
    const step = parent.get(node);
    if (!step) break;
    path.push(step.edge);
    node = step.node;
  }
  path = [];
  for (let node: string | undefined = b; node !== undefined; ) {
    const fromA = ancestorsOfA.get(node);
    if (fromA) return [...fromA, ...path];
    const step = parent.get(node);
    if (!step) break;
    path.push(step.edge);
    node = step.node;
  }
  return path;
}

function pickEdgeToBuffer(cycle: readonly TopologyEdge[]): TopologyEdge {
  const incoming = new Map<string, TopologyEdge[]>();
  for (const edge of cycle) (incoming.get(edge.to) ?? incoming.set(edge.to, []).get(edge.to)!).push(edge);
  for (const edges of incoming.values()) {
    if (edges.length >= 2) return edges.reduce((best, edge) => (edge.toPort > best.toPort ? edge : best));
  }
  return cycle[cycle.length - 1]!;
}
