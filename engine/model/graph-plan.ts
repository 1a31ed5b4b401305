/**
 * The immutable plan a loaded graph becomes: validated, parameters substituted, metadata
 * resolved on every edge, edge kinds decided. The runtime only ever reads it.
 */
import type { ComponentDefinition } from '../component/define-component.ts';
import type { FieldDef } from '../metadata/field.ts';
import type { RecordType } from '../metadata/record-type.ts';
import type { YamlSource } from '../loader/yaml-source.ts';

export interface PortAddress {
  readonly node: string;
  readonly port: number;
}

/**
 * - `direct`: a bounded queue inside one phase (backpressure);
 * - `buffered`: unbounded with spill to disk, inside one phase (explicit, or the one edge of a
 *   split/re-join cycle the engine chose so the graph cannot deadlock);
 * - `phase`: from an earlier phase into a later one: stores everything, read in the later phase.
 */
export type EdgeKind = 'direct' | 'buffered' | 'phase';

export interface EdgePlan {
  /** `from:port->to:port`, stable for tracking and pictures. */
  readonly id: string;
  readonly from: PortAddress;
  readonly to: PortAddress;
  readonly metadata: RecordType;
  readonly kind: EdgeKind;
  /** Records held before the writer waits (direct edges). */
  readonly capacity: number;
  /** Why the engine made it buffered, when it did. */
  readonly reason?: string;
  /** Index in the YAML `edges:` list (for positions), when it came from one. */
  readonly sourceIndex?: number;
}

export interface PortPlan {
  readonly index: number;
  readonly name: string;
  readonly edge: EdgePlan | undefined;
  /** The edge's metadata, or the component's declared metadata for an unconnected port. */
  readonly metadata: RecordType;
}

export interface NodePlan {
  readonly id: string;
  readonly type: string;
  readonly definition: ComponentDefinition;
  readonly phase: number;
  readonly description?: string;
  /** Validated, defaults applied, durations in ms, frozen. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: readonly PortPlan[];
  readonly outputs: readonly PortPlan[];
}

export interface DisabledNode {
  readonly id: string;
  readonly type: string;
  readonly phase: number;
}

export interface ParameterPlan {
  readonly name: string;
  readonly value: unknown;
  readonly secure: boolean;
  readonly description?: string;
}

export interface GraphPlan {
  readonly id: string;
  readonly description?: string;
  /** Absolute path of the graph file, or `<inline>` for YAML text. */
  readonly file: string;
  /** GRAPH_DIR. */
  readonly dir: string;
  readonly parameters: ReadonlyMap<string, ParameterPlan>;
  /** Every secret value to mask in output (secure parameters and secret config values). */
  readonly secrets: readonly string[];
  readonly dictionary: readonly FieldDef[];
  readonly metadata: ReadonlyMap<string, RecordType>;
  readonly nodes: readonly NodePlan[];
  readonly disabled: readonly DisabledNode[];
  readonly edges: readonly EdgePlan[];
  /** Ascending, distinct. */
  readonly phases: readonly number[];
  /** The parsed file, for positions in later messages. */
  readonly source?: YamlSource;
}
