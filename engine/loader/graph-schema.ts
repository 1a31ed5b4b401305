/**
 * JSON Schemas of the graph file, generated from the component specs (STYLE: the spec is the
 * single source of truth). `graphFileSchema(registry)` is what `schemas/graph.schema.json`
 * holds for editors (yaml-language-server) — every built-in type with its config; the loader
 * validates the same structure in two steps so that each problem lands on the right node:
 * the file's structure (`structureSchema`), then each component's config (`componentSchema`).
 */
import { objectSchema } from '../component/config-spec.ts';
import type { ComponentDefinition } from '../component/define-component.ts';
import { FIELDS_SCHEMA, FIELD_SCHEMA } from '../metadata/metadata-definition.ts';
import { FIELD_TYPES } from '../metadata/field.ts';

export const ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
export const PARAMETER_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** `node`, `node:3` or `node:name`. */
export const PORT_REF_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*(:[A-Za-z0-9_-]+)?$';

export const RESERVED_COMPONENT_KEYS = ['type', 'phase', 'enabled', 'description'] as const;

const PARAMETER_SCHEMA = {
  anyOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    {
      type: 'object',
      properties: {
        default: { type: ['string', 'number', 'boolean', 'null'] },
        description: { type: 'string' },
        type: { type: 'string', enum: ['string', 'integer', 'number', 'boolean'] },
        secure: { type: 'boolean', description: 'Masked everywhere; stored encrypted (enc:v1:) in params files.' },
        required: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  ],
};

const DICTIONARY_ENTRY_SCHEMA = {
  anyOf: [
    { type: 'string', enum: [...FIELD_TYPES] },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: [...FIELD_TYPES] },
        container: { type: 'string', enum: ['list', 'map'] },
        default: {},
        description: { type: 'string' },
        format: { type: 'string' },
        timeZone: { type: 'string' },
        precision: { type: 'integer', minimum: 1 },
        scale: { type: 'integer', minimum: 0 },
      },
      required: ['type'],
      additionalProperties: false,
    },
  ],
};

const METADATA_SCHEMA = {
  anyOf: [
    {
      type: 'object',
      properties: { fields: FIELDS_SCHEMA, description: { type: 'string' } },
      required: ['fields'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { file: { type: 'string', description: 'Path of a YAML file with `fields:`, relative to the graph file.' } },
      required: ['file'],
      additionalProperties: false,
    },
  ],
};

const EDGE_SCHEMA = {
  type: 'object',
  properties: {
    from: { type: 'string', pattern: PORT_REF_PATTERN, description: 'Producer port: node, node:N or node:name.' },
    to: { type: 'string', pattern: PORT_REF_PATTERN, description: 'Consumer port: node, node:N or node:name.' },
    metadata: {
      description: 'Name of a metadata declared under metadata:, or inline fields. Optional where it propagates.',
      anyOf: [{ type: 'string' }, { type: 'object', properties: { fields: FIELDS_SCHEMA }, required: ['fields'], additionalProperties: false }],
    },
    buffer: { type: 'integer', minimum: 1, description: 'Capacity of the edge in records (backpressure bound).' },
    type: { type: 'string', enum: ['direct', 'buffered'], description: 'buffered: unbounded, spills to a temporary file.' },
    description: { type: 'string' },
  },
  required: ['from', 'to'],
  additionalProperties: false,
};

const RESERVED_PROPERTIES = {
  type: { type: 'string', description: 'Component type (FileReader, Reformat, …) or a module path (./my-component.ts).' },
  phase: { type: 'integer', minimum: 0, default: 0, description: 'Phases run in ascending order.' },
  enabled: { type: 'boolean', default: true, description: 'false removes the node (one-in/one-out nodes become a pass-through edge).' },
  description: { type: 'string' },
};

let structure: Record<string, unknown> | undefined;

/**
 * The file's structure; each component is checked only for its reserved keys here. One object
 * for the process, so ajv compiles it once (schema-check caches validators per schema object).
 */
export function structureSchema(): Record<string, unknown> {
  structure ??= graphSchema({ type: 'object', properties: RESERVED_PROPERTIES, required: ['type'] });
  return structure;
}

/** The schema of one component entry of a given type: reserved keys plus its config. */
export function componentSchema(definition: ComponentDefinition): Record<string, unknown> {
  const config = objectSchema(definition.config) as { properties: Record<string, unknown>; required?: string[] };
  return {
    type: 'object',
    description: definition.summary,
    properties: { ...RESERVED_PROPERTIES, type: { const: definition.type }, ...config.properties },
    ...(config.required ? { required: ['type', ...config.required] } : { required: ['type'] }),
    additionalProperties: false,
  };
}

/** The committed editor schema: the structure, with one branch per built-in type. */
export function graphFileSchema(definitions: readonly ComponentDefinition[]): Record<string, unknown> {
  const byType = definitions.map((definition) => ({
    if: { properties: { type: { const: definition.type } }, required: ['type'] },
    then: componentSchema(definition),
  }));
  const schema = graphSchema({
    type: 'object',
    properties: RESERVED_PROPERTIES,
    required: ['type'],
    allOf: byType,
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated by `npm run gen` from the component specs — do not edit.',
    title: 'Trefoil graph',
    ...schema,
  };
}

function graphSchema(componentEntry: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      graph: { type: 'string', pattern: ID_PATTERN, description: 'Graph id.' },
      description: { type: 'string' },
      plugins: { type: 'array', items: { type: 'string' }, description: 'Modules that export custom components.' },
      parameters: { type: 'object', propertyNames: { pattern: PARAMETER_NAME_PATTERN }, additionalProperties: PARAMETER_SCHEMA },
      dictionary: { type: 'object', propertyNames: { pattern: PARAMETER_NAME_PATTERN }, additionalProperties: DICTIONARY_ENTRY_SCHEMA },
      metadata: { type: 'object', propertyNames: { pattern: ID_PATTERN }, additionalProperties: METADATA_SCHEMA },
      components: { type: 'object', propertyNames: { pattern: ID_PATTERN }, additionalProperties: componentEntry, minProperties: 1 },
      edges: { type: 'array', items: EDGE_SCHEMA },
    },
    required: ['graph', 'components'],
    additionalProperties: false,
  };
}

/** Schema of an external metadata file. */
export const METADATA_FILE_SCHEMA = {
  type: 'object',
  properties: { fields: FIELDS_SCHEMA, description: { type: 'string' } },
  required: ['fields'],
  additionalProperties: false,
};

export { FIELD_SCHEMA };
