/** Helpers that feed bytes in pieces and compare materialized JSON values with plain ones. */
import { ExactNumber } from '../../../components/json/exact-number.ts';

/** Splits `bytes` into pieces of `size` bytes (the last may be shorter). */
export function* chunksOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/**
 * Converts bigint and ExactNumber to the double `JSON.parse` would give, so values materialized
 * with number fidelity can be compared with plain JSON values.
 */
export function asPlainJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof ExactNumber) return value.valueOf();
  if (Array.isArray(value)) return value.map(asPlainJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      Object.defineProperty(out, name, { value: asPlainJson(member), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
