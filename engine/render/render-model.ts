/**
 * RenderModel: everything a picture of a graph shows, and nothing else.
 *
 * The renderers (`renderSvg`, `renderDot`, `renderMermaid`) never see the loaded graph or the
 * runtime; whoever renders builds this small, plain model — from a loaded graph (structure and
 * validation problems) and, after or during a run, from its tracking (status, durations, record
 * counts). Keeping it plain data lets the web UI build it from tracking JSON too.
 *
 * NOTE: the model is deliberately forgiving, because invalid graphs are rendered too (with their
 * problems marked): a port that an edge uses but the node does not list is drawn with its index
 * as its name, and a node whose phase is missing from `phases` still gets its phase band. Only
 * what cannot be drawn at all is an error: an edge naming an unknown node, or a duplicate id.
 */

/** Run status of one component, with CloverDX's names (as in tracking). */
export type RenderStatus = 'FINISHED_OK' | 'ERROR' | 'ABORTED' | 'RUNNING' | 'READY';

/** How records travel along an edge: a bounded queue, a buffered queue, or stored across phases. */
export type RenderEdgeKind = 'direct' | 'buffered' | 'phase';

/** One port of a component: its index (`node:N`) and the name its spec gives it. */
export interface RenderPort {
  index: number;
  name: string;
}

/** One component. */
export interface RenderNode {
  /** Component id, unique in the graph. */
  id: string;
  /** Component type as written in the graph (`FileReader`, `./components/my-thing.ts`). */
  type: string;
  phase: number;
  /** False for a component the graph disables (`enabled: false`): drawn greyed and dashed. */
  enabled: boolean;
  /** Ports in any order; they are drawn sorted by index, inputs on the left, outputs on the right. */
  inputs: RenderPort[];
  outputs: RenderPort[];
  /** Run status, when rendering a run. */
  status?: RenderStatus;
  /** Run time of the component in milliseconds, when known. */
  durationMs?: number;
  /** A validation problem or failure message; marks the node as failed (red border, marker, tooltip). */
  problem?: string;
}

/** One end of an edge: a node id and a port index. */
export interface RenderEdgeEnd {
  node: string;
  port: number;
}

/** One edge, from an output port to an input port. */
export interface RenderEdge {
  /** Edge id, unique in the graph (the loader's, e.g. `read:0->total:0`). */
  id: string;
  from: RenderEdgeEnd;
  to: RenderEdgeEnd;
  /** Metadata name shown on the edge, once resolved or propagated. */
  metadata?: string;
  kind: RenderEdgeKind;
  /** Records that passed the edge so far, when rendering a run. */
  records?: number;
}

/** A graph to draw. */
export interface RenderModel {
  /** Graph id (the `graph:` key). */
  graph: string;
  description?: string;
  /** Phase numbers, ascending. Phases of nodes missing here are added. */
  phases: number[];
  nodes: RenderNode[];
  edges: RenderEdge[];
}
