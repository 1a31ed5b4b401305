/**
 * Conversions between field values and their text and JSON forms, compiled once per field
 * (SPEC §2 and §7 "Precise behaviours"). Readers (CSV, text, JSON) parse with them; writers
 * format with them.
 *
 * Text → value (`parse`):
 *
 * | type    | accepts                                                                           |
 * |---------|-----------------------------------------------------------------------------------|
 * | string  | the text as it is                                                                  |
 * | integer | `[+-]digits` within 32 bits; fractions and overflow are errors                    |
 * | long    | `[+-]digits` within 64 bits: a number when safe (|v| ≤ 2^53-1), else a bigint     |
 * | number  | decimal or exponent notation, `NaN`, `Infinity`, `-Infinity`                      |
 * | decimal | exact digits, rounded half-up to the field's scale; too many integer digits for its precision is an error |
 * | boolean | `true`/`false`, `yes`/`no`, `y`/`n`, `t`/`f`, `1`/`0`, in any letter case         |
 * | date    | the field's `format` in its `timeZone`, else ISO-8601                             |
 * | bytes   | base64 (standard or URL-safe alphabet, padding optional)                          |
 * | variant | JSON text                                                                         |
 * | list / map | JSON text (array / object); elements convert like JSON values of the element type |
 *
 * Blanks around non-string values are ignored; empty (or blank) text is null for every type but
 * string. Integer, long, number and decimal fields with a `format` use a DecimalFormat pattern
 * (see number-format.ts). Nullability and defaults are the record layer's business: `parse`
 * returns null, it does not reject it.
 *
 * Value → text (`format`): null is `''`; long and decimal are exact digits, decimals with the
 * field's scale (`0.30`); dates are ISO-8601 UTC with milliseconds unless the field has a
 * `format`; bytes are base64; variants, lists and maps are JSON text.
 *
 * NOTE: CloverDX's default boolean patterns accept `true|T|TRUE|YES|Y|t|1|yes|y` (and the
 * matching false set) case-sensitively; Trefoil accepts the same words in any case (`True`,
 * `Yes`). A boolean `format` (CloverDX's true/false regular expressions) is not supported.
 *
 * JSON (`toJson`, `fromJson`, `writeJson`): long and decimal values are exact JSON numbers.
 * `writeJson` returns JSON text with their digits raw; `toJson` returns a JSON-compatible tree
 * where they are {@link ExactNumber}s (write it with `writeJsonText`). `fromJson` accepts what a
 * JSON reader produces: plain JSON values, bigints, and `{ text }` exact numbers for numeric
 * fields; strings convert like text (`"2024-01-31"` into a date field, `"12"` into an integer).
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import type { FieldDef } from './field.ts';
import { Decimal } from './decimal.ts';
import { compileDateFormat } from './date-format.ts';
import { ExactNumber, isExactNumberLike } from './exact-number.ts';
import { ExactJsonSyntaxError, parseExactJson } from './exact-json.ts';
import { writeJsonText } from './json-text.ts';
import { compileNumberFormat, type NumberFormat } from './number-format.ts';
import { quoteForMessage } from './quote-for-message.ts';

/** Text form of one field's values. */
export interface TextCodec {
  /**
   * The value of `text` in the field's representation (see field.ts); null for empty text
   * (except string fields, where it is `''`).
   * @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE` with a message naming the text and the
   *   problem (callers add the record and field)
   */
  parse(text: string): unknown;
  /**
   * The text of `value`; `''` for null and undefined.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_TYPE` when the value is not of the field's type
   */
  format(value: unknown): string;
}

/** JSON form of one field's values. */
export interface JsonCodec {
  /**
   * The field value of a JSON value (see the module comment for what is accepted).
   * @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE`
   */
  fromJson(json: unknown): unknown;
  /** A JSON-compatible tree; exact numbers (long beyond 2^53, decimals) as {@link ExactNumber}. */
  toJson(value: unknown): unknown;
  /** JSON text of the value, exact numbers as raw digits (`0.30`, `12345678901234567890`). */
  writeJson(value: unknown): string;
}

