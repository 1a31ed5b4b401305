/**
 * An exact decimal number: the in-memory value of `decimal` fields (SPEC §2).
 *
 * ```
 *   value = unscaled × 10^-scale        0.30  =  30n × 10^-2   (unscaled 30n, scale 2)
 * ```
 *
 * Immutable: every operation returns a new Decimal. The scale is part of the value's text form
 * (`0.30` stays `0.30`), not of its numeric identity: `compare`/`equals` treat `0.3` and `0.30` as
 * equal (unlike Java's `BigDecimal.equals`).
 *
 * `valueOf()` returns the nearest double, so user transforms can write `$in[0].amount > 100` or
 * `$in[0].amount * 2` (the result of `*` is then a plain number, no longer exact); use
 * `add`/`sub`/`mul`/`div` for exact arithmetic. Template literals and `String(d)` give the exact text.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import { quoteForMessage } from './quote-for-message.ts';

/**
 * How a result with more digits than its scale allows is rounded (Java `RoundingMode` names):
 * `half-up` rounds ties away from zero (2.345 → 2.35, -2.345 → -2.35), `half-even` to the even
 * neighbour, `half-down` towards zero, `up` away from zero, `down` towards zero (truncates),
 * `ceiling` towards +∞, `floor` towards -∞.
 */
export type RoundingMode = 'half-up' | 'half-even' | 'half-down' | 'up' | 'down' | 'ceiling' | 'floor';

/** Anything {@link Decimal.from} converts exactly. */
export type DecimalLike = Decimal | number | bigint | string;

/**
 * Largest scale a Decimal may have.
 * NOTE: a bound keeps `1e-999999999` from allocating a gigabyte-sized bigint; 10000 digits
 * after the point is far beyond any real data.
 */
export const MAX_DECIMAL_SCALE = 10_000;

/**
 * Extra digits a division without an explicit scale computes beyond the operands' larger scale,
 * before trailing zeros are dropped again (so `10.00 / 4` = `2.50`, `1 / 3` = `0.3333333333333333`).
 */
export const DIVISION_EXTRA_DIGITS = 16;

const POWERS_OF_TEN: bigint[] = [];
for (let power = 0, value = 1n; power <= 64; power++, value *= 10n) POWERS_OF_TEN.push(value);

/** 10^exponent as a bigint; cached for the small exponents every scale change uses. */
function powerOfTen(exponent: number): bigint {
  return exponent < POWERS_OF_TEN.length ? POWERS_OF_TEN[exponent]! : 10n ** BigInt(exponent);
}

function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** numerator / denominator rounded to an integer with `mode` (denominator != 0). */
function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n !== denominator < 0n;
  let awayFromZero: boolean;
  switch (mode) {
    case 'down':
      awayFromZero = false;
      break;
    case 'up':
      awayFromZero = true;
      break;
    case 'ceiling':
      awayFromZero = !negative;
      break;
    case 'floor':
      awayFromZero = negative;
      break;
    default: {
      const twiceRemainder = 2n * absolute(remainder);
      const divisor = absolute(denominator);
      if (mode === 'half-up') awayFromZero = twiceRemainder >= divisor;
      else if (mode === 'half-down') awayFromZero = twiceRemainder > divisor;
      else awayFromZero = twiceRemainder > divisor || (twiceRemainder === divisor && (quotient & 1n) === 1n);
    }
  }
  if (!awayFromZero) return quotient;
  return negative ? quotient - 1n : quotient + 1n;
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_DECIMAL_SCALE) {
    throw new TrefoilError(
      'TREFOIL_ERR_VALUE_ARITHMETIC',
      `decimal scale ${scale} is out of range (0..${MAX_DECIMAL_SCALE})`,
    );
  }
}

function notADecimal(text: string): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_VALUE_PARSE', `${quoteForMessage(text)} is not a decimal number`);
}

/** Significant digits a double holds exactly, so they can be accumulated in a number. */
const SAFE_DIGITS = 15;
/** Exponents beyond this cannot produce an acceptable scale; stops the exponent scan early. */
const EXPONENT_LIMIT = 1_000_000_000;

