import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../../engine/metadata/field.ts';
import {
  compileJsonCodec,
  compileTextCodec,
  fromJsonValue,
  toJsonValue,
  writeJsonValue,
} from '../../engine/metadata/text-codec.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';
import { ExactNumber } from '../../engine/metadata/exact-number.ts';
import { writeJsonText } from '../../engine/metadata/json-text.ts';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';

function field(options: Partial<FieldDef> & Pick<FieldDef, 'type'>): FieldDef {
  return { name: 'value', nullable: true, precision: 12, scale: 2, ...options };
}

const codec = (options: Partial<FieldDef> & Pick<FieldDef, 'type'>) => compileTextCodec(field(options));

function errorOf(run: () => unknown): TrefoilError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrefoilError);
    return error as TrefoilError;
  }
  throw new Error('expected an error');
}

function expectParseError(run: () => unknown, message: string): void {
  const error = errorOf(run);
  expect(error.code).toBe('TREFOIL_ERR_VALUE_PARSE');
  expect(error.message).toBe(message);
}

describe('integer', () => {
  const integer = codec({ type: 'integer' });

  it('reads 32-bit integers, blanks trimmed, empty as null', () => {
    expect(integer.parse('42')).toBe(42);
    expect(integer.parse('-2147483648')).toBe(-2147483648);
    expect(integer.parse('+2147483647')).toBe(2147483647);
    expect(integer.parse(' 7 ')).toBe(7);
    expect(Object.is(integer.parse('-0'), 0)).toBe(true);
    expect(integer.parse('')).toBeNull();
    expect(integer.parse('   ')).toBeNull();
  });

  it('rejects fractions, overflow and junk with clear messages', () => {
    expectParseError(() => integer.parse('1.5'), '"1.5" is not an integer (fractions are not allowed)');
    expectParseError(() => integer.parse('2147483648'), '"2147483648" is out of the integer range (-2147483648..2147483647)');
    expectParseError(() => integer.parse('99999999999999999999'), '"99999999999999999999" is out of the integer range (-2147483648..2147483647)');
    expectParseError(() => integer.parse('12abc'), '"12abc" is not an integer');
    expectParseError(() => integer.parse('0x10'), '"0x10" is not an integer');
    expectParseError(() => integer.parse('-'), '"-" is not an integer');
  });

  it('writes digits and rejects values of another kind', () => {
    expect(integer.format(-12)).toBe('-12');
    expect(integer.format(null)).toBe('');
    const error = errorOf(() => integer.format('12'));
    expect(error.code).toBe('TREFOIL_ERR_VALUE_TYPE');
    expect(error.message).toBe('expected an integer value, got the string "12"');
    expect(() => integer.format(1.5)).toThrow(/expected an integer value, got the number 1.5/);
  });
});

