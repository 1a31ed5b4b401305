/**
 * The component API: one `defineComponent({...})` per component type. The spec half (ports,
 * config declarations, docs, examples) drives validation, the JSON Schema, `trefoil components`
 * and the README reference; `run` is the implementation, called once per run with a context.
 * A component receives a context, never the engine.
 */
import type { Logger } from 'pino';
import type { DataRecord, RecordType } from '../metadata/record-type.ts';
import type { MetadataInput } from '../metadata/metadata-definition.ts';
import type { InputPort, OutputPort } from '../runtime/ports.ts';
import type { Template } from '../runtime/template.ts';
import type { ConfigFields, ConfigOf } from './config-spec.ts';

export interface PortSpec {
  readonly name: string;
  readonly description: string;
  /** An edge must be connected here. */
  readonly required?: boolean;
}

export interface PortsSpec {
  /** Named ports, in index order. */
  readonly ports: readonly PortSpec[];
  /** Further unnamed ports after the named ones (`node:3`), up to `max` ports in all. */
  readonly more?: { readonly max?: number; readonly description: string };
  /** At least this many ports must be connected. */
  readonly min?: number;
}

/** A problem found in a component's config beyond its schema; `path` points into the config. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly code: import('../errors/registry.ts').ErrorCode;
  readonly message: string;
}

/** What `validate` may look at: the config and the metadata resolved on the node's edges. */
export interface ValidationContext<C> {
  readonly config: C;
  readonly inputs: readonly (RecordType | undefined)[];
  readonly outputs: readonly (RecordType | undefined)[];
}

export interface ComponentExample {
  readonly title: string;
  /** A YAML fragment of the `components:` section (and edges where useful). */
  readonly yaml: string;
}

export interface ComponentSpec<F extends ConfigFields> {
  /** The YAML `type:`, CloverDX's name where one exists (`Reformat`, `FileReader`). */
  readonly type: string;
  readonly category: 'readers' | 'writers' | 'transformers' | 'joiners' | 'generators' | 'file-operations' | 'others';
  /** One line. */
  readonly summary: string;
  /** Markdown; how it behaves, and where it differs from CloverDX. */
  readonly description: string;
  readonly inputs: PortsSpec;
  readonly outputs: PortsSpec;
  readonly config: F;
  readonly examples?: readonly ComponentExample[];
  /** It may return before reading all its input (e.g. a record limit); its producers stop cleanly. */
  readonly stopsEarly?: boolean;
  /** Outputs carrying their input's records unchanged: they take the input's metadata. */
  readonly passThrough?: { readonly input: number; readonly outputs: 'all' | readonly number[] };
  /** Metadata this component declares for an output port (a name from `metadata:` or inline fields). */
  outputMetadata?(config: ConfigOf<F>, port: number): MetadataInput | undefined;
  /** Metadata this component expects on an input port. */
  inputMetadata?(config: ConfigOf<F>, port: number): MetadataInput | undefined;
  /** Checks beyond the schema, once metadata is resolved (compile selectors, check field names). */
  validate?(context: ValidationContext<ConfigOf<F>>): readonly ConfigProblem[];
  /** The implementation: runs until its outputs are complete. Outputs are ended by the engine. */
  run(context: ComponentContext<ConfigOf<F>>): Promise<void> | void;
}

/** What a running component gets. */
export interface ComponentContext<C> {
  readonly id: string;
  readonly type: string;
  readonly phase: number;
  readonly config: C;
  /** By index; an unconnected port is present with `connected === false`. */
  readonly inputs: readonly InputPort[];
  readonly outputs: readonly OutputPort[];
  /** pino child logger with runId, graph, component and phase. */
  readonly log: Logger;
  /** Aborted when the phase fails or the run is interrupted. */
  readonly signal: AbortSignal;
  /** The run's dictionary (SPEC §5): read and write declared entries. */
  readonly dictionary: Record<string, unknown>;
  /** Resolved parameter values (secure ones in clear: never log them). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Directory of the graph file (GRAPH_DIR). */
  readonly graphDir: string;
  /** The run's temporary directory, removed when the run ends. */
  readonly tempDir: string;
  /** Compiles a `*{field}` / `*{dict.NAME}` template once (SPEC §6). */
  compileTemplate(source: string, inputMetadata?: RecordType): Template;
  /** Resolves a path against the project directory (the working directory unless PROJECT_DIR says otherwise). */
  resolvePath(path: string): string;
  /** Registers a secret discovered at run time (e.g. an OAuth token) so logs and errors mask it. */
  addSecret(value: string): void;
  /**
   * Registers work for when the run ends: `ok` is true after success. Used for atomic outputs
   * (rename on success, remove on failure) — see FileWriter.
   */
  onRunEnd(action: (ok: boolean) => Promise<void> | void): void;
  /** Builds an error-port record (SPEC §7): input fields by name plus errorMessage/statusCode/… */
  errorRecord(port: OutputPort, input: DataRecord | null, extra: Record<string, unknown>): DataRecord;
}

/** A component definition as the engine stores it (config type erased). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the engine handles every config type alike
export type ComponentDefinition = Omit<ComponentSpec<ConfigFields>, 'run' | 'validate' | 'outputMetadata' | 'inputMetadata'> & {
  outputMetadata?(config: any, port: number): MetadataInput | undefined;
  inputMetadata?(config: any, port: number): MetadataInput | undefined;
  validate?(context: ValidationContext<any>): readonly ConfigProblem[];
  run(context: ComponentContext<any>): Promise<void> | void;
  /** The module a custom component came from, for messages. */
  readonly source?: string;
};

/** Declares a component type. The returned object is what a plugin module default-exports. */
export function defineComponent<const F extends ConfigFields>(spec: ComponentSpec<F>): ComponentSpec<F> {
  return Object.freeze(spec);
}
