/**
 * The canonical text of any field value, for templates, messages and text outputs without a
 * field-specific format: exact digits for long and decimal, ISO-8601 UTC with milliseconds for
 * dates, base64 for bytes, JSON for lists, maps and variants, '' for null.
 */
import { Decimal } from './decimal.ts';

export function valueToText(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