/** Everything one field type knows about its forms; containers compose it. */
interface ScalarCodec {
  /** Type name for messages: `integer`, `decimal(12,2)`. */
  readonly label: string;
  /** Text (trimmed, non-empty unless string) → value. */
  parseText(text: string): unknown;
  formatText(value: unknown): string;
  fromJson(json: unknown): unknown;
  toJson(value: unknown): unknown;
  writeJson(value: unknown): string;
}

function parseError(message: string): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_VALUE_PARSE', message);
}

/** Short description of a value of unexpected kind, for messages. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `the date ${value.toISOString()}`;
  if (value instanceof Decimal) return `the decimal ${value.toString()}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  switch (typeof value) {
    case 'string':
      return `the string ${quoteForMessage(value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function typeError(label: string, value: unknown): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_VALUE_TYPE', `expected ${label} value, got ${describeValue(value)}`);
}

function jsonError(label: string, json: unknown): TrefoilError {
  return parseError(`expected ${label}, got ${describeValue(json)}`);
}

function article(label: string): string {
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}

// ---------------------------------------------------------------------------------------------
// Integers

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `[+-]digits` as a number when it has at most 15 digits, as a bigint when longer, undefined when
 * the text is not an integer. NOTE: a char loop, ~3× faster than a regex plus Number().
 */
function scanInteger(text: string): number | bigint | undefined {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) index = 1;
  if (index === length) return undefined;
  let value = 0;
  for (let position = index; position < length; position++) {
    const digit = text.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  if (length - index <= 15) return first === 45 ? 0 - value : value; // 0 - 0 is +0, never -0
  return BigInt(text);
}

function integerCodec(numberFormat: NumberFormat | undefined): ScalarCodec {
  const label = 'integer';
  const range = `out of the integer range (${INT32_MIN}..${INT32_MAX})`;
  const fromScanned = (text: string, scanned: number | bigint | undefined): number => {
    if (scanned === undefined) throw notAnInteger(text, 'an integer');
    if (typeof scanned === 'bigint' || scanned < INT32_MIN || scanned > INT32_MAX) throw parseError(`${quoteForMessage(text)} is ${range}`);
    return scanned;
  };
  const parseText = numberFormat === undefined
    ? (text: string) => fromScanned(text, scanInteger(text))
    : (text: string) => fromScanned(text, integralOf(numberFormat.parse(text)));
  const fromExact = (text: string): number => {
    const scanned = scanJsonInteger(text);
    if (scanned === undefined) throw notAnInteger(text, 'an integer', text);
    return fromScanned(text, scanned);
  };
  const check = (value: unknown): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
    throw typeError('an integer', value);
  };
  return {
    label,
    parseText,
    formatText: numberFormat === undefined ? (value) => String(check(value)) : (value) => numberFormat.format(Decimal.from(check(value))),
    fromJson(json) {
      if (typeof json === 'number') {
        if (!Number.isInteger(json)) throw parseError(`${json} is not an integer (fractions are not allowed)`);
        if (json < INT32_MIN || json > INT32_MAX) throw parseError(`${json} is ${range}`);
        return json === 0 ? 0 : json; // no -0
      }
      if (typeof json === 'bigint') return fromScanned(String(json), json);
      if (typeof json === 'string') return parseText(json.trim());
      if (isExactNumberLike(json)) return fromExact(json.text);
      throw jsonError(article(label), json);
    },
    toJson: check,
    writeJson: (value) => String(check(value)),
  };
}

/** `"1.5" is not an integer (fractions are not allowed)`, or without the reason for other junk. */
function notAnInteger(text: string, what: string, shown = quoteForMessage(text)): TrefoilError {
  const decimal = Decimal.tryParse(text);
  const fractional = decimal !== undefined && decimal.stripTrailingZeros().scale > 0;
  return parseError(`${shown} is not ${what}${fractional ? ' (fractions are not allowed)' : ''}`);
}

