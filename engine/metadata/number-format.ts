/**
 * Number text forms for numeric fields with a `format`: a subset of Java's `DecimalFormat`
 * patterns (what CloverDX metadata uses), English symbols (`,` grouping, `.` decimal point).
 *
 * | symbol | meaning                                                   |
 * |--------|-----------------------------------------------------------|
 * | 0      | a digit, always shown                                     |
 * | #      | a digit, left out when zero (leading / trailing)          |
 * | ,      | grouping separator; the group size is the digits after the last `,` |
 * | .      | decimal point                                             |
 * | %  ‰   | in a prefix or suffix: multiply by 100 / 1000             |
 * | ;      | separates the negative subpattern (its prefix and suffix are used) |
 * | 'text' | literal text in a prefix or suffix (`''` = `'`)           |
 *
 * Formatting rounds half-even, as `DecimalFormat` does. Parsing is strict (the whole text must
 * match the prefix, digits with optional grouping, and the suffix) and exact: digits go through
 * {@link Decimal}, never through a double. Scientific notation (`E`) is not supported.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import { Decimal } from './decimal.ts';

/** A compiled number pattern. */
export interface NumberFormat {
  readonly pattern: string;
  /** Text of `value` by the pattern. */
  format(value: Decimal): string;
  /** The exact value of `text`, or undefined when it does not match the pattern. */
  parse(text: string): Decimal | undefined;
}

interface Affixes {
  prefix: string;
  suffix: string;
}

function patternError(pattern: string, reason: string): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_VALUE_NUMBER_PATTERN', `invalid number format ${JSON.stringify(pattern)}: ${reason}`);
}

const DIGIT_SYMBOLS = '0#,.';

/** Splits one subpattern into prefix, digit part and suffix; quotes are resolved in the affixes. */
function splitSubpattern(pattern: string, subpattern: string): { prefix: string; digits: string; suffix: string; multiplier: number } {
  let prefix = '';
  let digits = '';
  let suffix = '';
  let multiplier = 1;
  let stage: 'prefix' | 'digits' | 'suffix' = 'prefix';
  for (let index = 0; index < subpattern.length; index++) {
    const char = subpattern[index]!;
    if (char === "'") {
      let literal = '';
      if (subpattern[index + 1] === "'") {
        literal = "'";
        index++;
      } else {
        const close = subpattern.indexOf("'", index + 1);
        if (close < 0) throw patternError(pattern, 'a quote is not closed');
        literal = subpattern.slice(index + 1, close);
        index = close;
      }
      if (stage === 'digits') stage = 'suffix';
      if (stage === 'prefix') prefix += literal;
      else suffix += literal;
      continue;
    }
    if (DIGIT_SYMBOLS.includes(char)) {
      if (stage === 'suffix') throw patternError(pattern, `unexpected ${JSON.stringify(char)} after the suffix`);
      stage = 'digits';
      digits += char;
      continue;
    }
    if (char === 'E') throw patternError(pattern, 'scientific notation (E) is not supported');
    if (char === '%' || char === '\u2030') {
      if (multiplier !== 1) throw patternError(pattern, 'more than one % or ‰');
      multiplier = char === '%' ? 100 : 1000;
    }
    if (stage === 'digits') stage = 'suffix';
    if (stage === 'prefix') prefix += char;
    else suffix += char;
  }
  return { prefix, digits, suffix, multiplier };
}

/**
 * Compiles a `DecimalFormat`-style pattern once.
 * @throws TrefoilError `TREFOIL_ERR_VALUE_NUMBER_PATTERN` for patterns it cannot honour
 * @example compileNumberFormat('#,##0.00').format(Decimal.parse('1234.5')) === '1,234.50'
 */
