import { describe, expect, it } from 'vitest';
import { Decimal, isDecimal, type RoundingMode } from '../../engine/metadata/decimal.ts';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';

const d = (text: string) => Decimal.parse(text);

describe('Decimal.parse', () => {
  it.each([
    ['0', '0', 0],
    ['-12.50', '-12.50', 2],
    ['+7', '7', 0],
    ['.5', '0.5', 1],
    ['5.', '5', 0],
    ['1.5e3', '1500', 0],
    ['1.5E+3', '1500', 0],
    ['2E-4', '0.0002', 4],
    ['-0.00', '0.00', 2],
    ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789', 9],
    ['0000000000000000000001.5', '1.5', 1],
  ])('%s -> %s (scale %i)', (text, expected, scale) => {
    const value = d(text);
    expect(value.toString()).toBe(expected);
    expect(value.scale).toBe(scale);
  });

  it.each(['', ' 1', '1 ', 'abc', '1.2.3', '1e', 'e5', '.', '-', '+.', '0x10', 'NaN', 'Infinity', '1,000', '1e99999999999'])(
    'rejects %j with a coded error',
    (text) => {
      expect(() => d(text)).toThrow(TrefoilError);
      expect(Decimal.tryParse(text)).toBeUndefined();
      try {
        d(text);
      } catch (error) {
        expect((error as TrefoilError).code).toBe('TREFOIL_ERR_VALUE_PARSE');
        expect((error as TrefoilError).message).toBe(`${JSON.stringify(text)} is not a decimal number`);
      }
    },
  );
});

describe('Decimal.from', () => {
  it('converts numbers through their shortest round-trip text', () => {
    expect(Decimal.from(0.1).toString()).toBe('0.1');
    expect(Decimal.from(0.1 + 0.2).toString()).toBe('0.30000000000000004');
    expect(Decimal.from(1e21).toString()).toBe('1000000000000000000000');
    expect(Decimal.from(1e-7).toString()).toBe('0.0000001');
    expect(Decimal.from(-42).toString()).toBe('-42');
  });

  it('converts bigints, strings and decimals exactly', () => {
    expect(Decimal.from(12345678901234567890123n).toString()).toBe('12345678901234567890123');
    expect(Decimal.from('3.140').toString()).toBe('3.140');
    const value = d('1.5');
    expect(Decimal.from(value)).toBe(value);
    expect(Decimal.fromUnscaled(30n, 2).toString()).toBe('0.30');
  });

  it('rejects NaN, Infinity and other kinds of values', () => {
    expect(() => Decimal.from(Number.NaN)).toThrow(/NaN is not a decimal number/);
    expect(() => Decimal.from(Number.POSITIVE_INFINITY)).toThrow(/Infinity is not a decimal number/);
    expect(() => Decimal.from({} as never)).toThrow(/cannot convert object to a decimal/);
  });
});

describe('Decimal arithmetic', () => {
  it('adds exactly where doubles do not', () => {
    expect(d('0.1').add(d('0.2')).toString()).toBe('0.3');
    expect(d('0.10').add('0.2').toString()).toBe('0.30');
    expect(d('1').sub(d('0.01')).toString()).toBe('0.99');
    let total = Decimal.ZERO;
    for (let i = 0; i < 1000; i++) total = total.add(0.01);
    expect(total.toString()).toBe('10.00');
  });

  it('multiplies with the sum of the scales', () => {
    expect(d('1.10').mul(d('3.0')).toString()).toBe('3.300');
    expect(d('-0.5').mul(4).toString()).toBe('-2.0');
  });

  it('divides to a given scale with rounding, or to a sensible default', () => {
    expect(d('10').div(3, 2).toString()).toBe('3.33');
    expect(d('2').div(3, 2).toString()).toBe('0.67');
    expect(d('-2').div(3, 2).toString()).toBe('-0.67');
    expect(d('2').div(3, 2, 'down').toString()).toBe('0.66');
    expect(d('10.00').div(4).toString()).toBe('2.50');
    expect(d('1').div(3).toString()).toBe('0.3333333333333333');
    expect(d('1').div(8).toString()).toBe('0.125');
    expect(d('1.5').div('0.5').toString()).toBe('3.0');
    expect(() => d('1').div(0)).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_ARITHMETIC' }));
  });

  it('negates, takes absolute values and compares regardless of scale', () => {
    expect(d('1.50').neg().toString()).toBe('-1.50');
    expect(d('-1.50').abs().toString()).toBe('1.50');
    expect(d('0.3').compare(d('0.30'))).toBe(0);
    expect(d('0.3').equals(d('0.30'))).toBe(true);
    expect(d('0.3').equals('0.3000')).toBe(true);
    expect(d('0.3').equals(0.3)).toBe(true);
    expect(d('0.3').equals('x')).toBe(false);
    expect(d('-1').compare(d('0.5'))).toBe(-1);
    expect(d('12345678901234567890.1').compare(d('12345678901234567890.01'))).toBe(1);
    expect(d('-2').sign).toBe(-1);
    expect(d('0.00').sign).toBe(0);
  });
});

