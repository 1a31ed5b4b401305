/**
 * Load → validate → plan (STYLE: validate once, then trust).
 *
 *   YAML text ─parse (positions)─▶ structure of `parameters:` ─resolve parameters─▶
 *   substitute ${NAME} ─▶ structure schema ─▶ plugins + component types ─▶ config schemas ─▶
 *   metadata ─▶ edges and ports ─▶ metadata propagation ─▶ component checks ─▶ edge kinds ─▶ GraphPlan
 *
 * Every step adds positioned problems instead of stopping, as far as later steps can still
 * run meaningfully, so the user sees all of a file's problems at once (SPEC §1). Any problem
 * makes `loadGraph` reject with a GraphValidationError.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { normaliseConfig, secretValues } from '../component/config-spec.ts';
import { ComponentRegistry, isModuleReference, loadComponentModule } from '../component/component-registry.ts';
import type { ComponentDefinition } from '../component/define-component.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { parseDuration } from '../metadata/duration.ts';
import type { FieldDef } from '../metadata/field.ts';
import { buildFields, type FieldInput, type MetadataInput } from '../metadata/metadata-definition.ts';
import { RecordType } from '../metadata/record-type.ts';
import type { DisabledNode, EdgeKind, EdgePlan, GraphPlan, NodePlan, PortPlan } from '../model/graph-plan.ts';
import { Redactor } from '../params/redactor.ts';
import { resolveGraphParameters, type ParameterSources } from './graph-parameters.ts';
import { componentSchema, METADATA_FILE_SCHEMA, RESERVED_COMPONENT_KEYS, structureSchema } from './graph-schema.ts';
import { edgesToBuffer, findDirectedCycles, type TopologyEdge } from './graph-topology.ts';
import { parsePortReference, portName, resolvePortIndex } from './port-reference.ts';
import { Problems, type ProblemPath } from './problems.ts';
import { checkSchema, closest } from './schema-check.ts';
import { YamlSource } from './yaml-source.ts';

/** Records a direct edge holds before its writer waits. */
export const DEFAULT_EDGE_CAPACITY = 8192;

export interface LoadOptions extends ParameterSources {
  /** The environment with the built-in components (plugins are added to a fork). */
  registry: ComponentRegistry;
  /** Run id for the RUN_ID built-in (a new one when absent). */
  runId?: string;
  /** Base for relative paths; default process.cwd(). */
  projectDir?: string;
}

interface RawEdge {
  from: string;
  to: string;
  metadata?: MetadataInput;
  buffer?: number;
  type?: 'direct' | 'buffered';
}

interface RawComponent {
  type: string;
  phase?: number;
  enabled?: boolean;
  description?: string;
  [key: string]: unknown;
}

interface RawGraph {
  graph: string;
  description?: string;
  plugins?: string[];
  parameters?: Record<string, unknown>;
  dictionary?: Record<string, FieldInput>;
  metadata?: Record<string, { fields: Record<string, FieldInput>; description?: string } | { file: string }>;
  components: Record<string, RawComponent>;
  edges?: RawEdge[];
}

/** Loads a graph file (or YAML text when `source` contains a newline or `graph:`) into a plan. */
export async function loadGraphPlan(source: string, options: LoadOptions): Promise<GraphPlan> {
  const problems = new Problems();
  const isText = source.includes('\n') || /^\s*graph\s*:/.test(source);
  const projectDir = options.projectDir ?? process.cwd();
  const file = isText ? '<inline>' : resolve(projectDir, source);
  const yaml = isText ? YamlSource.parse(file, source, problems) : await YamlSource.read(file, problems);
  problems.throwIfAny();
  const loader = new GraphLoader(yaml!, isText ? projectDir : dirname(file), projectDir, options, problems);
  return loader.load();
}

class GraphLoader {
  readonly #yaml: YamlSource;
  readonly #graphDir: string;
  readonly #projectDir: string;
  readonly #options: LoadOptions;
  readonly #problems: Problems;
  readonly #redactor = new Redactor();
  readonly #secrets = new Set<string>();
  readonly #registry: ComponentRegistry;
  readonly #metadata = new Map<string, RecordType>();
  readonly #inlineMetadata = new Map<string, RecordType>();