describe('long', () => {
  const long = codec({ type: 'long' });

  it('keeps safe values as numbers and larger ones as exact bigints', () => {
    expect(long.parse('9007199254740991')).toBe(9007199254740991);
    expect(long.parse('9007199254740993')).toBe(9007199254740993n);
    expect(long.parse('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(long.parse('9223372036854775807')).toBe(9223372036854775807n);
    expect(long.parse('0000000000000000042')).toBe(42);
  });

  it('round-trips values beyond 2^53 through text and JSON without losing a digit', () => {
    for (const text of ['9007199254740993', '-9223372036854775808', '1234567890123456789']) {
      const value = long.parse(text);
      expect(long.format(value)).toBe(text);
      expect(writeJsonValue(field({ type: 'long' }), value)).toBe(text);
      expect(fromJsonValue(field({ type: 'long' }), new ExactNumber(text))).toBe(value);
      expect(fromJsonValue(field({ type: 'long' }), { text })).toBe(value);
      expect(toJsonValue(field({ type: 'long' }), value)).toEqual(new ExactNumber(text));
    }
  });

  it('rejects overflow, fractions, and doubles that may already have lost precision', () => {
    expectParseError(() => long.parse('9223372036854775808'), '"9223372036854775808" is out of the long range (-9223372036854775808..9223372036854775807)');
    expectParseError(() => long.parse('10.5'), '"10.5" is not a long integer (fractions are not allowed)');
    expectParseError(() => fromJsonValue(field({ type: 'long' }), 9007199254740993), '9007199254740992 is beyond 2^53 and may already have lost precision; read it as an exact number');
    expect(fromJsonValue(field({ type: 'long' }), 12)).toBe(12);
    expect(fromJsonValue(field({ type: 'long' }), 12n)).toBe(12);
    expect(fromJsonValue(field({ type: 'long' }), '1234567890123456789')).toBe(1234567890123456789n);
    expect(fromJsonValue(field({ type: 'long' }), new ExactNumber('1.0e3'))).toBe(1000);
  });
});

describe('number', () => {
  const number = codec({ type: 'number' });

  it('reads decimal and exponent notation, NaN and Infinity', () => {
    expect(number.parse('3.25')).toBe(3.25);
    expect(number.parse('-1e-3')).toBe(-0.001);
    expect(number.parse('.5')).toBe(0.5);
    expect(number.parse('NaN')).toBeNaN();
    expect(number.parse('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expectParseError(() => number.parse('0x1A'), '"0x1A" is not a number');
    expectParseError(() => number.parse('1,5'), '"1,5" is not a number');
    expectParseError(() => number.parse('nan'), '"nan" is not a number');
  });

  it('writes the shortest round-trip text; JSON keeps NaN and Infinity as strings', () => {
    expect(number.format(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(number.format(Number.POSITIVE_INFINITY)).toBe('Infinity');
    const numberField = field({ type: 'number' });
    expect(writeJsonValue(numberField, Number.NaN)).toBe('"NaN"');
    expect(fromJsonValue(numberField, 'NaN')).toBeNaN();
    expect(writeJsonValue(numberField, 2.5)).toBe('2.5');
  });
});

describe('decimal', () => {
  const amount = codec({ type: 'decimal', precision: 12, scale: 2 });

  it('reads exactly and takes the field scale, rounding half-up', () => {
    expect(amount.parse('0.3')).toEqual(Decimal.parse('0.30'));
    expect((amount.parse('0.3') as Decimal).toString()).toBe('0.30');
    expect((amount.parse('2.345') as Decimal).toString()).toBe('2.35');
    expect((amount.parse('-2.345') as Decimal).toString()).toBe('-2.35');
    expect((amount.parse('1e3') as Decimal).toString()).toBe('1000.00');
    expect((amount.parse('9999999999.99') as Decimal).toString()).toBe('9999999999.99');
  });

  it('rejects values with too many integer digits for the precision', () => {
    expectParseError(() => amount.parse('12345678901.5'), '"12345678901.5" does not fit decimal(12,2): at most 10 digits before the decimal point');
    expectParseError(() => amount.parse('9999999999.995'), '"9999999999.995" does not fit decimal(12,2): at most 10 digits before the decimal point');
    expectParseError(() => amount.parse('12.3.4'), '"12.3.4" is not a decimal number');
  });

  it('writes exact digits with the field scale, in text and JSON', () => {
    expect(amount.format(Decimal.parse('0.3'))).toBe('0.30');
    expect(amount.format(Decimal.parse('1.005'))).toBe('1.01');
    expect(amount.format(7)).toBe('7.00');
    const amountField = field({ type: 'decimal', precision: 30, scale: 10 });
    const value = fromJsonValue(amountField, new ExactNumber('12345678901234567890.0123456789'));
    expect(writeJsonValue(amountField, value)).toBe('12345678901234567890.0123456789');
    expect(toJsonValue(amountField, value)).toEqual(new ExactNumber('12345678901234567890.0123456789'));
    expect(writeJsonValue(field({ type: 'decimal' }), Decimal.parse('0.3'))).toBe('0.30');
    expect((fromJsonValue(field({ type: 'decimal' }), 0.1) as Decimal).toString()).toBe('0.10');
    expect(() => amount.format('0.3')).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_TYPE' }));
  });

  it('reads a million decimals from text in well under two seconds', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `${(i * 7919) % 100000}.${i % 10}5`);
    const started = performance.now();
    let last: unknown;
    for (let i = 0; i < 1_000_000; i++) last = amount.parse(texts[i % 1000]!);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(String(last)).toBe(`${(999 * 7919) % 100000}.95`);
  });
});

describe('numeric formats', () => {
  it('reads and writes DecimalFormat patterns on numeric fields', () => {
    const price = codec({ type: 'decimal', scale: 2, format: '#,##0.00' });
    expect((price.parse('1,234.5') as Decimal).toString()).toBe('1234.50');
    expect(price.format(Decimal.parse('1234567.891'))).toBe('1,234,567.89');
    expectParseError(() => price.parse('1.234,5'), '"1.234,5" is not a decimal number in the format "#,##0.00"');
    const count = codec({ type: 'long', format: '#,##0' });
    expect(count.parse('9,007,199,254,740,993')).toBe(9007199254740993n);
    expect(count.parse('12,345')).toBe(12345);
    expect(count.format(1234567890123456789n)).toBe('1,234,567,890,123,456,789');
    expect(codec({ type: 'integer', format: '0000' }).format(42)).toBe('0042');
    expect(codec({ type: 'number', format: '0.0%' }).format(0.256)).toBe('25.6%');
    expect(codec({ type: 'number', format: '0.0%' }).parse('25.6%')).toBe(0.256);
  });

  it('refuses a format on a type that takes none', () => {
    const error = errorOf(() => codec({ type: 'boolean', format: 'Y|N' }));
    expect(error.code).toBe('TREFOIL_ERR_VALUE_FORMAT_UNSUPPORTED');
    expect(error.message).toBe('a boolean field takes no format (only date and numeric fields do), got "Y|N"');
  });
});

describe('boolean', () => {
  const flag = codec({ type: 'boolean' });

  it.each([
    ['true', true], ['TRUE', true], ['True', true], ['t', true], ['T', true], ['yes', true], ['Y', true], ['1', true],
    ['false', false], ['FALSE', false], ['f', false], ['no', false], ['N', false], ['0', false], [' no ', false],
  ])('reads %j as %s', (text, expected) => {
    expect(flag.parse(text)).toBe(expected);
  });

  it('rejects anything else and writes true/false', () => {
    expectParseError(() => flag.parse('maybe'), '"maybe" is not a boolean (expected true/false, yes/no, y/n, t/f or 1/0)');
    expectParseError(() => flag.parse('2'), '"2" is not a boolean (expected true/false, yes/no, y/n, t/f or 1/0)');
    expect(flag.format(true)).toBe('true');
    expect(flag.format(false)).toBe('false');
    expect(fromJsonValue(field({ type: 'boolean' }), 'yes')).toBe(true);
    expect(fromJsonValue(field({ type: 'boolean' }), 0)).toBe(false);
  });
});

describe('date', () => {
  it('uses ISO-8601 without a format, and writes UTC with milliseconds', () => {
    const placed = codec({ type: 'date' });
    const value = placed.parse('2024-01-31T12:00:00+01:00') as Date;
    expect(value).toBeInstanceOf(Date);
    expect(placed.format(value)).toBe('2024-01-31T11:00:00.000Z');
  });

  it('uses the field format and time zone', () => {
    const placed = codec({ type: 'date', format: 'dd.MM.yyyy HH:mm', timeZone: 'Europe/Prague' });
    const value = placed.parse('15.07.2024 12:00') as Date;
    expect(value.toISOString()).toBe('2024-07-15T10:00:00.000Z');
    expect(placed.format(value)).toBe('15.07.2024 12:00');
    expect(writeJsonValue(field({ type: 'date', format: 'yyyy-MM-dd' }), new Date('2024-07-15T10:00:00Z'))).toBe('"2024-07-15"');
    expectParseError(
      () => placed.parse('30.02.2024 12:00'),
      '"30.02.2024 12:00" is not a date in the format "dd.MM.yyyy HH:mm": February 2024 has 29 days',
    );
    expect(() => codec({ type: 'date', format: 'yyyy-MM-ddTHH' })).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_DATE_PATTERN' }));
    expect(() => codec({ type: 'date', timeZone: 'Mars/Base' })).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_TIME_ZONE' }));
  });

  it('reads epoch milliseconds and date strings from JSON', () => {
    const dateField = field({ type: 'date' });
    expect((fromJsonValue(dateField, 0) as Date).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect((fromJsonValue(dateField, '2024-01-31') as Date).toISOString()).toBe('2024-01-31T00:00:00.000Z');
    expect(() => fromJsonValue(dateField, true)).toThrow('expected a date, got the boolean true');
  });
});

describe('bytes, string and variant', () => {
  it('reads and writes bytes as base64', () => {
    const data = codec({ type: 'bytes' });
    const value = data.parse('AAEC/w==') as Uint8Array;
    expect([...value]).toEqual([0, 1, 2, 255]);
    expect(data.format(new Uint8Array([0, 1, 2, 255]))).toBe('AAEC/w==');
    expect([...(data.parse('AAEC_w') as Uint8Array)]).toEqual([0, 1, 2, 255]);
    expectParseError(() => data.parse('not base64!'), '"not base64!" is not base64');
    expect(writeJsonValue(field({ type: 'bytes' }), new Uint8Array([104, 105]))).toBe('"aGk="');
  });

  it('takes strings as they are', () => {
    const text = codec({ type: 'string' });
    expect(text.parse('')).toBe('');
    expect(text.parse('  padded  ')).toBe('  padded  ');
    expect(text.format('a,b')).toBe('a,b');
    expect(fromJsonValue(field({ type: 'string' }), 12)).toBe('12');
    expect(fromJsonValue(field({ type: 'string' }), { a: 1 })).toBe('{"a":1}');
    expect(writeJsonValue(field({ type: 'string' }), 'say "hi"')).toBe('"say \\"hi\\""');
  });

  it('reads and writes variants as JSON text', () => {
    const any = codec({ type: 'variant' });
    expect(any.parse('{"a":[1,true,null]}')).toEqual({ a: [1, true, null] });
    expect(any.format({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(any.parse('')).toBeNull();
    expectParseError(() => any.parse('{bad'), `"{bad" is not JSON (${(() => { try { JSON.parse('{bad'); } catch (e) { return (e as Error).message; } })()})`);
    expect(fromJsonValue(field({ type: 'variant' }), { n: new ExactNumber('1.5'), text: 'kept' })).toEqual({ n: 1.5, text: 'kept' });
  });
});

describe('containers', () => {
  it('read a CSV cell holding a JSON list, converting each element', () => {
    const tags = codec({ type: 'string', container: 'list' });
    expect(tags.parse('["a","b"]')).toEqual(['a', 'b']);
    expect(tags.format(['a', 'b,c'])).toBe('["a","b,c"]');
    expect(tags.parse('')).toBeNull();
    expect(tags.parse('[]')).toEqual([]);
    const dates = codec({ type: 'date', container: 'list', format: 'yyyy-MM-dd' });
    const value = dates.parse('["2024-01-31", null]') as Array<Date | null>;
    expect(value[0]!.toISOString()).toBe('2024-01-31T00:00:00.000Z');
    expect(value[1]).toBeNull();
    expect(dates.format(value)).toBe('["2024-01-31",null]');
  });

  it('keep long and decimal elements exact', () => {
    const ids = codec({ type: 'long', container: 'list' });
    const value = ids.parse('[1, 9007199254740993, -9223372036854775808]');
    expect(value).toEqual([1, 9007199254740993n, -9223372036854775808n]);
    expect(ids.format(value)).toBe('[1,9007199254740993,-9223372036854775808]');
    const prices = codec({ type: 'decimal', container: 'map', scale: 2 });
    const map = prices.parse('{"a": 0.1, "b": "2.345"}') as Record<string, Decimal>;
    expect(map.a!.toString()).toBe('0.10');
    expect(map.b!.toString()).toBe('2.35');
    expect(prices.format(map)).toBe('{"a":0.10,"b":2.35}');
    expect(writeJsonText(toJsonValue(field({ type: 'decimal', container: 'map' }), map))).toBe('{"a":0.10,"b":2.35}');
  });

  it('name the element that does not convert', () => {
    const numbers = codec({ type: 'integer', container: 'list' });
    expectParseError(() => numbers.parse('[1, "x", 3]'), 'element 2: "x" is not an integer');
    expectParseError(() => numbers.parse('[1, 2.5]'), 'element 2: 2.5 is not an integer (fractions are not allowed)');
    expectParseError(() => numbers.parse('{"a": 1}'), '"{\\"a\\": 1}" is not a JSON array');
    expectParseError(() => numbers.parse('[1,'), '"[1," is not a JSON array (unexpected end at position 4)');
    const scores = codec({ type: 'integer', container: 'map' });
    expect(scores.parse('{"__proto__": 1, "b": null}')).toEqual(Object.fromEntries([['__proto__', 1], ['b', null]]));
    expectParseError(() => scores.parse('{"a": true}'), 'key "a": expected an integer, got the boolean true');
    expect(() => scores.format([1])).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_TYPE' }));
  });

  it('convert JSON input element by element', () => {
    const listField = field({ type: 'long', container: 'list' });
    expect(fromJsonValue(listField, [1, new ExactNumber('9007199254740993'), null])).toEqual([1, 9007199254740993n, null]);
    expect(fromJsonValue(listField, '[1,2]')).toEqual([1, 2]);
    expect(() => fromJsonValue(listField, { a: 1 })).toThrow('expected a list of long, got an object');
    expect(writeJsonValue(listField, [1, 9007199254740993n, null])).toBe('[1,9007199254740993,null]');
    expect(writeJsonValue(listField, null)).toBe('null');
  });
});

describe('compiling', () => {
  it('compiles once per field definition', () => {
    const definition = field({ type: 'decimal' });
    expect(compileTextCodec(definition).parse).toBe(compileTextCodec(definition).parse);
    expect(compileJsonCodec(definition).writeJson).toBe(compileJsonCodec(definition).writeJson);
  });
});
