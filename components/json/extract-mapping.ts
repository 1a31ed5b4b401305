/**
 * JSONExtract's `mapping` (SPEC §7): its YAML shape, its JSON Schema, and the checks that turn
 * it into a plan once the metadata of the component's edges is known. The same planning runs in
 * `validate` (problems positioned on the YAML node that causes them: an invalid select, a field
 * path, a field the port's metadata lacks, an unconnected port) and in `run` (where it cannot
 * fail any more).
 *
 * ```yaml
 * mapping:
 *   - select: $.orders[*]          # RFC 9535 JSONPath from the document root
 *     port: 0                      # default 0
 *     fields: { id: $.id, customer: $.customer.name }    # relative to the match ($ = the match)
 *     children:
 *       - select: $.items[*]       # relative to the parent match
 *         port: 1
 *         parentKey: { orderId: id }   # child field <- parent record field
 *         sequenceField: line          # 1-based position among siblings
 * ```
 */
import type { ConfigProblem } from '../../engine/component/define-component.ts';
import type { RecordType } from '../../engine/metadata/record-type.ts';
import { compileFieldPath, type FieldPath } from './field-path.ts';
import type { JsonPathQuery } from './jsonpath/ast.ts';
import { JsonPathSyntaxError } from './jsonpath/json-path-syntax-error.ts';
import { parseJsonPath } from './jsonpath/parse-json-path.ts';

/** One entry of `mapping` (or of a `children` list) as written in YAML. */
export interface MappingConfig {
  /** RFC 9535 JSONPath: from the document root (top level) or from the parent's match (children). */
  readonly select: string;
  /** Output port of the records. @default 0 */
  readonly port?: number;
  /** Output field → JSONPath relative to the match. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Output field → field of the parent mapping's record (of the input record at the top level). */
  readonly parentKey?: Readonly<Record<string, string>>;
  /** Output field that receives the match's 1-based position among its siblings. */
  readonly sequenceField?: string;
  readonly children?: readonly MappingConfig[];
}

/** How deep `children` may nest in the JSON Schema (the schema cannot be recursive, see below). */
export const MAPPING_NESTING_LIMIT = 8;

/**
 * The JSON Schema of `mapping`. NOTE: written out to a fixed depth instead of a recursive `$ref`:
 * the same fragment is embedded in the committed editor schema and compiled on its own by the
 * loader, and a root-relative `$ref` cannot point at the right place in both.
 */
export function mappingSchema(depth = MAPPING_NESTING_LIMIT): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    type: 'object',
    properties: {
      select: { type: 'string', description: 'RFC 9535 JSONPath: from the document root at the top level, from the parent match ($) in children.' },
      port: { type: 'integer', minimum: 0, default: 0, description: 'Output port receiving one record per match.' },
      fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'Output field → JSONPath relative to the match ($ is the match itself). Fields not listed take the member of the same name.' },
      parentKey: { type: 'object', additionalProperties: { type: 'string' }, description: "Output field → field of the parent mapping's record (at the top level: of the input record)." },
      sequenceField: { type: 'string', description: 'Output field for the 1-based position of the match among its siblings.' },
      ...(depth > 1 ? { children: mappingSchema(depth - 1) } : {}),
    },
    required: ['select'],
    additionalProperties: false,
  };
  return { type: 'array', minItems: 1, items: entry, description: 'Selects and what each match becomes (see the component description).' };
}

/** One mapping entry, checked and compiled. */
export interface MappingPlan {
  /** Where it is in the config (`['mapping', 0, 'children', 1]`), for messages. */
  readonly configPath: readonly (string | number)[];
  readonly select: string;
  readonly query: JsonPathQuery;
  readonly port: number;
  /** Output field → compiled path, in the order written. */
  readonly fields: ReadonlyMap<string, FieldPath>;
  /** [output field, parent record field] pairs. */
  readonly parentKey: readonly (readonly [string, string])[];
  readonly sequenceField: string | null;
  readonly parent: MappingPlan | null;
  readonly children: readonly MappingPlan[];
}

/** What the plan is checked against: the metadata of the component's edges. */
export interface MappingEdges {
  /** Per output port: its edge's metadata, undefined where nothing is connected. */
  readonly outputs: readonly (RecordType | undefined)[];
  /** The input edge's metadata, undefined without an input edge. */
  readonly input: RecordType | undefined;
  /** The error port, when configured. */
  readonly errorPort: number | undefined;
}

const SEQUENCE_TYPES = new Set(['integer', 'long', 'number', 'decimal', 'string']);

/**
 * Checks and compiles a mapping tree. Problems carry the config path of the node at fault
 * (relative to the component: `['mapping', 0, 'select']`).
 */