/**
 * Scans `[+-]digits[.digits][(e|E)[+-]digits]` (either digit run may be empty, not both).
 * Returns undefined for anything else, including surrounding blanks.
 *
 * NOTE: up to 15 digits are accumulated in a double and converted with `BigInt(number)`, which is
 * about twice as fast as `BigInt(string)` (measured 42 vs 70 ns per value on Node 20); longer
 * mantissas fall back to the string.
 */
function scanDecimal(text: string): Decimal | undefined {
  const length = text.length;
  let index = 0;
  let negative = false;
  let code = text.charCodeAt(0);
  if (code === 45 /* - */) {
    negative = true;
    index = 1;
  } else if (code === 43 /* + */) {
    index = 1;
  }
  const integerStart = index;
  let accumulated = 0;
  while (index < length && (code = text.charCodeAt(index) - 48) >= 0 && code <= 9) {
    accumulated = accumulated * 10 + code;
    index++;
  }
  const integerEnd = index;
  let fractionStart = index;
  let fractionEnd = index;
  if (index < length && text.charCodeAt(index) === 46 /* . */) {
    fractionStart = ++index;
    while (index < length && (code = text.charCodeAt(index) - 48) >= 0 && code <= 9) {
      accumulated = accumulated * 10 + code;
      index++;
    }
    fractionEnd = index;
  }
  const integerDigits = integerEnd - integerStart;
  const fractionDigits = fractionEnd - fractionStart;
  if (integerDigits + fractionDigits === 0) return undefined;
  let exponent = 0;
  if (index < length) {
    code = text.charCodeAt(index);
    if (code !== 101 /* e */ && code !== 69 /* E */) return undefined;
    index++;
    let exponentNegative = false;
    code = text.charCodeAt(index);
    if (code === 45) {
      exponentNegative = true;
      index++;
    } else if (code === 43) {
      index++;
    }
    const exponentStart = index;
    while (index < length && (code = text.charCodeAt(index) - 48) >= 0 && code <= 9) {
      if (exponent < EXPONENT_LIMIT) exponent = exponent * 10 + code;
      index++;
    }
    if (index === exponentStart || index !== length) return undefined;
    if (exponentNegative) exponent = -exponent;
  }
  let unscaled =
    integerDigits + fractionDigits <= SAFE_DIGITS
      ? BigInt(accumulated)
      : BigInt(text.slice(integerStart, integerEnd) + text.slice(fractionStart, fractionEnd));
  if (negative) unscaled = -unscaled;
  let scale = fractionDigits - exponent;
  if (scale < 0) {
    if (scale < -MAX_DECIMAL_SCALE) return undefined;
    unscaled *= powerOfTen(-scale);
    scale = 0;
  } else if (scale > MAX_DECIMAL_SCALE) {
    return undefined;
  }
  return new Decimal(unscaled, scale);
}

/** An immutable exact decimal number (see the module comment). */
export class Decimal {
  /** The digits as an integer: the value is `unscaled × 10^-scale`. */
  readonly unscaled: bigint;
  /** Digits after the decimal point, 0..{@link MAX_DECIMAL_SCALE}. */
  readonly scale: number;

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /**
   * Prefer {@link Decimal.fromUnscaled}, {@link Decimal.parse} or {@link Decimal.from}; the constructor
   * trusts its arguments (an integer scale within range).
   */
  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /**
   * `unscaled × 10^-scale`, e.g. `Decimal.fromUnscaled(30n, 2)` is `0.30`.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_ARITHMETIC` for a scale outside 0..10000
   */
  static fromUnscaled(unscaled: bigint, scale = 0): Decimal {
    checkScale(scale);
    return new Decimal(unscaled, scale);
  }

  /**
   * Parses plain (`-12.50`, `.5`, `5.`) and exponent (`1.5e3`, `2E-4`) forms exactly; the scale is
   * the number of digits after the point adjusted by the exponent (`1.50` → scale 2, `1.5e3` →
   * `1500`, scale 0). No blanks, no grouping, no `NaN`/`Infinity`.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE` for any other text
   */
  static parse(text: string): Decimal {
    const decimal = scanDecimal(text);
    if (decimal === undefined) throw notADecimal(text);
    return decimal;
  }

