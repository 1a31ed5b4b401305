/**
 * JSON Schema of the `trefoil serve` config file (SPEC §9). Shapes and types only; what a schema
 * says badly (exactly one of every/cron/at, valid durations and cron expressions, unique ids,
 * event parameter references) is checked in `server-config.ts` with positioned messages.
 */

const ID = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'Unique id; run history and the API refer to the trigger by it.' };
const DURATION = {
  type: ['string', 'integer'],
  minimum: 1,
  description: 'CloverDX interval: `500ms`, `30s`, `5m`, `1h 30m`, `1d`; a bare number is milliseconds.',
};
const PARAMETERS = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: { type: ['string', 'number', 'boolean'] },
  description: 'Graph parameters of the run; `${EVENT_…}` references take the event values.',
};
const OVERLAP = { enum: ['skip', 'queue', 'parallel'], description: 'What to do when the trigger fires while its previous run is still active.' };

const TRIGGER_PROPERTIES = {
  id: ID,
  description: { type: 'string' },
  graph: { type: 'string', minLength: 1, description: 'Graph file to run (relative to the working directory).' },
  parameters: PARAMETERS,
  params: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'Params files for every run of this trigger (as `--params`, later files win; secure values decrypted with TREFOIL_MASTER_PASSWORD); `parameters` take precedence.',
  },
  overlap: OVERLAP,
  enabled: { type: 'boolean' },
};

export const SERVER_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Trefoil server config',
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        dataDir: { type: 'string', minLength: 1 },
        maxConcurrentRuns: { type: 'integer', minimum: 1 },
        graphRoots: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Directories whose graph files the API lists and may run (relative to the working directory). @default [graphs]',
        },
        retention: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxAgeDays: { type: 'number', exclusiveMinimum: 0 },
            maxRuns: { type: 'integer', minimum: 1 },
          },
        },
        token: {
          type: 'object',
          additionalProperties: false,
          properties: {
            env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            param: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            paramsFile: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    schedules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'graph'],
        properties: {
          ...TRIGGER_PROPERTIES,
          every: DURATION,
          cron: { type: 'string', minLength: 1 },
          at: { type: 'string', minLength: 1 },
          timezone: { type: 'string', minLength: 1 },
        },
      },
    },
    listeners: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'path', 'graph'],
        properties: {
          ...TRIGGER_PROPERTIES,
          path: { type: 'string', minLength: 1 },
          pattern: { type: 'string', minLength: 1 },
          recursive: { type: 'boolean' },
          events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['added', 'changed', 'removed'] } },
          stableChecks: { type: 'integer', minimum: 0 },
          interval: DURATION,
          ignoreEmpty: { type: 'boolean' },
          group: { type: 'boolean' },
        },
      },
    },
  },
} as const;
