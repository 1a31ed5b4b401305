/**
 * Field definitions and the in-memory representation of every metadata type (SPEC §2).
 *
 * NOTE: value representation. Records are plain objects; each field holds one of:
 *
 * | type      | JavaScript value                                                                |
 * |-----------|---------------------------------------------------------------------------------|
 * | string    | string                                                                          |
 * | integer   | number, a 32-bit integer                                                        |
 * | long      | number when it is a safe integer (|v| <= 2^53-1), otherwise bigint (64-bit range) |
 * | number    | number (double)                                                                 |
 * | decimal   | Decimal (exact, see decimal.ts)                                                 |
 * | boolean   | boolean                                                                         |
 * | date      | Date (an instant; `format`/`timeZone` only matter for text forms)               |
 * | bytes     | Uint8Array (a Buffer is one)                                                    |
 * | variant   | any JSON value (null, boolean, number, string, array, plain object)             |
 *
 * `container: list` wraps the element type in an array, `container: map` in a plain object
 * with string keys. Any field may be null when `nullable` (the default, as in CloverDX).
 *
 * `long` uses number for the common case so arithmetic in transforms stays fast and natural;
 * values beyond 2^53 become bigint instead of silently losing precision, and mixing a bigint
 * with a number in a transform throws a TypeError rather than rounding.
 */

export const FIELD_TYPES = [
  'string',
  'integer',
  'long',
  'number',
  'decimal',
  'boolean',
  'date',
  'bytes',
  'variant',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export type Container = 'list' | 'map';

/** A field after loading: every option resolved, defaults converted to the field's type. */
export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly container?: Container;
  /** @default true */
  readonly nullable: boolean;
  /** Value used for missing or null input, already converted to the field's representation. */
  readonly default?: unknown;
  /** Text form for dates (Java/CloverDX pattern, e.g. `yyyy-MM-dd HH:mm:ss`) or numbers. */
  readonly format?: string;
  /** IANA time zone for date text forms. @default 'UTC' */
  readonly timeZone?: string;
  /** Decimal precision (total digits). @default 12 */
  readonly precision: number;
  /** Decimal scale (digits after the point). @default 2 */
  readonly scale: number;
  readonly description?: string;
}

export const DEFAULT_DECIMAL_PRECISION = 12;
export const DEFAULT_DECIMAL_SCALE = 2;
