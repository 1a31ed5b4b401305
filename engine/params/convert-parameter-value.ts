/**
 * Conversion of a parameter's value to its declared type. Values from `-P` and the environment
 * are text; values from YAML (defaults, params files) are already typed; both convert here.
 */
import type { ParameterScalar, ParameterType } from './parameter-types.ts';

const INTEGER_TEXT = /^[-+]?[0-9]+$/;
const NUMBER_TEXT = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const BOOLEAN_TEXT = /^(?:true|false)$/i;

/** The declared types, for validating a declaration's `type:`. */
export const PARAMETER_TYPES: ReadonlySet<string> = new Set<ParameterType>(['string', 'integer', 'number', 'boolean']);

/**
 * Converts `value` (whose text form is `text`) to `type`, or returns `undefined` when it does not
 * convert. Rules: `string` takes the text; `integer` takes a safe integer or text of decimal
 * digits with an optional sign (beyond ±2^53−1 is refused rather than rounded); `number` takes a
 * finite number or decimal text (optional fraction and exponent); `boolean` takes a boolean or
 * `true`/`false` in any letter case. Text is never trimmed.
 */
export function convertParameterValue(
  value: ParameterScalar,
  text: string,
  type: ParameterType,
): ParameterScalar | undefined {
  switch (type) {
    case 'string':
      return text;
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(number) ? number : undefined;
    }
    case 'number': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : NaN;
      return Number.isFinite(number) ? number : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return typeof value === 'string' && BOOLEAN_TEXT.test(value) ? value.toLowerCase() === 'true' : undefined;
  }
}

/** The type a parameter without `type:` takes from its default: numbers and booleans keep theirs. */
export function typeOfDefault(value: ParameterScalar): ParameterType | undefined {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return undefined;
}
