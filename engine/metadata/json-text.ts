/**
 * JSON text of in-memory values, keeping exact numbers exact: bigints, Decimals and
 * ExactNumbers are written as raw digits (`12345678901234567890`, `0.30`), which
 * `JSON.stringify` cannot do on Node 20.
 */
import { Decimal } from './decimal.ts';
import { ExactNumber } from './exact-number.ts';

/**
 * JSON text of `value`, like `JSON.stringify` (undefined properties are left out, undefined and
 * null become `null`, `toJSON` is honoured) with these additions: bigint, Decimal and ExactNumber
 * are raw digits; a Date is its ISO-8601 string; bytes (Uint8Array) are a base64 string;
 * NaN and ±Infinity are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (not `null`, which would
 * lose them).
 */
export function writeJsonText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `"${value}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
  }
  if (value === null) return 'null';
  if (value instanceof Decimal) return value.toString();
  if (value instanceof ExactNumber) return value.text;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += writeJsonText(value[index]);
    }
    return `${text}]`;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return writeJsonText(withToJson.toJSON());
  let text = '{';
  let first = true;
  for (const key of Object.keys(value as object)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (!first) text += ',';
    first = false;
    text += `${JSON.stringify(key)}:${writeJsonText(member)}`;
  }
  return `${text}}`;
}