export function compileNumberFormat(pattern: string): NumberFormat {
  const [positivePattern, negativePattern, extra] = pattern.split(';');
  if (extra !== undefined) throw patternError(pattern, 'more than one ;');
  const positive = splitSubpattern(pattern, positivePattern!);
  if (positive.digits === '') throw patternError(pattern, 'it has no digits (0 or #)');
  const point = positive.digits.indexOf('.');
  if (point !== positive.digits.lastIndexOf('.')) throw patternError(pattern, 'more than one decimal point');
  const integerPart = point < 0 ? positive.digits : positive.digits.slice(0, point);
  const fractionPart = point < 0 ? '' : positive.digits.slice(point + 1);
  if (fractionPart.includes(',')) throw patternError(pattern, 'grouping separator after the decimal point');
  if (/0#/.test(integerPart.replaceAll(',', ''))) throw patternError(pattern, '# after 0 in the integer part');
  if (/#0/.test(fractionPart)) throw patternError(pattern, '0 after # in the fraction part');
  const minimumIntegerDigits = [...integerPart].filter((char) => char === '0').length;
  const lastComma = integerPart.lastIndexOf(',');
  const groupSize = lastComma < 0 ? 0 : integerPart.length - lastComma - 1;
  if (lastComma >= 0 && groupSize === 0) throw patternError(pattern, 'grouping separator at the end of the integer part');
  const minimumFractionDigits = [...fractionPart].filter((char) => char === '0').length;
  const maximumFractionDigits = fractionPart.length;
  const multiplier = positive.multiplier;

  let negative: Affixes = { prefix: `-${positive.prefix}`, suffix: positive.suffix };
  if (negativePattern !== undefined) {
    const parsed = splitSubpattern(pattern, negativePattern);
    negative = { prefix: parsed.prefix, suffix: parsed.suffix };
  }
  if (negative.prefix === positive.prefix && negative.suffix === positive.suffix) {
    throw patternError(pattern, 'the negative subpattern must differ from the positive one');
  }

  const group = (digits: string): string => {
    if (groupSize === 0 || digits.length <= groupSize) return digits;
    let text = '';
    const head = digits.length % groupSize || groupSize;
    text = digits.slice(0, head);
    for (let index = head; index < digits.length; index += groupSize) text += `,${digits.slice(index, index + groupSize)}`;
    return text;
  };

  const format = (value: Decimal): string => {
    let scaled = multiplier === 1 ? value : value.mul(multiplier);
    scaled = scaled.setScale(maximumFractionDigits, 'half-even').stripTrailingZeros(minimumFractionDigits);
    const text = scaled.abs().toString();
    const dot = text.indexOf('.');
    let integerDigits = dot < 0 ? text : text.slice(0, dot);
    const fractionDigits = dot < 0 ? '' : text.slice(dot + 1);
    if (integerDigits === '0' && minimumIntegerDigits === 0 && fractionDigits !== '') integerDigits = ''; // #.## → .5
    if (integerDigits.length < minimumIntegerDigits) integerDigits = '0'.repeat(minimumIntegerDigits - integerDigits.length) + integerDigits;
    const body = group(integerDigits) + (fractionDigits === '' ? '' : `.${fractionDigits}`);
    const affixes = scaled.sign < 0 ? negative : positive;
    return affixes.prefix + (body === '' ? '0' : body) + affixes.suffix;
  };

  // NOTE: like DecimalFormat, grouping separators are accepted between any digits when reading.
  const groupedDigits = groupSize === 0 ? /^(?:\d+(?:\.\d*)?|\.\d+)$/ : /^(?:\d+(?:,\d+)*(?:\.\d*)?|\.\d+)$/;
  const parseBody = (body: string, isNegative: boolean): Decimal | undefined => {
    if (!groupedDigits.test(body)) return undefined;
    const decimal = Decimal.tryParse(isNegative ? `-${body.replaceAll(',', '')}` : body.replaceAll(',', ''));
    if (decimal === undefined) return undefined;
    return multiplier === 1 ? decimal : decimal.div(multiplier, decimal.scale + (multiplier === 100 ? 2 : 3));
  };

  const parse = (text: string): Decimal | undefined => {
    // The longer prefix first, so `-` of a negative prefix is not read as part of the digits.
    const tryAffixes = (affixes: Affixes, isNegative: boolean): Decimal | undefined => {
      if (!text.startsWith(affixes.prefix) || !text.endsWith(affixes.suffix)) return undefined;
      if (text.length < affixes.prefix.length + affixes.suffix.length) return undefined;
      return parseBody(text.slice(affixes.prefix.length, text.length - affixes.suffix.length), isNegative);
    };
    if (negative.prefix.length + negative.suffix.length >= positive.prefix.length + positive.suffix.length) {
      return tryAffixes(negative, true) ?? tryAffixes(positive, false);
    }
    return tryAffixes(positive, false) ?? tryAffixes(negative, true);
  };

  return { pattern, format, parse };
}
