/**
 * RecordType: the compiled form of one metadata (an ordered list of fields).
 *
 * Records are plain objects with exactly the metadata's fields, in order. Two pieces of code
 * are generated once per metadata (not per record, and not a generic per-field interpreter):
 *
 * - `create()` returns a fresh record with every field null or its default, always with the
 *   same property order so V8 gives every record of one metadata the same hidden class;
 * - `conform(record)` checks a record written to an edge against the metadata, normalising
 *   the few values with one canonical form (a bigint `long` in the safe range becomes a number,
 *   a decimal gets the field's scale, `undefined` becomes the default or null). It returns null
 *   when the record conforms, else the first problem.
 */
import { Decimal } from './decimal.ts';
import type { FieldDef } from './field.ts';

export type DataRecord = Record<string, unknown>;

/** Why a record does not conform to its metadata. */
export interface ConformanceProblem {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class RecordType {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /** A fresh record: every field null or its default. */
  readonly create: () => DataRecord;
  /** Null when `record` conforms (after normalising in place), else the first problem. */
  readonly conform: (record: DataRecord) => ConformanceProblem | null;
  readonly #indexByName: ReadonlyMap<string, number>;

  constructor(name: string, fields: readonly FieldDef[]) {
    this.name = name;
    this.fields = Object.freeze([...fields]);
    this.#indexByName = new Map(fields.map((field, index) => [field.name, index]));
    this.create = compileFactory(this.fields);
    this.conform = compileConformance(this.fields);
  }

  has(name: string): boolean {
    return this.#indexByName.has(name);
  }

  field(name: string): FieldDef | undefined {
    const index = this.#indexByName.get(name);
    return index === undefined ? undefined : this.fields[index];
  }

  get fieldNames(): string[] {
    return this.fields.map((field) => field.name);
  }

  /**
   * True when records of `other` are valid records of this type as they are: same field names
   * in the same order with the same types and options. Records forwarded between such
   * metadata are not checked again.
   */
  accepts(other: RecordType): boolean {
    if (other === this) return true;
    if (other.fields.length !== this.fields.length) return false;
    return this.fields.every((field, index) => sameField(field, other.fields[index]!));
  }
}

function sameField(a: FieldDef, b: FieldDef): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.container === b.container &&
    (a.nullable || !b.nullable) &&
    (a.type !== 'decimal' || (a.scale === b.scale && a.precision >= b.precision))
  );
}

function compileFactory(fields: readonly FieldDef[]): () => DataRecord {
  const defaults = fields.map((field) => field.default);
  const body = fields
    .map((field, index) => {
      const key = JSON.stringify(field.name);
      if (field.default === undefined || field.default === null) return `${key}: null`;
      // Mutable defaults (lists, maps, variants, bytes) are copied so records never share them.
      const mutable = typeof field.default === 'object' && !(field.default instanceof Date) && !(field.default instanceof Decimal);
      return mutable ? `${key}: clone(d[${index}])` : `${key}: d[${index}]`;
    })
    .join(', ');
  return new Function('d', 'clone', `"use strict"; return function create() { return { ${body} }; };`)(
    defaults,
    structuredClone,
  ) as () => DataRecord;
}

/** A check for one value of a field's element type: null when fine, else a message. */
type ValueCheck = (value: unknown) => { ok: true; value: unknown } | { ok: false; message: string };

function compileConformance(fields: readonly FieldDef[]): (record: DataRecord) => ConformanceProblem | null {
  const checks: ValueCheck[] = fields.map(fieldCheck);
  const defaults = fields.map((field) => field.default ?? null);
  const lines: string[] = ['"use strict";', 'return function conform(r) {', '  let v, c;'];
  // NOTE: the common case (a value of the right type, or null) costs one load and one or two
  // inline tests per field; everything else — undefined, values to normalise, errors — takes
  // the slow path (measured with test/bench/engine-bench.ts: this check runs on every edge).
  fields.forEach((field, index) => {
    const key = JSON.stringify(field.name);
    const inline = field.container === undefined ? inlineTest(field.type) : undefined;
    const nullCase = field.nullable ? '' : ` return problem(${key}, v, 'is null but the field is not nullable');`;
    lines.push(`  v = r[${key}];`);
    lines.push(`  if (v === null) {${nullCase} }`);
    lines.push(`  else if (${inline ? `!(${inline})` : 'true'}) {`);
    lines.push(`    if (v === undefined) { v = r[${key}] = defaults[${index}]; if (v === null) {${nullCase} } }`);
    lines.push(`    else { c = checks[${index}](v); if (!c.ok) return problem(${key}, v, c.message); if (c.value !== v) r[${key}] = c.value; }`);
    lines.push('  }');
  });
  lines.push('  return null;', '};');
  const problem = (field: string, value: unknown, message: string): ConformanceProblem => ({ field, value, message });
  return new Function('checks', 'defaults', 'problem', lines.join('\n'))(checks, defaults, problem) as (
    record: DataRecord,
  ) => ConformanceProblem | null;
}

