/** Codes for values and their text forms: field conversions, decimals, dates, durations. */
import { defineCodes } from './define-codes.ts';

export const VALUE_CODES = defineCodes({
  TREFOIL_ERR_VALUE_PARSE: {
    summary: 'A value in the input does not convert to the field type.',
    fix: 'Correct the input value, or change the field type, `format`, `scale` or `precision` in the metadata so the value fits.',
  },
  TREFOIL_ERR_VALUE_TYPE: {
    summary: 'A field holds a value of the wrong kind for its type, so it cannot be written.',
    fix: 'Assign a value of the field type in the transform (e.g. a Date for a date field, a Decimal or number for a decimal field).',
  },
  TREFOIL_ERR_VALUE_DATE_PATTERN: {
    summary: 'A date `format` pattern is not valid.',
    fix: 'Use Java/CloverDX pattern letters (yyyy MM dd HH mm ss SSS a EEE z Z X), quote literal text in single quotes (\'T\').',
  },
  TREFOIL_ERR_VALUE_NUMBER_PATTERN: {
    summary: 'A number `format` pattern is not valid.',
    fix: 'Use a Java DecimalFormat-style pattern such as `#,##0.00`, `0.###` or `0.0%`.',
  },
  TREFOIL_ERR_VALUE_FORMAT_UNSUPPORTED: {
    summary: 'The field type does not take a `format`.',
    fix: 'Remove `format` from the field: only date and numeric fields (integer, long, number, decimal) have text patterns.',
  },
  TREFOIL_ERR_VALUE_TIME_ZONE: {
    summary: 'The time zone is unknown.',
    fix: 'Use an IANA time zone name (Europe/Prague, America/New_York, UTC) or a fixed offset such as +02:00.',
  },
  TREFOIL_ERR_VALUE_DURATION: {
    summary: 'A duration is not valid.',
    fix: 'Write durations as CloverDX intervals: a number with a unit w, d, h, m, s or ms (e.g. `1m 30s`, `500ms`); a bare number is milliseconds.',
  },
  TREFOIL_ERR_VALUE_ARITHMETIC: {
    summary: 'A decimal calculation is not possible (division by zero, a scale or exponent out of range).',
    fix: 'Check the operands in the transform: guard divisions by zero and keep scales within 0..10000.',
  },
});