  /** Like {@link Decimal.parse}, but returns undefined instead of throwing. */
  static tryParse(text: string): Decimal | undefined {
    return scanDecimal(text);
  }

  /**
   * Converts exactly: a number through its shortest round-trip text (so `0.1` is `0.1`, not
   * `0.1000000000000000055…`), a bigint as an integer, a string with {@link Decimal.parse}.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE` for NaN, ±Infinity or unparseable text,
   *   `TREFOIL_ERR_VALUE_TYPE` for other kinds of value
   */
  static from(value: DecimalLike): Decimal {
    if (value instanceof Decimal) return value;
    switch (typeof value) {
      case 'number':
        if (Number.isSafeInteger(value)) return new Decimal(BigInt(value), 0);
        if (!Number.isFinite(value)) {
          throw new TrefoilError('TREFOIL_ERR_VALUE_PARSE', `${value} is not a decimal number`);
        }
        return Decimal.parse(String(value));
      case 'bigint':
        return new Decimal(value, 0);
      case 'string':
        return Decimal.parse(value);
      default:
        throw new TrefoilError(
          'TREFOIL_ERR_VALUE_TYPE',
          `cannot convert ${value === null ? 'null' : typeof value} to a decimal`,
        );
    }
  }

  /** -1, 0 or 1. */
  get sign(): -1 | 0 | 1 {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** Number of digits in the unscaled value (`0.30` → 2, `123.4` → 4, `0` → 1). */
  get precision(): number {
    const unscaled = absolute(this.unscaled);
    return unscaled < 10n ? 1 : unscaled.toString().length;
  }

  /**
   * True when this value fits a `decimal` field of `precision` total digits and `scale` digits
   * after the point once rounded (half-up) to that scale, i.e. has at most `precision - scale`
   * digits before the point. `Decimal.parse('9999999999.99').fits(12, 2)` is true,
   * `Decimal.parse('99999999999.995').fits(12, 2)` is false (it rounds to 100000000000.00).
   */
  fits(precision: number, scale: number): boolean {
    return absolute(this.setScale(scale).unscaled) < powerOfTen(precision);
  }

  /**
   * This value with exactly `scale` digits after the point: padded with zeros, or rounded with
   * `rounding`. `Decimal.parse('2.345').setScale(2)` is `2.35`; `Decimal.parse('2').setScale(2)`
   * is `2.00`.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_ARITHMETIC` for a scale outside 0..10000
   */
  setScale(scale: number, rounding: RoundingMode = 'half-up'): Decimal {
    if (scale === this.scale) return this;
    checkScale(scale);
    if (scale > this.scale) return new Decimal(this.unscaled * powerOfTen(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, powerOfTen(this.scale - scale), rounding), scale);
  }

  /** The same value without trailing fractional zeros, keeping at least `minScale` digits. */
  stripTrailingZeros(minScale = 0): Decimal {
    let unscaled = this.unscaled;
    let scale = this.scale;
    if (unscaled === 0n) return scale <= minScale ? this : new Decimal(0n, Math.max(minScale, 0));
    while (scale > minScale && unscaled % 10n === 0n) {
      unscaled /= 10n;
      scale--;
    }
    return scale === this.scale ? this : new Decimal(unscaled, scale);
  }

  /** Exact sum; the scale is the larger of the two. */
  add(other: DecimalLike): Decimal {
    const right = Decimal.from(other);
    if (this.scale === right.scale) return new Decimal(this.unscaled + right.unscaled, this.scale);
    if (this.scale > right.scale) {
      return new Decimal(this.unscaled + right.unscaled * powerOfTen(this.scale - right.scale), this.scale);
    }
    return new Decimal(this.unscaled * powerOfTen(right.scale - this.scale) + right.unscaled, right.scale);
  }

  /** Exact difference; the scale is the larger of the two. */
  sub(other: DecimalLike): Decimal {
    return this.add(Decimal.from(other).neg());
  }

  /** Exact product; the scale is the sum of the two. */
  mul(other: DecimalLike): Decimal {
    const right = Decimal.from(other);
    const scale = this.scale + right.scale;
    checkScale(scale);
    return new Decimal(this.unscaled * right.unscaled, scale);
  }

  /**
   * Quotient rounded to `scale` digits with `rounding`. Without a scale, the quotient is computed
   * to {@link DIVISION_EXTRA_DIGITS} digits beyond the operands' larger scale (half-up), then
   * trailing zeros down to that larger scale are dropped: `10.00 / 4` = `2.50`,
   * `1 / 3` = `0.3333333333333333`.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_ARITHMETIC` on division by zero
   */
  div(other: DecimalLike, scale?: number, rounding: RoundingMode = 'half-up'): Decimal {
    const right = Decimal.from(other);
    if (right.unscaled === 0n) {
      throw new TrefoilError('TREFOIL_ERR_VALUE_ARITHMETIC', `division by zero (${this.toString()} / ${right.toString()})`);
    }
    const preferred = Math.max(this.scale, right.scale);
    const resultScale = scale ?? Math.min(preferred + DIVISION_EXTRA_DIGITS, MAX_DECIMAL_SCALE);
    checkScale(resultScale);
    // this / right at resultScale = (u1 × 10^-s1) / (u2 × 10^-s2) × 10^resultScale
    const shift = resultScale - this.scale + right.scale;
    const quotient =
      shift >= 0
        ? divideRounded(this.unscaled * powerOfTen(shift), right.unscaled, rounding)
        : divideRounded(this.unscaled, right.unscaled * powerOfTen(-shift), rounding);
    const result = new Decimal(quotient, resultScale);
    return scale === undefined ? result.stripTrailingZeros(preferred) : result;
  }

  /** The negated value, same scale. */
  neg(): Decimal {
    return this.unscaled === 0n ? this : new Decimal(-this.unscaled, this.scale);
  }

  /** The absolute value, same scale. */
  abs(): Decimal {
    return this.unscaled < 0n ? new Decimal(-this.unscaled, this.scale) : this;
  }

  /** -1, 0 or 1 as this value is less than, equal to or greater than `other` (scale ignored). */
  compare(other: DecimalLike): -1 | 0 | 1 {
    const right = Decimal.from(other);
    let left = this.unscaled;
    let rightUnscaled = right.unscaled;
    if (this.scale > right.scale) rightUnscaled *= powerOfTen(this.scale - right.scale);
    else if (this.scale < right.scale) left *= powerOfTen(right.scale - this.scale);
    return left < rightUnscaled ? -1 : left > rightUnscaled ? 1 : 0;
  }

  /** Numeric equality: `0.3` equals `0.30`. Values that do not convert are not equal. */
  equals(other: unknown): boolean {
    let right: Decimal | undefined;
    if (other instanceof Decimal) right = other;
    else if (typeof other === 'string') right = scanDecimal(other);
    else if (typeof other === 'bigint' || (typeof other === 'number' && Number.isFinite(other))) right = Decimal.from(other);
    return right !== undefined && this.compare(right) === 0;
  }

  /** Plain digits keeping the scale: `0.30`, `-1234.5`, `100`. Never an exponent. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const scale = this.scale;
    if (scale === 0) return negative ? `-${digits}` : digits;
    const padded = digits.length > scale ? digits : '0'.repeat(scale - digits.length + 1) + digits;
    const point = padded.length - scale;
    const text = `${padded.slice(0, point)}.${padded.slice(point)}`;
    return negative ? `-${text}` : text;
  }

  /** The nearest double (correctly rounded). */
  toNumber(): number {
    const unscaled = this.unscaled;
    if (this.scale === 0) return Number(unscaled);
    // NOTE: both operands are exact doubles here, and one IEEE division rounds correctly.
    if (this.scale <= 22 && unscaled <= 9007199254740992n && unscaled >= -9007199254740992n) {
      return Number(unscaled) / 10 ** this.scale;
    }
    return Number(this.toString());
  }

  /** The nearest double, so relational operators and `*` work in transforms. */
  valueOf(): number {
    return this.toNumber();
  }

  /** The exact text (`JSON.stringify` then writes a string; jsonl writers emit the digits raw). */
  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Decimal(${this.toString()})`;
  }
}

/** True for a {@link Decimal}. */
export function isDecimal(value: unknown): value is Decimal {
  return value instanceof Decimal;
}
