/**
 * Tracking (CloverDX semantics, SPEC §8): per component status, phase, start/end and per port
 * records and bytes; per phase duration and status. A `RunTracker` holds live counters (the
 * ports' own counter objects, so nothing is copied per record) and produces snapshots: the
 * final JSON for `--tracking`, the table at the end of `trefoil run`, and the live view.
 */
import type { GraphPlan, NodePlan } from '../model/graph-plan.ts';
import type { PortCounters } from './ports.ts';

export type RunStatus = 'FINISHED_OK' | 'ERROR' | 'ABORTED';
export type ComponentStatus = 'READY' | 'RUNNING' | 'FINISHED_OK' | 'ERROR' | 'ABORTED';

export interface PortTracking {
  readonly port: number;
  readonly name: string;
  readonly records: number;
  readonly bytes: number;
}

export interface ComponentTracking {
  readonly id: string;
  readonly type: string;
  readonly phase: number;
  readonly status: ComponentStatus;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly durationMs?: number;
  readonly message?: string;
  readonly inputs: readonly PortTracking[];
  readonly outputs: readonly PortTracking[];
}

export interface PhaseTracking {
  readonly phase: number;
  readonly status: ComponentStatus;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly durationMs?: number;
}

export interface EdgeTracking {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly metadata: string;
  readonly records: number;
}

export interface TrackingSnapshot {
  readonly runId: string;
  readonly graph: string;
  readonly status: ComponentStatus | RunStatus;
  readonly startTime: string;
  readonly endTime?: string;
  readonly durationMs: number;
  readonly phases: readonly PhaseTracking[];
  readonly components: readonly ComponentTracking[];
  readonly edges: readonly EdgeTracking[];
}

interface MutableComponent {
  node: NodePlan;
  status: ComponentStatus;
  start?: number;
  end?: number;
  message?: string;
  inputs: { name: string; counters: PortCounters | null }[];
  outputs: { name: string; counters: PortCounters | null }[];
}

interface MutablePhase {
  phase: number;
  status: ComponentStatus;
  start?: number;
  end?: number;
}

export class RunTracker {
  readonly runId: string;
  readonly #plan: GraphPlan;
  readonly #start = Date.now();
  #end: number | undefined;
  #status: ComponentStatus | RunStatus = 'RUNNING';
  readonly #components = new Map<string, MutableComponent>();
  readonly #phases = new Map<number, MutablePhase>();

  constructor(plan: GraphPlan, runId: string) {
    this.runId = runId;
    this.#plan = plan;
    for (const node of plan.nodes) {
      this.#components.set(node.id, {
        node,
        status: 'READY',
        inputs: node.inputs.map((port) => ({ name: port.name, counters: null })),
        outputs: node.outputs.map((port) => ({ name: port.name, counters: null })),
      });
    }
    for (const phase of plan.phases) this.#phases.set(phase, { phase, status: 'READY' });
  }

  /** Attaches the live counters of a component's ports when it starts. */
  attach(id: string, inputs: readonly PortCounters[], outputs: readonly PortCounters[]): void {
    const component = this.#components.get(id)!;
    inputs.forEach((counters, index) => (component.inputs[index]!.counters = counters));
    outputs.forEach((counters, index) => (component.outputs[index]!.counters = counters));
  }

  componentStarted(id: string): void {
    const component = this.#components.get(id)!;
    component.status = 'RUNNING';
    component.start = Date.now();
  }

  componentEnded(id: string, status: ComponentStatus, message?: string): void {
    const component = this.#components.get(id)!;
    component.status = status;
    component.end = Date.now();
    if (message !== undefined) component.message = message;
  }

  phaseStarted(phase: number): void {
    const entry = this.#phases.get(phase)!;
    entry.status = 'RUNNING';
    entry.start = Date.now();
  }

  phaseEnded(phase: number, status: ComponentStatus): void {
    const entry = this.#phases.get(phase)!;
    entry.status = status;
    entry.end = Date.now();
  }

  runEnded(status: RunStatus): void {
    this.#status = status;
    this.#end = Date.now();
  }

  snapshot(): TrackingSnapshot {
    const now = Date.now();
    const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
    const ports = (list: MutableComponent['inputs']): PortTracking[] =>
      list.map((port, index) => ({ port: index, name: port.name, records: port.counters?.records ?? 0, bytes: port.counters?.bytes ?? 0 }));
    const components = [...this.#components.values()].map((c) => ({
      id: c.node.id,
      type: c.node.type,
      phase: c.node.phase,
      status: c.status,
      ...(c.start !== undefined ? { startTime: iso(c.start)! } : {}),
      ...(c.end !== undefined ? { endTime: iso(c.end)! } : {}),
      ...(c.start !== undefined ? { durationMs: (c.end ?? now) - c.start } : {}),
      ...(c.message !== undefined ? { message: c.message } : {}),
      inputs: ports(c.inputs),
      outputs: ports(c.outputs),
    }));
    const edges = this.#plan.edges.map((edge) => {
      const producer = this.#components.get(edge.from.node);
      return {
        id: edge.id,
        from: `${edge.from.node}:${edge.from.port}`,
        to: `${edge.to.node}:${edge.to.port}`,
        kind: edge.kind,
        metadata: edge.metadata.name,
        records: producer?.outputs[edge.from.port]?.counters?.records ?? 0,
      };
    });
    return {
      runId: this.runId,
      graph: this.#plan.id,
      status: this.#status,
      startTime: new Date(this.#start).toISOString(),
      ...(this.#end !== undefined ? { endTime: iso(this.#end)! } : {}),
      durationMs: (this.#end ?? now) - this.#start,
      phases: [...this.#phases.values()].map((p) => ({
        phase: p.phase,
        status: p.status,
        ...(p.start !== undefined ? { startTime: iso(p.start)! } : {}),
        ...(p.end !== undefined ? { endTime: iso(p.end)! } : {}),
        ...(p.start !== undefined ? { durationMs: (p.end ?? now) - p.start } : {}),
      })),
      components,
      edges,
    };
  }
}
