/**
 * Turns the YAML form of metadata (SPEC §1–§2) into FieldDefs and RecordTypes.
 *
 * ```yaml
 * Order:
 *   fields:
 *     id: long                               # short form: just the type
 *     amount: { type: decimal, scale: 2 }
 *     tags: { type: string, container: list }
 * Customer: { file: meta/customer.yaml }     # external file with the same structure
 * ```
 *
 * Shape errors are caught by the JSON Schema first; this module reports what a schema cannot
 * say (a default that does not convert, a bad time zone), with the path of the offending node.
 */
import { DEFAULT_DECIMAL_PRECISION, DEFAULT_DECIMAL_SCALE, FIELD_TYPES, type FieldDef, type FieldType } from './field.ts';
import { RecordType } from './record-type.ts';
import { compileTextCodec } from './text-codec.ts';

/** A field as written in YAML. */
export type FieldInput =
  | FieldType
  | {
      type: FieldType;
      container?: 'list' | 'map';
      nullable?: boolean;
      default?: unknown;
      format?: string;
      timeZone?: string;
      precision?: number;
      scale?: number;
      description?: string;
    };

/** Metadata as written: a name from the graph's `metadata:` section, or inline fields. */
export type MetadataInput = string | { name?: string; fields: Record<string, FieldInput> };

export interface MetadataProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The JSON Schema of one field declaration (used by the graph schema and metadata files). */
export const FIELD_SCHEMA = {
  anyOf: [
    { type: 'string', enum: [...FIELD_TYPES] },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: [...FIELD_TYPES] },
        container: { type: 'string', enum: ['list', 'map'] },
        nullable: { type: 'boolean', default: true },
        default: {},
        format: { type: 'string', description: 'Text form: a date pattern such as yyyy-MM-dd HH:mm:ss' },
        timeZone: { type: 'string', description: 'IANA time zone for date text forms, default UTC' },
        precision: { type: 'integer', minimum: 1, maximum: 1000, default: DEFAULT_DECIMAL_PRECISION },
        scale: { type: 'integer', minimum: 0, maximum: 1000, default: DEFAULT_DECIMAL_SCALE },
        description: { type: 'string' },
      },
      required: ['type'],
      additionalProperties: false,
    },
  ],
} as const;

export const FIELDS_SCHEMA = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: FIELD_SCHEMA,
  minProperties: 1,
} as const;

/**
 * Builds FieldDefs from their YAML form. `path` is where `fields` sits, for problem paths.
 */
export function buildFields(
  fields: Record<string, FieldInput>,
  path: readonly (string | number)[],
): { fields: FieldDef[]; problems: MetadataProblem[] } {
  const out: FieldDef[] = [];
  const problems: MetadataProblem[] = [];
  for (const [name, input] of Object.entries(fields)) {
    const spec = typeof input === 'string' ? { type: input } : input;
    let field: FieldDef = {
      name,
      type: spec.type,
      ...(spec.container ? { container: spec.container } : {}),
      nullable: spec.nullable ?? true,
      ...(spec.format !== undefined ? { format: spec.format } : {}),
      ...(spec.timeZone !== undefined ? { timeZone: spec.timeZone } : {}),
      precision: spec.precision ?? DEFAULT_DECIMAL_PRECISION,
      scale: spec.scale ?? DEFAULT_DECIMAL_SCALE,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
    };
    if (field.timeZone !== undefined && !isTimeZone(field.timeZone)) {
      problems.push({ path: [...path, name, 'timeZone'], message: `unknown time zone ${JSON.stringify(field.timeZone)} (use an IANA name such as Europe/Prague)` });
      continue;
    }
    if (field.type === 'decimal' && field.scale > field.precision) {
      problems.push({ path: [...path, name, 'scale'], message: `scale ${field.scale} is larger than precision ${field.precision}` });
      continue;
    }
    try {
      compileTextCodec(field);
    } catch (error) {
      problems.push({ path: [...path, name, 'format'], message: `field ${name}: ${(error as Error).message}` });
      continue;
    }
    if (typeof input === 'object' && input.default !== undefined && input.default !== null) {
      try {
        field = { ...field, default: convertDefault(field, input.default) };
      } catch (error) {
        problems.push({ path: [...path, name, 'default'], message: `default of field ${name} is not a valid ${describeType(field)}: ${(error as Error).message}` });
      }
    }
    out.push(field);
  }
  return { fields: out, problems };
}

/** YAML scalars arrive typed; text goes through the field's codec like any parsed value. */
function convertDefault(field: FieldDef, value: unknown): unknown {
  const codec = compileTextCodec(field);
  if (typeof value === 'string') return codec.parse(value);
  if (field.container === undefined && field.type !== 'variant') return codec.parse(String(value));
  if (field.type === 'variant') return value;
  return codec.parse(JSON.stringify(value));
}

export function describeType(field: FieldDef): string {
  const base = field.type === 'decimal' ? `decimal(${field.precision},${field.scale})` : field.type;
  return field.container ? `${field.container} of ${base}` : base;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Builds a RecordType from inline fields, throwing on the first problem (for component-declared metadata). */
export function recordTypeFromFields(name: string, fields: Record<string, FieldInput>): RecordType {
  const built = buildFields(fields, []);
  if (built.problems.length > 0) throw new Error(built.problems.map((p) => p.message).join('; '));
  return new RecordType(name, built.fields);
}