/**
 * The fast path for scalar types, inlined into the generated code; when it fails the full
 * check runs, which either normalises the value or explains the problem.
 */
function inlineTest(type: FieldDef['type']): string | undefined {
  switch (type) {
    case 'string':
      return "typeof v === 'string'";
    case 'integer':
      return "typeof v === 'number' && (v | 0) === v";
    case 'long':
      return "typeof v === 'number' && Math.floor(v) === v && v <= 9007199254740991 && v >= -9007199254740991";
    case 'number':
      return "typeof v === 'number'";
    case 'boolean':
      return "typeof v === 'boolean'";
    default:
      return undefined;
  }
}

function fieldCheck(field: FieldDef): ValueCheck {
  const element = elementCheck(field);
  if (field.container === 'list') {
    return (value) => {
      if (!Array.isArray(value)) return { ok: false, message: `must be a list, got ${describe(value)}` };
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item === null || item === undefined) continue;
        const result = element(item);
        if (!result.ok) return { ok: false, message: `element ${i} ${result.message}` };
        if (result.value !== item) (copy ??= [...value])[i] = result.value;
      }
      return { ok: true, value: copy ?? value };
    };
  }
  if (field.container === 'map') {
    return (value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        return { ok: false, message: `must be a map, got ${describe(value)}` };
      }
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined) continue;
        const result = element(item);
        if (!result.ok) return { ok: false, message: `entry ${JSON.stringify(key)} ${result.message}` };
        if (result.value !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = result.value;
      }
      return { ok: true, value: copy ?? value };
    };
  }
  return element;
}

function elementCheck(field: FieldDef): ValueCheck {
  const fail = (expected: string) => (value: unknown) => ({ ok: false as const, message: `must be ${expected}, got ${describe(value)}` });
  switch (field.type) {
    case 'string': {
      const bad = fail('a string');
      return (v) => (typeof v === 'string' ? { ok: true, value: v } : bad(v));
    }
    case 'integer': {
      const bad = fail('a 32-bit integer');
      return (v) => (typeof v === 'number' && (v | 0) === v ? { ok: true, value: v } : bad(v));
    }
    case 'long': {
      const bad = fail('a 64-bit integer (a safe-integer number or a bigint)');
      return (v) => {
        if (typeof v === 'number') return Number.isSafeInteger(v) ? { ok: true, value: v } : bad(v);
        if (typeof v === 'bigint') {
          if (v < INT64_MIN || v > INT64_MAX) return { ok: false, message: `is outside the 64-bit range: ${v}` };
          const asNumber = Number(v);
          return { ok: true, value: Number.isSafeInteger(asNumber) ? asNumber : v };
        }
        return bad(v);
      };
    }
    case 'number': {
      const bad = fail('a number');
      return (v) => (typeof v === 'number' ? { ok: true, value: v } : bad(v));
    }
    case 'boolean': {
      const bad = fail('a boolean');
      return (v) => (typeof v === 'boolean' ? { ok: true, value: v } : bad(v));
    }
    case 'decimal':
      return decimalCheck(field);
    case 'date': {
      const bad = fail('a valid Date');
      return (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? { ok: true, value: v } : bad(v));
    }
    case 'bytes': {
      const bad = fail('bytes (a Uint8Array)');
      return (v) => (v instanceof Uint8Array ? { ok: true, value: v } : bad(v));
    }
    case 'variant': {
      const bad = fail('a JSON value');
      return (v) => (typeof v === 'function' || typeof v === 'symbol' ? bad(v) : { ok: true, value: v });
    }
  }
}

/** Decimals take the field's scale; numbers and bigints convert exactly; too many digits fail. */
function decimalCheck(field: FieldDef): ValueCheck {
  const { scale, precision } = field;
  const limit = 10n ** BigInt(precision);
  return (v) => {
    let decimal: Decimal;
    if (v instanceof Decimal) decimal = v;
    else if (typeof v === 'number' || typeof v === 'bigint') {
      if (typeof v === 'number' && !Number.isFinite(v)) return { ok: false, message: `must be a finite decimal, got ${v}` };
      decimal = Decimal.from(v);
    } else return { ok: false, message: `must be a decimal, got ${describe(v)}` };
    const scaled = decimal.scale === scale ? decimal : decimal.setScale(scale);
    const unscaled = scaled.unscaled < 0n ? -scaled.unscaled : scaled.unscaled;
    if (unscaled >= limit) {
      return { ok: false, message: `${scaled.toString()} does not fit decimal(${precision},${scale})` };
    }
    return { ok: true, value: scaled };
  };
}

/** A short, safe description of a value for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value instanceof Date) return `date ${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}`;
  if (value instanceof Decimal) return `decimal ${value.toString()}`;
  if (value instanceof Uint8Array) return `bytes (${value.length})`;
  if (Array.isArray(value)) return `list (${value.length})`;
  return typeof value === 'object' ? 'object' : typeof value;
}