/** An integer JSON number literal; `1.0` and `1e3` count, as they do after `JSON.parse`. */
function scanJsonInteger(text: string): number | bigint | undefined {
  return scanInteger(text) ?? integralOf(Decimal.tryParse(text));
}

/** The integer a formatted number denotes: a number when safe, else bigint; undefined if none. */
function integralOf(decimal: Decimal | undefined): number | bigint | undefined {
  if (decimal === undefined) return undefined;
  const integral = decimal.stripTrailingZeros();
  if (integral.scale !== 0) return undefined;
  const unscaled = integral.unscaled;
  return unscaled >= -9007199254740991n && unscaled <= 9007199254740991n ? Number(unscaled) : unscaled;
}

/** A long value in its representation: number when safe, bigint otherwise. */
function normalizeLong(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

function longCodec(numberFormat: NumberFormat | undefined): ScalarCodec {
  const label = 'long';
  const range = `out of the long range (${INT64_MIN}..${INT64_MAX})`;
  const fromScanned = (text: string, scanned: number | bigint | undefined): number | bigint => {
    if (scanned === undefined) throw notAnInteger(text, 'a long integer');
    if (typeof scanned === 'number') return scanned === 0 ? 0 : scanned;
    if (scanned < INT64_MIN || scanned > INT64_MAX) throw parseError(`${quoteForMessage(text)} is ${range}`);
    return normalizeLong(scanned);
  };
  const parseText = numberFormat === undefined
    ? (text: string) => fromScanned(text, scanInteger(text))
    : (text: string) => fromScanned(text, integralOf(numberFormat.parse(text)));
  const fromExact = (text: string): number | bigint => {
    const scanned = scanJsonInteger(text);
    if (scanned === undefined) throw notAnInteger(text, 'a long integer', text);
    return fromScanned(text, scanned);
  };
  const check = (value: unknown): number | bigint => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
    throw typeError('a long', value);
  };
  return {
    label,
    parseText,
    formatText: numberFormat === undefined ? (value) => String(check(value)) : (value) => numberFormat.format(Decimal.from(check(value))),
    fromJson(json) {
      if (typeof json === 'number') {
        if (!Number.isInteger(json)) throw parseError(`${json} is not a long integer (fractions are not allowed)`);
        if (!Number.isSafeInteger(json)) {
          throw parseError(`${json} is beyond 2^53 and may already have lost precision; read it as an exact number`);
        }
        return json === 0 ? 0 : json;
      }
      if (typeof json === 'bigint') return fromScanned(String(json), json);
      if (typeof json === 'string') return parseText(json.trim());
      if (isExactNumberLike(json)) return fromExact(json.text);
      throw jsonError(article(label), json);
    },
    toJson: (value) => {
      const long = check(value);
      return typeof long === 'bigint' ? new ExactNumber(long.toString()) : long;
    },
    writeJson: (value) => String(check(value)),
  };
}

// ---------------------------------------------------------------------------------------------
// Floating point and decimals

/** Characters a decimal or exponent literal may contain; Number() alone also takes hex, `0b`, blanks. */
function isPlainNumberText(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isDigit = code >= 48 && code <= 57;
    if (!isDigit && code !== 46 && code !== 43 && code !== 45 && code !== 101 && code !== 69) return false;
  }
  return true;
}