export function planMapping(mapping: readonly MappingConfig[], edges: MappingEdges): { plans: MappingPlan[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const plans = mapping.map((entry, index) => planEntry(entry, ['mapping', index], null, edges, problems)).filter((plan): plan is MappingPlan => plan !== null);
  const used = new Set<number>();
  const visit = (entry: MappingConfig): void => {
    used.add(entry.port ?? 0);
    entry.children?.forEach(visit);
  };
  mapping.forEach(visit);
  edges.outputs.forEach((metadata, port) => {
    if (metadata !== undefined && !used.has(port) && port !== edges.errorPort) {
      problems.push({ path: ['mapping'], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: `output port ${port} is connected but no mapping sends records to it (set port: ${port} on a mapping${edges.errorPort === undefined ? ', or errorPort' : ''})` });
    }
  });
  return { plans: problems.length > 0 ? [] : plans, problems };
}

function planEntry(entry: MappingConfig, path: (string | number)[], parent: MappingPlan | null, edges: MappingEdges, problems: ConfigProblem[]): MappingPlan | null {
  const problem = (at: (string | number)[], message: string, code: ConfigProblem['code'] = 'TREFOIL_ERR_GRAPH_CONFIG'): void => {
    problems.push({ path: at, code, message });
  };
  const before = problems.length;
  let query: JsonPathQuery | null = null;
  try {
    query = parseJsonPath(entry.select);
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    problem([...path, 'select'], `select: ${error.message}`, error.code);
  }

  const port = entry.port ?? 0;
  const portPath = entry.port === undefined ? path : [...path, 'port'];
  const metadata = edges.outputs[port];
  if (port === edges.errorPort) problem(portPath, `port ${port} is the error port (errorPort: ${port}); send the records of this select to another port`);
  else if (metadata === undefined) problem(portPath, `port ${port} is not connected: connect an edge from this component's port ${port} (its metadata gives the fields of the records)`);

  const parentMetadata = parent === null ? edges.input : edges.outputs[parent.port];
  const fieldCheck = (at: (string | number)[], name: string, role: string): void => {
    if (metadata !== undefined && !metadata.has(name)) problem(at, `${role} ${name} is not a field of metadata ${metadata.name} on port ${port} (fields: ${metadata.fieldNames.join(', ')})`);
  };

  const fields = new Map<string, FieldPath>();
  for (const [name, text] of Object.entries(entry.fields ?? {})) {
    fieldCheck([...path, 'fields', name], name, 'field');
    try {
      fields.set(name, compileFieldPath(text));
    } catch (error) {
      if (!(error instanceof JsonPathSyntaxError)) throw error;
      problem([...path, 'fields', name], `field ${name}: ${error.message}`, error.code);
    }
  }

  const parentKey: (readonly [string, string])[] = [];
  for (const [child, source] of Object.entries(entry.parentKey ?? {})) {
    const at = [...path, 'parentKey', child];
    fieldCheck(at, child, 'parentKey field');
    if (fields.has(child)) problem(at, `field ${child} is set both by fields and by parentKey; keep one`);
    if (parent === null && edges.input === undefined) {
      problem(at, 'a top-level mapping has no parent record: parentKey copies from the input record here, and no input edge is connected');
    } else if (parentMetadata !== undefined && !parentMetadata.has(source)) {
      const whose = parent === null ? `the input metadata ${parentMetadata.name}` : `metadata ${parentMetadata.name} of the parent mapping (port ${parent.port})`;
      problem(at, `parentKey ${child}: ${source} is not a field of ${whose} (fields: ${parentMetadata.fieldNames.join(', ')})`);
    }
    parentKey.push([child, source]);
  }

  const sequenceField = entry.sequenceField ?? null;
  if (sequenceField !== null) {
    const at = [...path, 'sequenceField'];
    fieldCheck(at, sequenceField, 'sequenceField');
    const field = metadata?.field(sequenceField);
    if (field !== undefined && (field.container !== undefined || !SEQUENCE_TYPES.has(field.type))) {
      problem(at, `sequenceField ${sequenceField} is ${field.container ? `a ${field.container} of ${field.type}` : `a ${field.type} field`}; it needs an integer, long, number, decimal or string field`);
    }
    if (fields.has(sequenceField) || parentKey.some(([child]) => child === sequenceField)) problem(at, `field ${sequenceField} is set both by sequenceField and by fields or parentKey; keep one`);
  }

  const children: MappingPlan[] = [];
  const plan: MappingPlan = { configPath: path, select: entry.select, query: query!, port, fields, parentKey, sequenceField, parent, children };
  (entry.children ?? []).forEach((child, index) => {
    const planned = planEntry(child, [...path, 'children', index], plan, edges, problems);
    if (planned !== null) children.push(planned);
  });
  return problems.length > before || query === null ? null : plan;
}
