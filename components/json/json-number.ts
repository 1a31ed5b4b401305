/**
 * Number fidelity: which JavaScript value a JSON number literal becomes (shared by the JSON
 * parser and JSONPath number literals so both agree).
 *
 * - integer literal (no fraction, no exponent) within ±(2^53−1): `number` (`-0` stays `-0`);
 * - integer literal beyond that: `bigint`;
 * - any other literal with at most 15 significant digits whose value a double holds (not
 *   ±Infinity, not flushed to 0): `number` — 15 digits always survive a round trip through a
 *   double;
 * - otherwise: `ExactNumber`, keeping the text.
 */
import { ExactNumber } from './exact-number.ts';
import type { JsonNumber } from './json-value.ts';

/** Significant digits a double always reproduces exactly (DBL_DIG). */
export const EXACT_DOUBLE_DIGITS = 15;

/**
 * Converts a valid RFC 8259 number literal (not re-validated) to its materialized form.
 * @example jsonNumberFromText('12345678901234567890') // 12345678901234567890n
 */
export function jsonNumberFromText(text: string): JsonNumber {
  let isInteger = true;
  let mantissaEnd = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e /* . */) {
      isInteger = false;
    } else if (c === 0x65 /* e */ || c === 0x45 /* E */) {
      isInteger = false;
      mantissaEnd = i;
      break;
    }
  }
  if (isInteger) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  // Significant digits: from the first non-zero digit to the last non-zero one, so trailing
  // zeros (`1.50000000000000000000`) do not force an ExactNumber.
  let digitsSinceFirstNonZero = 0;
  let significantDigits = 0;
  for (let i = 0; i < mantissaEnd; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || (c === 0x30 && digitsSinceFirstNonZero === 0)) continue;
    digitsSinceFirstNonZero++;
    if (c !== 0x30) significantDigits = digitsSinceFirstNonZero;
  }
  if (significantDigits > EXACT_DOUBLE_DIGITS) return new ExactNumber(text);
  const value = Number(text);
  if (!Number.isFinite(value) || (value === 0 && significantDigits > 0)) return new ExactNumber(text);
  return value;
}