function numberCodec(numberFormat: NumberFormat | undefined): ScalarCodec {
  const label = 'number';
  const parsePlain = (text: string): number => {
    const value = Number(text);
    if (!Number.isNaN(value) && isPlainNumberText(text)) return value;
    if (text === 'NaN') return Number.NaN;
    if (text === 'Infinity' || text === '+Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    throw parseError(`${quoteForMessage(text)} is not a number`);
  };
  const parseText = numberFormat === undefined
    ? parsePlain
    : (text: string): number => {
        const decimal = numberFormat.parse(text);
        if (decimal === undefined) throw parseError(`${quoteForMessage(text)} is not a number in the format ${JSON.stringify(numberFormat.pattern)}`);
        return decimal.toNumber();
      };
  const check = (value: unknown): number => {
    if (typeof value === 'number') return value;
    throw typeError('a number', value);
  };
  return {
    label,
    parseText,
    formatText: numberFormat === undefined
      ? (value) => String(check(value))
      : (value) => {
          const number = check(value);
          return Number.isFinite(number) ? numberFormat.format(Decimal.from(number)) : String(number);
        },
    fromJson(json) {
      if (typeof json === 'number') return json;
      if (typeof json === 'bigint') return Number(json);
      if (typeof json === 'string') return parseText(json.trim());
      if (isExactNumberLike(json)) return parsePlain(json.text);
      throw jsonError(article(label), json);
    },
    toJson: (value) => {
      const number = check(value);
      return Number.isFinite(number) ? number : String(number);
    },
    writeJson: (value) => writeJsonText(check(value)),
  };
}

function decimalCodec(field: FieldDef, numberFormat: NumberFormat | undefined): ScalarCodec {
  const { precision, scale } = field;
  const label = `decimal(${precision},${scale})`;
  const limit = 10n ** BigInt(precision);
  /** The value at the field's scale; an error when it has too many digits. */
  const fit = (decimal: Decimal, original: string): Decimal => {
    const scaled = decimal.scale === scale ? decimal : decimal.setScale(scale);
    const unscaled = scaled.unscaled;
    if (unscaled >= limit || unscaled <= -limit) {
      throw parseError(
        `${quoteForMessage(original)} does not fit ${label}: at most ${precision - scale} digit${precision - scale === 1 ? '' : 's'} before the decimal point`,
      );
    }
    return scaled;
  };
  const parseText = (text: string): Decimal => {
    const decimal = numberFormat === undefined ? Decimal.tryParse(text) : numberFormat.parse(text);
    if (decimal === undefined) {
      throw parseError(
        numberFormat === undefined
          ? `${quoteForMessage(text)} is not a decimal number`
          : `${quoteForMessage(text)} is not a decimal number in the format ${JSON.stringify(numberFormat.pattern)}`,
      );
    }
    return fit(decimal, text);
  };
  const check = (value: unknown): Decimal => {
    if (value instanceof Decimal) return value.scale === scale ? value : value.setScale(scale);
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) return Decimal.from(value).setScale(scale);
    throw typeError('a decimal', value);
  };
  return {
    label,
    parseText,
    formatText: numberFormat === undefined ? (value) => check(value).toString() : (value) => numberFormat.format(check(value)),
    fromJson(json) {
      if (json instanceof Decimal) return fit(json, json.toString());
      if (typeof json === 'number') {
        if (!Number.isFinite(json)) throw parseError(`${json} is not a decimal number`);
        return fit(Decimal.from(json), String(json));
      }
      if (typeof json === 'bigint') return fit(Decimal.from(json), String(json));
      if (typeof json === 'string') return parseText(json.trim());
      if (isExactNumberLike(json)) {
        const decimal = Decimal.tryParse(json.text);
        if (decimal === undefined) throw parseError(`${quoteForMessage(json.text)} is not a decimal number`);
        return fit(decimal, json.text);
      }
      throw jsonError(article('decimal'), json);
    },
    toJson: (value) => new ExactNumber(check(value).toString()),
    writeJson: (value) => check(value).toString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Other scalars

const BOOLEAN_WORDS = new Map<string, boolean>([
  ['true', true], ['t', true], ['yes', true], ['y', true], ['1', true],
  ['false', false], ['f', false], ['no', false], ['n', false], ['0', false],
]);

function booleanCodec(): ScalarCodec {
  const label = 'boolean';
  const parseText = (text: string): boolean => {
    if (text === 'true') return true;
    if (text === 'false') return false;
    const value = text.length <= 5 ? BOOLEAN_WORDS.get(text.toLowerCase()) : undefined;
    if (value === undefined) throw parseError(`${quoteForMessage(text)} is not a boolean (expected true/false, yes/no, y/n, t/f or 1/0)`);
    return value;
  };
  const check = (value: unknown): boolean => {
    if (typeof value === 'boolean') return value;
    throw typeError('a boolean', value);
  };
  return {
    label,
    parseText,
    formatText: (value) => (check(value) ? 'true' : 'false'),
    fromJson(json) {
      if (typeof json === 'boolean') return json;
      if (typeof json === 'string') return parseText(json.trim());
      if (json === 1 || json === 0) return json === 1;
      throw jsonError(article(label), json);
    },
    toJson: check,
    writeJson: (value) => (check(value) ? 'true' : 'false'),
  };
}

function dateCodec(field: FieldDef): ScalarCodec {
  const label = 'date';
  const dates = compileDateFormat(field.format, field.timeZone);
  const check = (value: unknown): Date => {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    throw typeError('a date', value);
  };
  const formatText = (value: unknown) => dates.format(check(value));
  return {
    label,
    parseText: (text) => dates.parse(text),
    formatText,
    fromJson(json) {
      if (typeof json === 'string') return dates.parse(json.trim());
      if (json instanceof Date) return check(json);
      if (typeof json === 'number' && Number.isFinite(json)) {
        const date = new Date(json);
        if (Number.isNaN(date.getTime())) throw parseError(`${json} is out of the date range`);
        return date;
      }
      throw jsonError(article(label), json);
    },
    toJson: formatText,
    writeJson: (value) => JSON.stringify(formatText(value)),
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

function bytesCodec(): ScalarCodec {
  const label = 'bytes';
  const parseText = (text: string): Uint8Array => {
    if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw parseError(`${quoteForMessage(text)} is not base64`);
    return Buffer.from(text, 'base64');
  };
  const formatText = (value: unknown): string => {
    if (!(value instanceof Uint8Array)) throw typeError('bytes', value);
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  };
  return {
    label,
    parseText,
    formatText,
    fromJson(json) {
      if (typeof json === 'string') return parseText(json.trim());
      if (json instanceof Uint8Array) return json;
      throw jsonError('bytes (a base64 string)', json);
    },
    toJson: formatText,
    writeJson: (value) => `"${formatText(value)}"`,
  };
}

function stringCodec(): ScalarCodec {
  const label = 'string';
  const check = (value: unknown): string => {
    if (typeof value === 'string') return value;
    throw typeError('a string', value);
  };
  return {
    label,
    parseText: (text) => text,
    formatText: check,
    fromJson(json) {
      if (typeof json === 'string') return json;
      if (typeof json === 'number' || typeof json === 'boolean' || typeof json === 'bigint') return String(json);
      if (json instanceof ExactNumber) return json.text;
      if (typeof json === 'object' && json !== null) return writeJsonText(json);
      throw jsonError(article(label), json);
    },
    toJson: check,
    writeJson: (value) => JSON.stringify(check(value)),
  };
}

function variantCodec(): ScalarCodec {
  return {
    label: 'variant',
    parseText(text) {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw parseError(`${quoteForMessage(text)} is not JSON (${(error as Error).message})`);
      }
    },
    formatText: (value) => writeJsonText(value),
    fromJson: withoutExactNumbers,
    toJson: (value) => value,
    writeJson: (value) => writeJsonText(value),
  };
}

/** A variant holds plain JSON: ExactNumbers from a JSON reader become numbers (doubles). */
function withoutExactNumbers(json: unknown): unknown {
  if (json instanceof ExactNumber) return Number(json.text);
  if (Array.isArray(json)) return json.some((item) => typeof item === 'object' && item !== null) ? json.map(withoutExactNumbers) : json;
  if (typeof json === 'object' && json !== null && Object.getPrototypeOf(json) === Object.prototype) {
    const values = Object.values(json);
    if (!values.some((item) => typeof item === 'object' && item !== null)) return json;
    return Object.fromEntries(Object.entries(json).map(([key, item]) => [key, withoutExactNumbers(item)]));
  }
  return json;
}

/** Number pattern of a numeric field, or an error for a `format` on a type that takes none. */
function numberFormatOf(field: FieldDef): NumberFormat | undefined {
  if (field.format === undefined || field.format === '') return undefined;
  if (field.type === 'integer' || field.type === 'long' || field.type === 'number' || field.type === 'decimal') {
    return compileNumberFormat(field.format);
  }
  if (field.type === 'date') return undefined;
  throw new TrefoilError(
    'TREFOIL_ERR_VALUE_FORMAT_UNSUPPORTED',
    `a ${field.type} field takes no format (only date and numeric fields do), got ${JSON.stringify(field.format)}`,
  );
}

function scalarCodec(field: FieldDef): ScalarCodec {
  const numberFormat = numberFormatOf(field);
  switch (field.type) {
    case 'string': return stringCodec();
    case 'integer': return integerCodec(numberFormat);
    case 'long': return longCodec(numberFormat);
    case 'number': return numberCodec(numberFormat);
    case 'decimal': return decimalCodec(field, numberFormat);
    case 'boolean': return booleanCodec();
    case 'date': return dateCodec(field);
    case 'bytes': return bytesCodec();
    case 'variant': return variantCodec();
  }
}

// ---------------------------------------------------------------------------------------------
// Fields: scalars and containers

/** Both forms of one field, compiled together. */
interface FieldCodec extends TextCodec, JsonCodec {}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0 || code === 0xfeff;
}

/** Scalar text parse with blanks trimmed and empty text as null (strings are taken as they are). */
function scalarTextParser(field: FieldDef, scalar: ScalarCodec): (text: string) => unknown {
  if (field.type === 'string') return scalar.parseText;
  return (text) => {
    if (text.length > 0 && (isBlank(text.charCodeAt(0)) || isBlank(text.charCodeAt(text.length - 1)))) text = text.trim();
    return text === '' ? null : scalar.parseText(text);
  };
}

function scalarFieldCodec(field: FieldDef, scalar: ScalarCodec): FieldCodec {
  return {
    parse: scalarTextParser(field, scalar),
    format: (value) => (value === null || value === undefined ? '' : scalar.formatText(value)),
    fromJson: (json) => (json === null || json === undefined ? null : scalar.fromJson(json)),
    toJson: (value) => (value === null || value === undefined ? null : scalar.toJson(value)),
    writeJson: (value) => (value === null || value === undefined ? 'null' : scalar.writeJson(value)),
  };
}

/** Element errors name the element: `element 2: "x" is not an integer`. */
function inElement<T>(where: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof TrefoilError) throw new TrefoilError(error.code, `${where}: ${error.message}`, error.location, { cause: error });
    throw error;
  }
}

