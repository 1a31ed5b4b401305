import { describe, expect, it } from 'vitest';
import { compileNumberFormat } from '../../engine/metadata/number-format.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';

const d = (text: string) => Decimal.parse(text);

describe('number formats', () => {
  it.each([
    ['#,##0.00', '1234567.891', '1,234,567.89'],
    ['#,##0.00', '-1234.5', '-1,234.50'],
    ['#,##0.00', '0', '0.00'],
    ['0.###', '3.14159', '3.142'],
    ['0.###', '3.1', '3.1'],
    ['#.##', '0.5', '.5'],
    ['#', '0', '0'],
    ['0000', '42', '0042'],
    ['0.00', '2.345', '2.34'], // half-even, as DecimalFormat
    ['0.00', '2.355', '2.36'],
    ['0.0%', '0.256', '25.6%'],
    ['#,##0 ‰', '0.5', '500 ‰'],
    ["'$'#,##0.00", '1234.5', '$1,234.50'],
    ["#,##0.00;(#,##0.00)", '-1234.5', '(1,234.50)'],
    ["0 'pcs'", '3', '3 pcs'],
    ['#,####', '123456789', '1,2345,6789'],
  ])('%s writes %s as %j', (pattern, value, expected) => {
    expect(compileNumberFormat(pattern).format(d(value))).toBe(expected);
  });

  it.each([
    ['#,##0.00', '1,234,567.89', '1234567.89'],
    ['#,##0.00', '1234567.89', '1234567.89'],
    ['#,##0.00', '-1,234.5', '-1234.5'],
    ['0.0%', '25.6%', '0.256'],
    ["'$'#,##0.00", '$1,234.50', '1234.50'],
    ["#,##0.00;(#,##0.00)", '(1,234.50)', '-1234.50'],
    ['#.##', '.5', '0.5'],
  ])('%s reads %j exactly as %s', (pattern, text, expected) => {
    expect(compileNumberFormat(pattern).parse(text)?.toString()).toBe(expected);
  });

  it.each([
    ['#,##0.00', '1.234,5'],
    ['#,##0.00', 'abc'],
    ['#,##0.00', ''],
    ['0.0%', '25.6'],
    ["'$'#,##0.00", '1,234.50'],
    ['#,##0.00', '1,,234'],
  ])('%s rejects %j', (pattern, text) => {
    expect(compileNumberFormat(pattern).parse(text)).toBeUndefined();
  });

  it.each([
    ['0.00E0', 'scientific notation (E) is not supported'],
    ['abc', 'it has no digits (0 or #)'],
    ['0.0.0', 'more than one decimal point'],
    ['#,##0.0,0', 'grouping separator after the decimal point'],
    ["'x", 'a quote is not closed'],
    ['0;0;0', 'more than one ;'],
  ])('rejects the pattern %j', (pattern, reason) => {
    expect(() => compileNumberFormat(pattern)).toThrow(
      expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_NUMBER_PATTERN', message: `invalid number format ${JSON.stringify(pattern)}: ${reason}` }),
    );
  });
});