describe('Decimal.setScale', () => {
  const cases: Array<[string, number, RoundingMode, string]> = [
    ['2.345', 2, 'half-up', '2.35'],
    ['-2.345', 2, 'half-up', '-2.35'],
    ['2.344', 2, 'half-up', '2.34'],
    ['2.345', 2, 'half-even', '2.34'],
    ['2.355', 2, 'half-even', '2.36'],
    ['2.345', 2, 'half-down', '2.34'],
    ['2.341', 2, 'up', '2.35'],
    ['2.349', 2, 'down', '2.34'],
    ['-2.341', 2, 'ceiling', '-2.34'],
    ['-2.341', 2, 'floor', '-2.35'],
    ['9.995', 2, 'half-up', '10.00'],
    ['2', 2, 'half-up', '2.00'],
    ['0.004', 2, 'half-up', '0.00'],
  ];
  it.each(cases)('%s to scale %i %s -> %s', (text, scale, mode, expected) => {
    expect(d(text).setScale(scale, mode).toString()).toBe(expected);
  });

  it('rounds half-up by default and rejects scales out of range', () => {
    expect(d('1.005').setScale(2).toString()).toBe('1.01');
    expect(() => d('1').setScale(-1)).toThrow(/scale -1 is out of range/);
  });
});

describe('Decimal precision and conversions', () => {
  it('counts digits and checks whether a value fits precision and scale', () => {
    expect(d('0.30').precision).toBe(2);
    expect(d('-123.4').precision).toBe(4);
    expect(d('9999999999.99').fits(12, 2)).toBe(true);
    expect(d('9999999999.994').fits(12, 2)).toBe(true);
    expect(d('9999999999.995').fits(12, 2)).toBe(false);
    expect(d('10000000000').fits(12, 2)).toBe(false);
  });

  it('converts to the nearest double, so operators work in transforms', () => {
    const amount = d('150.25');
    expect(amount.toNumber()).toBe(150.25);
    expect(amount > (100 as unknown as Decimal)).toBe(true);
    expect((amount as unknown as number) * 2).toBe(300.5);
    expect(d('0.1').toNumber()).toBe(0.1);
    expect(d('123456789012345678901234567890.5').toNumber()).toBe(1.2345678901234568e29);
    expect(`${d('0.30')}`).toBe('0.30');
    expect(JSON.stringify({ amount: d('0.30') })).toBe('{"amount":"0.30"}');
    expect(isDecimal(d('1'))).toBe(true);
    expect(isDecimal(1)).toBe(false);
  });

  it('strips trailing zeros down to a minimum scale', () => {
    expect(d('1.500').stripTrailingZeros().toString()).toBe('1.5');
    expect(d('100').stripTrailingZeros().toString()).toBe('100');
    expect(d('1.000').stripTrailingZeros(2).toString()).toBe('1.00');
  });

  it('parses a million values from text in well under a second', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `${i * 37}.${String(i % 100).padStart(2, '0')}`);
    const started = performance.now();
    let last: Decimal = Decimal.ZERO;
    for (let i = 0; i < 1_000_000; i++) last = Decimal.parse(texts[i % 1000]!);
    const elapsed = performance.now() - started;
    expect(last.toString()).toBe('36963.99');
    expect(elapsed).toBeLessThan(1500);
  });
});
