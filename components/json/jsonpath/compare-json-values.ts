/**
 * Comparison semantics of RFC 9535 §2.3.5.2: equality (deep, numbers by value) and ordering
 * (numbers by value, strings by Unicode scalar values), with Nothing as RFC 9535 defines it.
 *
 * Numbers compare exactly across the three forms (`number`, `bigint`, `ExactNumber`): a double
 * takes part as its shortest round-trip decimal (`0.1` is 0.1), so `ExactNumber('0.10000000000000000001')`
 * is greater than `0.1` and `9007199254740993n` differs from `9007199254740992`.
 */
import { ExactNumber } from '../exact-number.ts';
import { isJsonNumber, isJsonObject, type JsonNumber, type JsonValue } from '../json-value.ts';
import { NOTHING, type ValueOrNothing } from './nothing.ts';

/** `a == b` (RFC 9535): Nothing equals only Nothing; containers compare deeply. */
export function jsonValuesEqual(a: ValueOrNothing, b: ValueOrNothing): boolean {
  if (a === NOTHING || b === NOTHING) return a === b;
  // Iterative, so deeply nested values cannot overflow the stack.
  const pending: JsonValue[] = [a, b];
  while (pending.length > 0) {
    const y = pending.pop()!;
    const x = pending.pop()!;
    if (x === y) continue;
    if (isJsonNumber(x)) {
      if (!isJsonNumber(y) || compareJsonNumbers(x, y) !== 0) return false;
      continue;
    }
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null || y instanceof ExactNumber) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push(x[i]!, y[i]!);
      continue;
    }
    if (Array.isArray(y) || !isJsonObject(x) || !isJsonObject(y)) return false;
    const names = Object.keys(x);
    if (names.length !== Object.keys(y).length) return false;
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(y, name)) return false;
      pending.push(x[name]!, y[name]!);
    }
  }
  return true;
}

/** `a < b` (RFC 9535): only numbers with numbers and strings with strings are ordered. */
export function jsonValueLessThan(a: ValueOrNothing, b: ValueOrNothing): boolean {
  if (a === NOTHING || b === NOTHING) return false;
  if (typeof a === 'string') return typeof b === 'string' && compareByCodePoint(a, b) < 0;
  if (isJsonNumber(a)) return isJsonNumber(b) && compareJsonNumbers(a, b) < 0;
  return false;
}

/** Orders strings by Unicode scalar values (JavaScript's `<` compares UTF-16 code units). */
export function compareByCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 code unit so that surrogates (code points above U+FFFF) sort after U+E000–U+FFFF. */
function codePointOrder(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** −1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export function compareJsonNumbers(a: JsonNumber, b: JsonNumber): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return compareDecimals(toDecimal(a), toDecimal(b));
}

/** value = sign × 0.d₁d₂d₃… × 10^exponent, digits without leading or trailing zeros ('' for 0). */
interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

function toDecimal(value: JsonNumber): Decimal {
  const text = value instanceof ExactNumber ? value.text : String(value);
  let negative = false;
  let i = 0;
  if (text[0] === '-') {
    negative = true;
    i = 1;
  }
  let digits = '';
  let pointAt = -1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.') pointAt = digits.length;
    else if (c === 'e' || c === 'E') break;
    else digits += c;
  }
  const exponentPart = i < text.length ? Number(text.slice(i + 1)) : 0;
  if (pointAt < 0) pointAt = digits.length;
  let lead = 0;
  while (lead < digits.length && digits[lead] === '0') lead++;
  let trail = digits.length;
  while (trail > lead && digits[trail - 1] === '0') trail--;
  const significant = digits.slice(lead, trail);
  return { negative: negative && significant !== '', digits: significant, exponent: pointAt - lead + exponentPart };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.digits === '' || b.digits === '') {
    if (a.digits === b.digits) return 0;
    const nonZero = a.digits === '' ? b : a;
    const sign = nonZero.negative ? -1 : 1;
    return a.digits === '' ? -sign : sign;
  }
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const sign = a.negative ? -1 : 1;
  if (a.exponent !== b.exponent) return a.exponent < b.exponent ? -sign : sign;
  if (a.digits === b.digits) return 0;
  return a.digits < b.digits ? -sign : sign; // same exponent: digit strings compare lexicographically
}