function containerFieldCodec(field: FieldDef, scalar: ScalarCodec): FieldCodec {
  const isList = field.container === 'list';
  const label = isList ? `a list of ${scalar.label}` : `a map of ${scalar.label}`;
  const jsonKind = isList ? 'a JSON array' : 'a JSON object';
  // NOTE: numbers in the text must reach exact types without a double in between.
  const exactNumbers = field.type === 'long' || field.type === 'decimal' || field.type === 'integer' || field.type === 'number';
  const element = (json: unknown): unknown => (json === null || json === undefined ? null : scalar.fromJson(json));
  const elementOut = <T>(value: unknown, convert: (item: unknown) => T, nullValue: T): T =>
    value === null || value === undefined ? nullValue : convert(value);

  const fromJson = (json: unknown): unknown => {
    if (json === null || json === undefined) return null;
    if (typeof json === 'string') return parse(json);
    if (isList) {
      if (!Array.isArray(json)) throw jsonError(label, json);
      const list = new Array<unknown>(json.length);
      for (let index = 0; index < json.length; index++) list[index] = inElement(`element ${index + 1}`, () => element(json[index]));
      return list;
    }
    if (typeof json !== 'object' || Array.isArray(json) || json instanceof Date || json instanceof Uint8Array) {
      throw jsonError(label, json);
    }
    return Object.fromEntries(
      Object.entries(json as Record<string, unknown>).map(([key, item]) => [key, inElement(`key ${JSON.stringify(key)}`, () => element(item))]),
    );
  };

  const parse = (text: string): unknown => {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    let json: unknown;
    try {
      json = exactNumbers ? parseExactJson(trimmed) : JSON.parse(trimmed);
    } catch (error) {
      const reason = error instanceof ExactJsonSyntaxError || error instanceof SyntaxError ? error.message : String(error);
      throw parseError(`${quoteForMessage(text)} is not ${jsonKind} (${reason})`);
    }
    if (isList ? !Array.isArray(json) : typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw parseError(`${quoteForMessage(text)} is not ${jsonKind}`);
    }
    return fromJson(json);
  };

  const entriesOf = (value: unknown): Array<[string, unknown]> => {
    if (isList || typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
      throw typeError(label, value);
    }
    return Object.entries(value as Record<string, unknown>);
  };

  const toJson = (value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (isList) {
      if (!Array.isArray(value)) throw typeError(label, value);
      return value.map((item, index) => inElement(`element ${index + 1}`, () => elementOut(item, scalar.toJson, null)));
    }
    return Object.fromEntries(
      entriesOf(value).map(([key, item]) => [key, inElement(`key ${JSON.stringify(key)}`, () => elementOut(item, scalar.toJson, null))]),
    );
  };

  const writeJson = (value: unknown): string => {
    if (value === null || value === undefined) return 'null';
    if (isList) {
      if (!Array.isArray(value)) throw typeError(label, value);
      let text = '[';
      for (let index = 0; index < value.length; index++) {
        if (index > 0) text += ',';
        text += inElement(`element ${index + 1}`, () => elementOut(value[index], scalar.writeJson, 'null'));
      }
      return `${text}]`;
    }
    let text = '{';
    let first = true;
    for (const [key, item] of entriesOf(value)) {
      if (!first) text += ',';
      first = false;
      text += `${JSON.stringify(key)}:${inElement(`key ${JSON.stringify(key)}`, () => elementOut(item, scalar.writeJson, 'null'))}`;
    }
    return `${text}}`;
  };

  return {
    parse,
    format: (value) => (value === null || value === undefined ? '' : writeJson(value)),
    fromJson,
    toJson,
    writeJson,
  };
}

