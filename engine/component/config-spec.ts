/**
 * The configuration part of a component spec: one declaration per config key, from which the
 * JSON Schema (validation and editor completion), the TypeScript config type and the docs are
 * all derived. A component never re-validates its config: the loader validated it against the
 * schema generated here, normalised durations to milliseconds and froze it.
 */

interface FieldCommon {
  /** One or two sentences for the docs and editor hover. */
  readonly description: string;
  /** Must be present in the graph. */
  readonly required?: boolean;
  /** Never shown in logs, tracking or docs examples; values are added to the redactor. */
  readonly secret?: boolean;
  /** Replaces the generated JSON Schema fragment (escape hatch for unusual shapes). */
  readonly schema?: Record<string, unknown>;
}

export interface StringField extends FieldCommon {
  readonly type: 'string';
  readonly enum?: readonly string[];
  readonly default?: string;
}
/** A string evaluated per record with `*{field}` / `*{dict.NAME}` placeholders (SPEC §6). */
export interface TemplateField extends FieldCommon {
  readonly type: 'template';
  readonly default?: string;
}
/** JavaScript source (a function body or an expression), compiled once per run. */
export interface CodeField extends FieldCommon {
  readonly type: 'code';
  readonly default?: string;
}
export interface IntegerField extends FieldCommon {
  readonly type: 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
}
export interface NumberField extends FieldCommon {
  readonly type: 'number';
  readonly minimum?: number;
  readonly default?: number;
}
export interface BooleanField extends FieldCommon {
  readonly type: 'boolean';
  readonly default?: boolean;
}
/** CloverDX interval syntax (`500ms`, `2s`, `1m 30s`) or a number of ms; the component sees ms. */
export interface DurationField extends FieldCommon {
  readonly type: 'duration';
  readonly default?: string | number;
}
export interface MapField extends FieldCommon {
  readonly type: 'map';
  readonly values: ConfigField;
  readonly default?: Record<string, unknown>;
}
export interface ListField extends FieldCommon {
  readonly type: 'list';
  readonly items: ConfigField;
  readonly default?: readonly unknown[];
}
export interface ObjectField extends FieldCommon {
  readonly type: 'object';
  readonly properties: ConfigFields;
  readonly default?: Record<string, unknown>;
}
/** Anything; pair with `schema` to constrain it. */
export interface AnyField extends FieldCommon {
  readonly type: 'any';
  readonly default?: unknown;
}

export type ConfigField =
  | StringField
  | TemplateField
  | CodeField
  | IntegerField
  | NumberField
  | BooleanField
  | DurationField
  | MapField
  | ListField
  | ObjectField
  | AnyField;

export type ConfigFields = { readonly [key: string]: ConfigField };

// ---- The TypeScript config type derived from the declarations ----

type ValueOf<F> = F extends StringField
  ? F['enum'] extends readonly (infer E)[]
    ? E
    : string
  : F extends TemplateField | CodeField
    ? string
    : F extends IntegerField | NumberField | DurationField
      ? number
      : F extends BooleanField
        ? boolean
        : F extends MapField
          ? Record<string, ValueOf<F['values']>>
          : F extends ListField
            ? ValueOf<F['items']>[]
            : F extends ObjectField
              ? ConfigOf<F['properties']>
              : unknown;

type IsPresent<F> = F extends { required: true } ? true : F extends { default: unknown } ? true : false;

/** The frozen config a component receives: required or defaulted keys present, others optional. */
export type ConfigOf<T extends ConfigFields> = {
  readonly [K in keyof T as IsPresent<T[K]> extends true ? K : never]: ValueOf<T[K]>;
} & {
  readonly [K in keyof T as IsPresent<T[K]> extends true ? never : K]?: ValueOf<T[K]>;
};

// ---- JSON Schema generation ----

/** Pattern of a CloverDX duration: `500ms`, `2s`, `1m 30s`, `1h`, `1d`. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w)?(\\s+\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w))*\\s*$';

export function fieldSchema(field: ConfigField): Record<string, unknown> {
  if (field.schema) return { description: field.description, ...field.schema };
  const base: Record<string, unknown> = { description: field.description };
  if (field.default !== undefined) base.default = field.default;
  switch (field.type) {
    case 'string':
      return field.enum ? { ...base, type: 'string', enum: [...field.enum] } : { ...base, type: 'string' };
    case 'template':
    case 'code':
      return { ...base, type: 'string' };
    case 'integer':
      return withBounds({ ...base, type: 'integer' }, field.minimum, field.maximum);
    case 'number':
      return withBounds({ ...base, type: 'number' }, field.minimum, undefined);
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'duration':
      return { ...base, anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }] };
    case 'map':
      return { ...base, type: 'object', additionalProperties: fieldSchema(field.values) };
    case 'list':
      return { ...base, type: 'array', items: fieldSchema(field.items) };
    case 'object':
      return { ...base, ...objectSchema(field.properties) };
    case 'any':
      return base;
  }
}

/** The schema of a whole config object (or a nested `object` field). */
export function objectSchema(fields: ConfigFields): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    properties[key] = fieldSchema(field);
    if (field.required) required.push(key);
  }
  const schema: Record<string, unknown> = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) schema.required = required;
  return schema;
}

function withBounds(schema: Record<string, unknown>, minimum?: number, maximum?: number): Record<string, unknown> {
  if (minimum !== undefined) schema.minimum = minimum;
  if (maximum !== undefined) schema.maximum = maximum;
  return schema;
}

/** Walks the declarations and the values together, applying defaults and duration conversion. */
export function normaliseConfig(
  fields: ConfigFields,
  values: Record<string, unknown>,
  toMilliseconds: (value: string | number) => number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = values[key] !== undefined ? values[key] : field.default;
    if (value === undefined) continue;
    out[key] = normaliseValue(field, value, toMilliseconds);
  }
  return deepFreeze(out);
}

function normaliseValue(field: ConfigField, value: unknown, toMs: (value: string | number) => number): unknown {
  switch (field.type) {
    case 'duration':
      return toMs(value as string | number);
    case 'object':
      return normaliseConfig(field.properties, value as Record<string, unknown>, toMs);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normaliseValue(field.values, v, toMs);
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => normaliseValue(field.items, v, toMs));
    default:
      return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Paths (in config) of every `secret: true` value, so their values can be redacted. */
export function secretValues(fields: ConfigFields, values: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const value = values[key];
    if (value === undefined || value === null) continue;
    if (field.secret && typeof value === 'string' && value !== '') found.push(value);
    if (field.type === 'object' && typeof value === 'object') found.push(...secretValues(field.properties, value as Record<string, unknown>));
  }
  return found;
}
