/**
 * Conversions into field values for JSONExtract: JSON values as the streaming parser
 * materializes them (json-value.ts) into a field's representation (engine/metadata/field.ts),
 * and values copied between fields of different metadata (parent keys, input fields).
 *
 * The field's JSON codec (engine/metadata/text-codec.ts) does the work; this module only hands
 * it exact numbers in the form it reads: the parser's `ExactNumber` (whose `toJSON` is the
 * nearest double) becomes the metadata layer's, so a 20-digit number reaches a `decimal`, `long`
 * or `string` field with its digits, also inside objects written into a string field as JSON text.
 */
import { ExactNumber as FieldExactNumber } from '../../engine/metadata/exact-number.ts';
import type { FieldDef } from '../../engine/metadata/field.ts';
import { compileJsonCodec } from '../../engine/metadata/text-codec.ts';
import { ExactNumber } from './exact-number.ts';
import type { JsonValue } from './json-value.ts';

/** Converts one JSON value into the field's representation. @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE` */
export type JsonToField = (json: JsonValue) => unknown;

/** Compiles the conversion of JSON values into `field` (once per field and run). */
export function compileJsonToField(field: FieldDef): JsonToField {
  const fromJson = compileJsonCodec(field).fromJson;
  // NOTE: scalars (the common case) go straight to the codec; only objects are walked.
  return (json) => fromJson(typeof json === 'object' && json !== null ? withFieldExactNumbers(json) : json);
}

/** Copies a value of field `from` into field `to` (same type: as is; else through its JSON form). */
export type FieldCopy = (value: unknown) => unknown;

/**
 * Compiles a copy between fields of two metadata: the value as it is when both fields have the
 * same type and container (the edge's check adjusts a decimal's scale), else converted through
 * JSON (`toJson` of `from`, `fromJson` of `to`: a long into a string field is its digits, a
 * date into a string field its text form).
 */
export function compileFieldCopy(from: FieldDef, to: FieldDef): FieldCopy {
  if (from.type === to.type && from.container === to.container) return (value) => value;
  const source = compileJsonCodec(from);
  const target = compileJsonCodec(to);
  return (value) => (value === null || value === undefined ? null : target.fromJson(source.toJson(value)));
}

/**
 * `value` with every parser `ExactNumber` replaced by the metadata layer's (the same object when
 * there is none, so plain values are not copied).
 */
export function withFieldExactNumbers(value: JsonValue): unknown {
  if (value instanceof ExactNumber) return new FieldExactNumber(value.text);
  if (!containsExactNumber(value)) return value;
  if (Array.isArray(value)) return value.map(withFieldExactNumbers);
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value as object)) {
    const member = withFieldExactNumbers((value as Record<string, JsonValue>)[name]!);
    if (name === '__proto__') Object.defineProperty(copy, name, { value: member, enumerable: true, writable: true, configurable: true });
    else copy[name] = member;
  }
  return copy;
}

/** True when an `ExactNumber` occurs anywhere in `value` (iterative: any depth). */
function containsExactNumber(value: JsonValue): boolean {
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next !== 'object' || next === null) continue;
    if (next instanceof ExactNumber) return true;
    if (Array.isArray(next)) {
      for (let i = 0; i < next.length; i++) {
        const item = next[i]!;
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    } else {
      for (const name in next) {
        const item = next[name]!;
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return false;
}