const compiledCodecs = new WeakMap<FieldDef, FieldCodec>();

function fieldCodec(field: FieldDef): FieldCodec {
  let codec = compiledCodecs.get(field);
  if (codec === undefined) {
    const scalar = scalarCodec(field);
    codec = field.container === undefined ? scalarFieldCodec(field, scalar) : containerFieldCodec(field, scalar);
    compiledCodecs.set(field, codec);
  }
  return codec;
}

/**
 * The text form of `field`'s values, compiled once (and cached per FieldDef object).
 * @throws TrefoilError `TREFOIL_ERR_VALUE_DATE_PATTERN`, `TREFOIL_ERR_VALUE_NUMBER_PATTERN`,
 *   `TREFOIL_ERR_VALUE_TIME_ZONE` or `TREFOIL_ERR_VALUE_FORMAT_UNSUPPORTED` for a field whose
 *   `format` or `timeZone` cannot be used
 */
export function compileTextCodec(field: FieldDef): TextCodec {
  const codec = fieldCodec(field);
  return { parse: codec.parse, format: codec.format };
}

/** The JSON form of `field`'s values, compiled once (and cached per FieldDef object). */
export function compileJsonCodec(field: FieldDef): JsonCodec {
  const codec = fieldCodec(field);
  return { fromJson: codec.fromJson, toJson: codec.toJson, writeJson: codec.writeJson };
}

/** JSON-compatible tree of a field value (see {@link JsonCodec.toJson}). */
export function toJsonValue(field: FieldDef, value: unknown): unknown {
  return fieldCodec(field).toJson(value);
}

/** Field value of a JSON value (see {@link JsonCodec.fromJson}). */
export function fromJsonValue(field: FieldDef, json: unknown): unknown {
  return fieldCodec(field).fromJson(json);
}

/** JSON text of a field value with exact digits for long and decimal (see {@link JsonCodec.writeJson}). */
export function writeJsonValue(field: FieldDef, value: unknown): string {
  return fieldCodec(field).writeJson(value);
}