  constructor(yaml: YamlSource, graphDir: string, projectDir: string, options: LoadOptions, problems: Problems) {
    this.#yaml = yaml;
    this.#graphDir = graphDir;
    this.#projectDir = projectDir;
    this.#options = options;
    this.#problems = problems;
    this.#registry = options.registry.fork();
  }

  #addSecret(secret: string): void {
    this.#secrets.add(secret);
    this.#redactor.add(secret);
  }

  #report(path: ProblemPath, code: ErrorCode, message: string, options: { key?: boolean } = {}): void {
    this.#yaml.report(this.#problems, path, code, message, options);
  }

  #fail(): never {
    this.#problems.throwIfAny((text) => this.#redactor.redact(text));
    throw new Error('unreachable: #fail called without problems');
  }

  async load(): Promise<GraphPlan> {
    const raw = this.#yaml.value;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.#report([], 'TREFOIL_ERR_GRAPH_SCHEMA', 'a graph file must be a YAML mapping with graph: and components:');
      this.#fail();
    }
    const document = raw as Record<string, unknown>;

    // Parameters first: everything else is validated after substitution (SPEC §7).
    const runId = this.#options.runId ?? randomUUID();
    const parameters = resolveGraphParameters(document, this.#options, {
      GRAPH_DIR: this.#graphDir,
      PROJECT_DIR: this.#projectDir,
      RUN_ID: runId,
      TMP_DIR: join(tmpdir(), `trefoil-${runId}`),
    });
    for (const secret of parameters.secrets) this.#addSecret(secret);
    this.#reportParamsProblems(parameters.problems);
    const substituted = parameters.document;
    if (this.#problems.count > 0) this.#fail();

    const structureProblems = checkSchema(structureSchema(), substituted);
    for (const problem of structureProblems) {
      this.#report(problem.path, 'TREFOIL_ERR_GRAPH_SCHEMA', problem.message, { key: problem.atKey });
    }
    // Components are checked even when other sections have problems, so one validation shows
    // them all; only a malformed components: section itself stops here.
    if (structureProblems.some((problem) => problem.path[0] === 'components' || problem.path.length === 0)) this.#fail();
    const graph = substituted as unknown as RawGraph;

    await this.#loadPlugins(graph);
    const definitions = this.#checkComponents(graph);
    if (this.#problems.count > 0) this.#fail();
    await this.#loadMetadata(graph);
    const dictionary = this.#buildDictionary(graph);
    if (this.#problems.count > 0) this.#fail();

    const { nodes, disabled, edges } = this.#wire(graph, definitions);
    if (this.#problems.count > 0) this.#fail();

    const plan: GraphPlan = {
      id: graph.graph,
      ...(graph.description !== undefined ? { description: graph.description } : {}),
      file: this.#yaml.file,
      dir: this.#graphDir,
      parameters: parameters.values,
      secrets: [...this.#secrets],
      dictionary,
      metadata: this.#metadata,
      nodes,
      disabled,
      edges,
      phases: [...new Set(nodes.map((node) => node.phase))].sort((a, b) => a - b),
      source: this.#yaml,
    };
    return plan;
  }

  #reportParamsProblems(list: readonly { code: ErrorCode; message: string; path?: ProblemPath; file?: string; line?: number; column?: number }[]): void {
    for (const problem of list) {
      if (problem.path) this.#report(problem.path, problem.code, problem.message);
      else if (problem.file) this.#problems.add({ file: problem.file, line: problem.line ?? 1, column: problem.column ?? 1, code: problem.code, message: problem.message });
      else this.#problems.add({ file: this.#yaml.file, line: 1, column: 1, code: problem.code, message: problem.message });
    }
  }

  async #loadPlugins(graph: RawGraph): Promise<void> {
    const modules: { specifier: string; path: ProblemPath }[] = (graph.plugins ?? []).map((specifier, index) => ({ specifier, path: ['plugins', index] }));
    for (const [id, component] of Object.entries(graph.components)) {
      if (isModuleReference(component.type)) modules.push({ specifier: component.type, path: ['components', id, 'type'] });
    }
    const loadedAlready = new Set<string>();
    for (const { specifier, path } of modules) {
      // Several components may name the same module: load it once.
      if (loadedAlready.has(specifier)) continue;
      loadedAlready.add(specifier);
      try {
        const loaded = await loadComponentModule(specifier, this.#graphDir);
        for (const definition of loaded) this.#registry.register(definition);
        // A module named as a type registers under its path too, so `type: ./x.ts` resolves.
        if (isModuleReference(specifier) && loaded[0]) this.#registry.register({ ...loaded[0], type: specifier });
      } catch (error) {
        this.#report(path, 'TREFOIL_ERR_GRAPH_PLUGIN', `cannot load component module ${specifier}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }

  /** Unknown types and per-type config schemas; returns each known node's definition. */
  #checkComponents(graph: RawGraph): Map<string, ComponentDefinition> {
    const definitions = new Map<string, ComponentDefinition>();
    for (const [id, component] of Object.entries(graph.components)) {
      const definition = this.#registry.get(component.type);
      if (!definition) {
        if (isModuleReference(component.type)) continue; // already reported by #loadPlugins
        const hint = closestType(component.type, this.#registry.types);
        this.#report(['components', id, 'type'], 'TREFOIL_ERR_GRAPH_UNKNOWN_TYPE', `unknown component type ${component.type}${hint ? ` (did you mean ${hint}?)` : ''}`);
        continue;
      }
      definitions.set(id, definition);
      const schema = schemaFor(definition);
      for (const problem of checkSchema(schema, { ...component, type: definition.type }, ['components', id])) {
        this.#report(problem.path, 'TREFOIL_ERR_GRAPH_CONFIG', problem.message, { key: problem.atKey });
      }
    }
    return definitions;
  }

  async #loadMetadata(graph: RawGraph): Promise<void> {
    for (const [name, entry] of Object.entries(graph.metadata ?? {})) {
      if ('file' in entry) {
        const path = resolve(this.#graphDir, entry.file);
        const external = await YamlSource.read(path, this.#problems, 'TREFOIL_ERR_GRAPH_METADATA_FILE');
        if (!external || external.value === undefined) {
          if (external === null) {
            // Point at the reference as well: the file the user has to fix is the graph.
            this.#report(['metadata', name, 'file'], 'TREFOIL_ERR_GRAPH_METADATA_FILE', `metadata ${name}: cannot read ${entry.file}`);
          }
          continue;
        }
        const schemaProblems = checkSchema(METADATA_FILE_SCHEMA, external.value);
        for (const problem of schemaProblems) external.report(this.#problems, problem.path, 'TREFOIL_ERR_GRAPH_METADATA', problem.message, { key: problem.atKey });
        if (schemaProblems.length > 0) continue;
        const built = buildFields((external.value as { fields: Record<string, FieldInput> }).fields, ['fields']);
        for (const problem of built.problems) external.report(this.#problems, problem.path, 'TREFOIL_ERR_GRAPH_METADATA', problem.message);
        if (built.problems.length === 0) this.#metadata.set(name, new RecordType(name, built.fields));
      } else {
        const built = buildFields(entry.fields, ['metadata', name, 'fields']);
        for (const problem of built.problems) this.#report(problem.path, 'TREFOIL_ERR_GRAPH_METADATA', problem.message);
        if (built.problems.length === 0) this.#metadata.set(name, new RecordType(name, built.fields));
      }
    }
  }

  #buildDictionary(graph: RawGraph): FieldDef[] {
    const built = buildFields(graph.dictionary ?? {}, ['dictionary']);
    for (const problem of built.problems) this.#report(problem.path, 'TREFOIL_ERR_GRAPH_DICTIONARY', problem.message);
    return built.fields;
  }

  /** Resolves metadata given as a name or inline fields; reports at `path` when it cannot. */
  #resolveMetadata(input: MetadataInput, path: ProblemPath | null, fallbackName: string): RecordType | undefined {
    if (typeof input === 'string') {
      const found = this.#metadata.get(input);
      if (!found && path) {
        const known = [...this.#metadata.keys()];
        this.#report(path, 'TREFOIL_ERR_GRAPH_METADATA_UNKNOWN', `unknown metadata ${input}${known.length > 0 ? ` (declared: ${known.join(', ')})` : ' (no metadata is declared)'}`);
      }
      return found;
    }
    const key = JSON.stringify(input.fields);
    const cached = this.#inlineMetadata.get(key);
    if (cached) return cached;
    const built = buildFields(input.fields, path ? [...path, 'fields'] : []);
    if (built.problems.length > 0) {
      for (const problem of built.problems) {
        if (path) this.#report(problem.path, 'TREFOIL_ERR_GRAPH_METADATA', problem.message);
        else this.#report([], 'TREFOIL_ERR_GRAPH_METADATA', `${fallbackName}: ${problem.message}`);
      }
      return undefined;
    }
    const recordType = new RecordType(input.name ?? fallbackName, built.fields);
    this.#inlineMetadata.set(key, recordType);
    return recordType;
  }

  #wire(graph: RawGraph, definitions: Map<string, ComponentDefinition>): { nodes: NodePlan[]; disabled: DisabledNode[]; edges: EdgePlan[] } {
    const components = graph.components;
    const phaseOf = (id: string): number => components[id]?.phase ?? 0;
    const enabled = (id: string): boolean => components[id]?.enabled !== false;

    // 1. Parse every edge's ends.
    interface WiredEdge {
      index: number;
      from: { node: string; port: number };
      to: { node: string; port: number };
      raw: RawEdge;
      metadata?: RecordType;
    }
    const wired: WiredEdge[] = [];
    // Nodes at either end of an edge that failed to parse: their port checks would only echo it.
    const brokenEnds = new Set<string>();
    (graph.edges ?? []).forEach((raw, index) => {
      const ends = (['from', 'to'] as const).map((end) => {
        const reference = parsePortReference(raw[end]);
        const component = components[reference.node];
        if (!component) {
          const hint = closestType(reference.node, Object.keys(components));
          this.#report(['edges', index, end], 'TREFOIL_ERR_GRAPH_EDGE_NODE', `edge ${end} ${raw[end]}: no component ${reference.node}${hint ? ` (did you mean ${hint}?)` : ''}`);
          return undefined;
        }
        const definition = definitions.get(reference.node);
        if (!definition) return undefined;
        const ports = end === 'from' ? definition.outputs : definition.inputs;
        const resolved = resolvePortIndex(ports, reference.port);
        if ('error' in resolved) {
          const code: ErrorCode = resolved.error.startsWith('has no ports') ? 'TREFOIL_ERR_GRAPH_EDGE_NO_PORT' : 'TREFOIL_ERR_GRAPH_EDGE_PORT';
          const direction = end === 'from' ? 'output' : 'input';
          this.#report(['edges', index, end], code, `edge ${end} ${raw[end]}: ${reference.node} (${definition.type}) ${resolved.error.replace('of this direction', direction === 'output' ? '(it takes no output edge)' : '(it takes no input edge)').replace('has no port', `has no ${direction} port`)}`);
          return undefined;
        }
        return { node: reference.node, port: resolved.index };
      });
      if (ends[0] && ends[1]) wired.push({ index, from: ends[0], to: ends[1], raw });
      else for (const end of ['from', 'to'] as const) brokenEnds.add(parsePortReference(raw[end]).node);
    });

    // 2. Disabled nodes: removed; one-in/one-out nodes become a pass-through edge.
    const disabledNodes: DisabledNode[] = [];
    let edges = wired;
    for (const [id, component] of Object.entries(components)) {
      if (enabled(id)) continue;
      disabledNodes.push({ id, type: component.type, phase: phaseOf(id) });
      const incoming = edges.filter((edge) => edge.to.node === id);
      const outgoing = edges.filter((edge) => edge.from.node === id);
      edges = edges.filter((edge) => edge.to.node !== id && edge.from.node !== id);
      if (incoming.length === 1 && outgoing.length === 1) {
        const into = incoming[0]!;
        const out = outgoing[0]!;
        edges.push({ index: out.index, from: into.from, to: out.to, raw: { ...out.raw, metadata: out.raw.metadata ?? into.raw.metadata } });
      }
    }

    // 3. One edge per port, in both directions (SPEC §1).
    const portKey = (node: string, port: number, direction: string) => `${node}\u0000${direction}\u0000${port}`;
    const taken = new Map<string, WiredEdge>();
    for (const edge of edges) {
      for (const [end, address] of [['from', edge.from], ['to', edge.to]] as const) {
        const key = portKey(address.node, address.port, end);
        const earlier = taken.get(key);
        if (earlier) {
          const definition = definitions.get(address.node)!;
          const name = portName(end === 'from' ? definition.outputs : definition.inputs, address.port);
          this.#report(['edges', edge.index, end], 'TREFOIL_ERR_GRAPH_EDGE_DUPLICATE', `${end === 'to' ? 'input' : 'output'} port ${address.port} (${name}) of ${address.node} already has an edge (edges[${earlier.index}]); a port takes one edge`);
        } else taken.set(key, edge);
      }
      // 4. Phases only move forward.
      if (phaseOf(edge.from.node) > phaseOf(edge.to.node)) {
        this.#report(['edges', edge.index], 'TREFOIL_ERR_GRAPH_EDGE_PHASE', `edge ${edge.raw.from} -> ${edge.raw.to} goes from phase ${phaseOf(edge.from.node)} back to phase ${phaseOf(edge.to.node)}; edges may only go to the same or a later phase`);
      }
    }

    // 5. Required ports and minimum port counts.
    for (const [id, definition] of definitions) {
      if (!enabled(id) || brokenEnds.has(id)) continue;
      for (const [direction, ports] of [['input', definition.inputs], ['output', definition.outputs]] as const) {
        const end = direction === 'input' ? 'to' : 'from';
        const connected = edges.filter((edge) => edge[end].node === id);
        ports.ports.forEach((spec, index) => {
          if (spec.required && !connected.some((edge) => edge[end].port === index)) {
            this.#report(['components', id], 'TREFOIL_ERR_GRAPH_PORT_REQUIRED', `${id} (${definition.type}) needs an edge on its ${direction} port ${index} (${spec.name})`, { key: true });
          }
        });
        if (ports.min !== undefined && connected.length < ports.min) {
          this.#report(['components', id], 'TREFOIL_ERR_GRAPH_PORT_REQUIRED', `${id} (${definition.type}) needs at least ${ports.min} ${direction} edge${ports.min === 1 ? '' : 's'}, has ${connected.length}`, { key: true });
        }
      }
    }

    // 6. Directed cycles.
    const activeIds = [...definitions.keys()].filter(enabled);
    const topology: TopologyEdge[] = edges.map((edge, key) => ({ key, from: edge.from.node, to: edge.to.node, toPort: edge.to.port }));
    for (const closing of findDirectedCycles(activeIds, topology)) {
      const edge = edges[closing.key]!;
      this.#report(['edges', edge.index], 'TREFOIL_ERR_GRAPH_CYCLE', `edge ${edge.raw.from} -> ${edge.raw.to} closes a cycle; records cannot flow back upstream`);
    }
    if (this.#problems.count > 0) return { nodes: [], disabled: disabledNodes, edges: [] };

    // 7. Metadata: explicit, then propagated until nothing changes (SPEC §3).
    const configs = new Map<string, Record<string, unknown>>();
    for (const id of activeIds) configs.set(id, configOf(definitions.get(id)!, components[id]!));
    const explicitFailed = new Set<WiredEdge>();
    for (const edge of edges) {
      if (edge.raw.metadata !== undefined) {
        const found = this.#resolveMetadata(edge.raw.metadata, ['edges', edge.index, 'metadata'], `${edge.raw.from}->${edge.raw.to}`);
        if (found) edge.metadata = found;
        else explicitFailed.add(edge);
      }
    }
    const declaredOutput = (node: string, port: number): RecordType | undefined => {
      const definition = definitions.get(node)!;
      const declared = definition.outputMetadata?.(configs.get(node) as never, port);
      return declared === undefined ? undefined : this.#resolveMetadata(declared, typeof declared === 'string' ? ['components', node] : null, `${node}.${portName(definition.outputs, port)}`);
    };
    const declaredInput = (node: string, port: number): RecordType | undefined => {
      const definition = definitions.get(node)!;
      const declared = definition.inputMetadata?.(configs.get(node) as never, port);
      return declared === undefined ? undefined : this.#resolveMetadata(declared, typeof declared === 'string' ? ['components', node] : null, `${node}.${portName(definition.inputs, port)}`);
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const edge of edges) {
        if (edge.metadata || explicitFailed.has(edge)) continue;
        const definition = definitions.get(edge.from.node)!;
        let found = declaredOutput(edge.from.node, edge.from.port);
        const through = definition.passThrough;
        if (!found && through && (through.outputs === 'all' || through.outputs.includes(edge.from.port))) {
          found = edges.find((other) => other.to.node === edge.from.node && other.to.port === through.input)?.metadata;
        }
        found ??= declaredInput(edge.to.node, edge.to.port);
        if (found) {
          edge.metadata = found;
          changed = true;
        }
      }
    }
    for (const edge of edges) {
      if (!edge.metadata && !explicitFailed.has(edge)) {
        this.#report(['edges', edge.index], 'TREFOIL_ERR_GRAPH_METADATA_UNRESOLVED', `edge ${edge.raw.from} -> ${edge.raw.to} has no metadata and none propagates to it; add metadata: to the edge`);
      }
    }
    if (this.#problems.count > 0) return { nodes: [], disabled: disabledNodes, edges: [] };

    // 8. Edge kinds: cross-phase edges store everything; split/re-join cycles get one buffered edge.
    const kinds = new Map<WiredEdge, { kind: EdgeKind; reason?: string }>();
    for (const edge of edges) {
      if (phaseOf(edge.from.node) !== phaseOf(edge.to.node)) kinds.set(edge, { kind: 'phase' });
      else if (edge.raw.type === 'buffered') kinds.set(edge, { kind: 'buffered', reason: 'declared buffered' });
    }
    const direct = topology.filter((t) => !kinds.has(edges[t.key]!));
    for (const pick of edgesToBuffer(direct)) {
      kinds.set(edges[pick.key]!, { kind: 'buffered', reason: 'breaks a split/re-join cycle so the phase cannot deadlock' });
    }
    const edgePlans = new Map<WiredEdge, EdgePlan>();
    for (const edge of edges) {
      const kind = kinds.get(edge) ?? { kind: 'direct' as const };
      edgePlans.set(edge, {
        id: `${edge.from.node}:${edge.from.port}->${edge.to.node}:${edge.to.port}`,
        from: edge.from,
        to: edge.to,
        metadata: edge.metadata!,
        kind: kind.kind,
        capacity: edge.raw.buffer ?? DEFAULT_EDGE_CAPACITY,
        ...(kind.reason ? { reason: kind.reason } : {}),
        sourceIndex: edge.index,
      });
    }

    // 9. Nodes with their ports, and the components' own checks.
    const nodes: NodePlan[] = [];
    for (const id of activeIds) {
      const definition = definitions.get(id)!;
      const config = configs.get(id)!;
      const portsOf = (direction: 'input' | 'output'): PortPlan[] => {
        const spec = direction === 'input' ? definition.inputs : definition.outputs;
        const end = direction === 'input' ? 'to' : 'from';
        const attached = edges.filter((edge) => edge[end].node === id);
        const count = Math.max(spec.ports.length, ...attached.map((edge) => edge[end].port + 1));
        return Array.from({ length: count }, (_, index) => {
          const edge = attached.find((candidate) => candidate[end].port === index);
          const plan = edge ? edgePlans.get(edge) : undefined;
          const declared = direction === 'output' ? declaredOutput(id, index) : declaredInput(id, index);
          const metadata = plan?.metadata ?? declared ?? EMPTY_RECORD_TYPE;
          return { index, name: portName(spec, index), edge: plan, metadata };
        });
      };
      const inputs = portsOf('input');
      const outputs = portsOf('output');
      for (const secret of secretValues(definition.config, config)) this.#addSecret(secret);
      for (const problem of definition.validate?.({
        config: config as never,
        inputs: inputs.map((port) => port.edge?.metadata),
        outputs: outputs.map((port) => port.edge?.metadata),
      }) ?? []) {
        this.#report(['components', id, ...problem.path], problem.code, `${id}: ${problem.message}`);
      }
      const component = components[id]!;
      nodes.push({
        id,
        type: definition.type,
        definition,
        phase: phaseOf(id),
        ...(component.description !== undefined ? { description: component.description } : {}),
        config,
        inputs,
        outputs,
      });
    }
    return { nodes, disabled: disabledNodes, edges: [...edgePlans.values()] };
  }
}

const EMPTY_RECORD_TYPE = new RecordType('none', []);

const schemaCache = new WeakMap<ComponentDefinition, Record<string, unknown>>();
function schemaFor(definition: ComponentDefinition): Record<string, unknown> {
  let schema = schemaCache.get(definition);
  if (!schema) schemaCache.set(definition, (schema = componentSchema(definition)));
  return schema;
}

function configOf(definition: ComponentDefinition, component: RawComponent): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(component)) {
    if (!(RESERVED_COMPONENT_KEYS as readonly string[]).includes(key)) values[key] = value;
  }
  return normaliseConfig(definition.config, values, parseDuration);
}

function closestType(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  return candidates.find((candidate) => candidate.toLowerCase() === lower) ?? closest(name, candidates);
}
