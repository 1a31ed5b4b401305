/**
 * A small Stone type checker for route arguments: the subset of Stone's data types that the
 * fake's routes take, decoded the way Stone's JSON serializer does (defaults filled in, void
 * union members accepted as bare strings, unknown struct fields rejected). A bad argument
 * throws `StoneArgError`, which the routes turn into the real server's plain-text 400.
 */

/** A Stone data type. `pattern` is Stone's (whole-string) regular expression source. */
export type StoneType =
  | { readonly kind: 'string'; readonly pattern?: string; readonly minLength?: number; readonly maxLength?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'uint'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'list'; readonly item: StoneType }
  | { readonly kind: 'struct'; readonly fields: Readonly<Record<string, StoneField>> }
  | { readonly kind: 'union'; readonly members: Readonly<Record<string, StoneType | null>> }
  | { readonly kind: 'any' };

/** A struct field: required unless `optional` (nullable) or it has a `default`. */
export interface StoneField {
  readonly type: StoneType;
  readonly optional?: boolean;
  readonly default?: unknown;
}

/** A decoder compiled once per route argument type. */
export type StoneDecoder = (value: unknown) => unknown;

/** An argument that does not match its type; `message` is the real server's wording. */
export class StoneArgError extends Error {
  override readonly name = 'StoneArgError';
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'dict';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return typeof value;
}

function fail(path: readonly string[], message: string): never {
  throw new StoneArgError(path.length === 0 ? message : `${path.join('.')}: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type PathDecoder = (value: unknown, path: readonly string[]) => unknown;

function compile(type: StoneType): PathDecoder {
  switch (type.kind) {
    case 'any':
      return (value) => value;
    case 'boolean':
      return (value, path) => (typeof value === 'boolean' ? value : fail(path, `'${String(value)}' expected to be a boolean, got ${jsonTypeName(value)}`));
    case 'uint': {
      const min = type.min ?? 0;
      const max = type.max ?? Number.MAX_SAFE_INTEGER;
      return (value, path) => {
        if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, `'${String(value)}' expected to be an integer, got ${jsonTypeName(value)}`);
        if (value < min) fail(path, `${value} is not greater than or equal to ${min}`);
        if (value > max) fail(path, `${value} is not less than or equal to ${max}`);
        return value;
      };
    }
    case 'timestamp':
      return (value, path) => {
        if (typeof value !== 'string') fail(path, `'${String(value)}' expected to be a timestamp, got ${jsonTypeName(value)}`);
        if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) fail(path, `'${value}' does not match format '%Y-%m-%dT%H:%M:%SZ'`);
        return value;
      };
    case 'string': {
      const pattern = type.pattern === undefined ? null : new RegExp(`^(?:${type.pattern})$`);
      return (value, path) => {
        if (typeof value !== 'string') fail(path, `'${String(value)}' expected to be a string, got ${jsonTypeName(value)}`);
        if (type.minLength !== undefined && value.length < type.minLength) fail(path, `'${value}' must be at least ${type.minLength} characters, got ${value.length}`);
        if (type.maxLength !== undefined && value.length > type.maxLength) fail(path, `'${value}' must be at most ${type.maxLength} characters, got ${value.length}`);
        if (pattern !== null && !pattern.test(value)) fail(path, `'${value}' did not match pattern '${type.pattern}'`);
        return value;
      };
    }
    case 'list': {
      const item = compile(type.item);
      return (value, path) => {
        if (!Array.isArray(value)) fail(path, `'${String(value)}' expected to be a list, got ${jsonTypeName(value)}`);
        return value.map((element) => item(element, path));
      };
    }
    case 'struct':
      return compileStruct(type.fields);
    case 'union':
      return compileUnion(type.members);
  }
}

function compileStruct(fields: Readonly<Record<string, StoneField>>): PathDecoder {
  const compiled = Object.entries(fields).map(([name, field]) => ({ name, field, decode: compile(field.type) }));
  const known = new Set(Object.keys(fields));
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, `expected object, got ${jsonTypeName(value)}`);
    for (const key of Object.keys(value)) {
      if (!known.has(key) && key !== '.tag') fail(path, `unknown field '${key}'`);
    }
    const decoded: Record<string, unknown> = {};
    for (const { name, field, decode } of compiled) {
      const raw = value[name];
      if (raw === undefined || (raw === null && (field.optional === true || 'default' in field))) {
        if ('default' in field) decoded[name] = field.default;
        else if (field.optional !== true) fail(path, `missing required field '${name}'`);
        continue;
      }
      decoded[name] = decode(raw, [...path, name]);
    }
    return decoded;
  };
}

function compileUnion(members: Readonly<Record<string, StoneType | null>>): PathDecoder {
  const compiled = new Map<string, { inline: boolean; decode: PathDecoder } | null>();
  for (const [tag, type] of Object.entries(members)) {
    compiled.set(tag, type === null ? null : { inline: type.kind === 'struct', decode: compile(type) });
  }
  return (value, path) => {
    let tag: unknown;
    if (typeof value === 'string') tag = value;
    else if (isPlainObject(value)) tag = value['.tag'];
    else fail(path, `expected union (string or object with '.tag'), got ${jsonTypeName(value)}`);
    if (tag === undefined) fail(path, "missing '.tag' key");
    if (typeof tag !== 'string') fail(path, `'.tag' expected to be a string, got ${jsonTypeName(tag)}`);
    if (!compiled.has(tag)) fail(path, `unknown tag '${tag}'`);
    const member = compiled.get(tag)!;
    if (member === null) return { '.tag': tag };
    if (typeof value === 'string') fail(path, `tag '${tag}' is not a void member; use {".tag": "${tag}", "${tag}": …}`);
    const object = value as Record<string, unknown>;
    if (member.inline) {
      const { ['.tag']: _tag, ...fields } = object;
      return { '.tag': tag, ...(member.decode(fields, path) as object) };
    }
    if (object[tag] === undefined) fail(path, `missing '${tag}' key`);
    return { '.tag': tag, [tag]: member.decode(object[tag], [...path, tag]) };
  };
}

/** Compiles a type into a decoder that returns the decoded value or throws StoneArgError. */
export function compileStoneDecoder(type: StoneType): StoneDecoder {
  const decode = compile(type);
  return (value) => decode(value, []);
}
