import { describe, expect, it } from 'vitest';
import { compileDateFormat } from '../../engine/metadata/date-format.ts';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';

const iso = (date: Date) => date.toISOString();
const at = (text: string) => new Date(text);

function parseError(run: () => unknown): TrefoilError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrefoilError);
    return error as TrefoilError;
  }
  throw new Error('expected an error');
}

describe('ISO-8601 (no format)', () => {
  const utc = compileDateFormat();

  it.each([
    ['2024-01-31', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31T12:30', '2024-01-31T12:30:00.000Z'],
    ['2024-01-31T12:30:15', '2024-01-31T12:30:15.000Z'],
    ['2024-01-31T12:30:15.5', '2024-01-31T12:30:15.500Z'],
    ['2024-01-31T12:30:15.123456789', '2024-01-31T12:30:15.123Z'],
    ['2024-01-31 12:30:15,250', '2024-01-31T12:30:15.250Z'],
    ['2024-01-31T12:30:15Z', '2024-01-31T12:30:15.000Z'],
    ['2024-01-31T12:30:15.000+02:00', '2024-01-31T10:30:15.000Z'],
    ['2024-01-31T12:30:15-0530', '2024-01-31T18:00:15.000Z'],
    ['2024-01-31T12:30+01', '2024-01-31T11:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['+012024-01-31T00:00:00.000Z', '+012024-01-31T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(iso(utc.parse(text))).toBe(expected);
  });

  it.each(['', '2024', '2024-1-31', '2024-13-01', '2023-02-29', '2024-04-31', '2024-01-31T24:00', '2024-01-31T12:60',
    '2024-01-31T12:30:61', '2024-01-31T12:30:15.', '2024-01-31X12:30', '2024-01-31T12:30:15+2', '2024-01-31T12:30:15Zjunk', ' 2024-01-31'])(
    'rejects %j',
    (text) => {
      const error = parseError(() => utc.parse(text));
      expect(error.code).toBe('TREFOIL_ERR_VALUE_PARSE');
      expect(error.message).toBe(
        `${JSON.stringify(text)} is not an ISO-8601 date (expected e.g. 2024-01-31, 2024-01-31T12:30:00 or 2024-01-31T12:30:00.000Z)`,
      );
    },
  );

  it('writes UTC with milliseconds whatever the zone, and reads it back', () => {
    const prague = compileDateFormat(undefined, 'Europe/Prague');
    const date = at('2024-07-01T10:00:00.000Z');
    expect(prague.format(date)).toBe('2024-07-01T10:00:00.000Z');
    expect(utc.format(at('1969-12-31T23:59:59.999Z'))).toBe('1969-12-31T23:59:59.999Z');
    expect(iso(prague.parse(prague.format(date)))).toBe(iso(date));
  });

  it('reads text without an offset as local time in the field zone, across DST', () => {
    const prague = compileDateFormat(undefined, 'Europe/Prague');
    expect(iso(prague.parse('2024-01-15T12:00'))).toBe('2024-01-15T11:00:00.000Z'); // CET, +01:00
    expect(iso(prague.parse('2024-07-15T12:00'))).toBe('2024-07-15T10:00:00.000Z'); // CEST, +02:00
    expect(iso(prague.parse('2024-07-15'))).toBe('2024-07-14T22:00:00.000Z');
    const newYork = compileDateFormat(undefined, 'America/New_York');
    expect(iso(newYork.parse('2024-01-15T12:00'))).toBe('2024-01-15T17:00:00.000Z'); // EST
    expect(iso(newYork.parse('2024-07-15T12:00'))).toBe('2024-07-15T16:00:00.000Z'); // EDT
    expect(iso(newYork.parse('2024-07-15T12:00Z'))).toBe('2024-07-15T12:00:00.000Z'); // explicit offset wins
  });

  it('rejects invalid Dates when formatting', () => {
    expect(() => utc.format(new Date(Number.NaN))).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_TYPE' }));
  });
});

describe('patterns: formatting', () => {
  const date = at('2024-07-05T08:04:09.045Z');

  it.each([
    ['yyyy-MM-dd', '2024-07-05'],
    ['yy/M/d', '24/7/5'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSS", '2024-07-05T08:04:09.045'],
    ['dd.MM.yyyy HH:mm', '05.07.2024 08:04'],
    ['EEE, d MMM yyyy', 'Fri, 5 Jul 2024'],
    ['EEEE d MMMM', 'Friday 5 July'],
    ['h:mm a', '8:04 AM'],
    ['hh K k H', '08 8 8 8'],
    ['SSS S SS SSSSSS', '045 0 04 045000'],
    ['D u G', '187 5 AD'],
    ["'at' HH 'o''clock' ''", "at 08 o'clock '"],
    ['yyyyMMddHHmmss', '20240705080409'],
    ['z zzzz Z X XX XXX', 'UTC Coordinated Universal Time +0000 Z Z Z'],
  ])('%s → %s', (pattern, expected) => {
    expect(compileDateFormat(pattern).format(date)).toBe(expected);
  });

  it('writes local time and zone of the field zone, across DST', () => {
    const prague = compileDateFormat('yyyy-MM-dd HH:mm z Z XXX', 'Europe/Prague');
    expect(prague.format(at('2024-01-15T11:00:00Z'))).toBe('2024-01-15 12:00 CET +0100 +01:00');
    expect(prague.format(at('2024-07-15T10:00:00Z'))).toBe('2024-07-15 12:00 CEST +0200 +02:00');
    expect(prague.format(at('2024-03-31T00:59:59Z'))).toBe('2024-03-31 01:59 CET +0100 +01:00');
    expect(prague.format(at('2024-03-31T01:00:00Z'))).toBe('2024-03-31 03:00 CEST +0200 +02:00');
    const newYork = compileDateFormat('yyyy-MM-dd hh:mm a zzz', 'America/New_York');
    expect(newYork.format(at('2024-11-03T05:30:00Z'))).toBe('2024-11-03 01:30 AM EDT');
    expect(newYork.format(at('2024-11-03T06:30:00Z'))).toBe('2024-11-03 01:30 AM EST');
    expect(compileDateFormat('HH:mm XXX', '+05:30').format(at('2024-01-01T00:00:00Z'))).toBe('05:30 +05:30');
  });
});

describe('patterns: parsing', () => {
  it.each([
    ['yyyy-MM-dd', '2024-07-05', '2024-07-05T00:00:00.000Z'],
    ['d.M.yyyy', '5.7.2024', '2024-07-05T00:00:00.000Z'],
    ['d.M.yyyy', '05.07.2024', '2024-07-05T00:00:00.000Z'],
    ['yyyyMMdd', '20240705', '2024-07-05T00:00:00.000Z'],
    ["yyyyMMdd'T'HHmmss", '20240705T080409', '2024-07-05T08:04:09.000Z'],
    ['dd/MM/yyyy HH:mm:ss.SSS', '05/07/2024 08:04:09.045', '2024-07-05T08:04:09.045Z'],
    ['HH:mm:ss.SSSSSS', '08:04:09.123456', '1970-01-01T08:04:09.123Z'],
    ['EEE, d MMM yyyy HH:mm:ss z', 'Fri, 5 Jul 2024 08:04:09 GMT', '2024-07-05T08:04:09.000Z'],
    ['EEE, d MMM yyyy HH:mm:ss z', 'friday, 5 july 2024 08:04:09 CEST', '2024-07-05T06:04:09.000Z'],
    ['EEE, d MMM yyyy HH:mm:ss z', 'Fri, 5 JUL 2024 08:04:09 GMT+05:30', '2024-07-05T02:34:09.000Z'],
    ['MMMM d, yyyy h:mm a', 'July 5, 2024 12:15 AM', '2024-07-05T00:15:00.000Z'],
    ['MMMM d, yyyy h:mm a', 'July 5, 2024 12:15 PM', '2024-07-05T12:15:00.000Z'],
    ['MMMM d, yyyy h:mm a', 'July 5, 2024 1:15 pm', '2024-07-05T13:15:00.000Z'],
    ['yyyy-MM-dd k:mm', '2024-07-05 24:00', '2024-07-05T00:00:00.000Z'],
    ['yyyy-MM-dd HH:mm Z', '2024-07-05 08:04 +0200', '2024-07-05T06:04:00.000Z'],
    ['yyyy-MM-dd HH:mm XXX', '2024-07-05 08:04 -05:00', '2024-07-05T13:04:00.000Z'],
    ['yyyy-MM-dd HH:mm X', '2024-07-05 08:04 Z', '2024-07-05T08:04:00.000Z'],
    ['yyyy-D', '2024-187', '2024-07-05T00:00:00.000Z'],
    ['yyyy G', '44 BC', '-000043-01-01T00:00:00.000Z'],
  ])('%s reads %j', (pattern, text, expected) => {
    expect(iso(compileDateFormat(pattern).parse(text))).toBe(expected);
  });

  it('reads two-digit years within 80 years back and 20 ahead, like Java', () => {
    const thisYear = new Date().getUTCFullYear();
    const format = compileDateFormat('dd.MM.yy');
    const future = (thisYear + 10) % 100;
    const past = (thisYear + 30) % 100; // 70 years back
    expect(format.parse(`01.01.${String(future).padStart(2, '0')}`).getUTCFullYear()).toBe(thisYear + 10);
    expect(format.parse(`01.01.${String(past).padStart(2, '0')}`).getUTCFullYear()).toBe(thisYear - 70);
    expect(format.parse('01.01.2024').getUTCFullYear()).toBe(2024); // more digits are taken literally
  });

  it('reads local times in the field zone: DST gaps move forward, repeated times take the first', () => {
    const prague = compileDateFormat('dd.MM.yyyy HH:mm', 'Europe/Prague');
    expect(iso(prague.parse('31.03.2024 01:30'))).toBe('2024-03-31T00:30:00.000Z');
    expect(iso(prague.parse('31.03.2024 02:30'))).toBe('2024-03-31T01:30:00.000Z'); // does not exist: 03:30 CEST
    expect(iso(prague.parse('31.03.2024 03:30'))).toBe('2024-03-31T01:30:00.000Z');
    expect(iso(prague.parse('27.10.2024 02:30'))).toBe('2024-10-27T00:30:00.000Z'); // twice: first (CEST)
    expect(iso(prague.parse('27.10.2024 03:30'))).toBe('2024-10-27T02:30:00.000Z');
    const newYork = compileDateFormat('yyyy-MM-dd HH:mm', 'America/New_York');
    expect(iso(newYork.parse('2024-03-10 02:30'))).toBe('2024-03-10T07:30:00.000Z'); // gap: 03:30 EDT
    expect(iso(newYork.parse('2024-11-03 01:30'))).toBe('2024-11-03T05:30:00.000Z'); // first 01:30 (EDT)
    expect(iso(compileDateFormat('yyyy-MM-dd HH:mm z', 'America/New_York').parse('2024-11-03 01:30 EST'))).toBe(
      '2024-11-03T06:30:00.000Z',
    );
  });

  it('round-trips every hour of a year in Prague and New York', () => {
    for (const zone of ['Europe/Prague', 'America/New_York']) {
      const format = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", zone);
      const mismatches: string[] = [];
      for (let hour = 0; hour < 366 * 24; hour++) {
        const date = new Date(Date.UTC(2024, 0, 1) + hour * 3_600_000 + 1234);
        const text = format.format(date);
        if (format.parse(text).getTime() !== date.getTime()) mismatches.push(`${date.toISOString()} → ${text}`);
      }
      expect(mismatches).toEqual([]);
    }
  });

  it.each([
    ['yyyy-MM-dd', '2024-02-30', 'February 2024 has 29 days'],
    ['yyyy-MM-dd', '2023-02-29', 'February 2023 has 28 days'],
    ['yyyy-MM-dd', '2024-13-01', 'month 13 is out of range (1..12)'],
    ['yyyy-MM-dd', '2024-07-05 ', 'unexpected " " at position 11'],
    ['yyyy-MM-dd', '2024/07/05', 'expected "-" at position 5'],
    ['yyyy-MM-dd', '2024-07-', 'expected a number for dd at position 9'],
    ['yyyyMMdd', '2024075', 'expected 2 digits for dd at position 7'],
    ['yyyyMMdd', '20247', 'expected 2 digits for MM at position 5'],
    ['HH:mm', '24:00', 'hour 24 is out of range (0..23)'],
    ['hh:mm a', '13:00 PM', 'hour 13 is out of range (1..12)'],
    ['HH:mm', '12:60', 'minute 60 is out of range (0..59)'],
    ['EEE yyyy-MM-dd', 'Mon 2024-07-05', '2024-07-05 is a Friday, not a Monday'],
    ['MMM yyyy', 'Foo 2024', 'expected a month name at position 1'],
    ['HH:mm XXX', '10:00 +25:00', 'expected an offset such as +01:00 or Z at position 7'],
    ['yyyy-D', '2023-366', 'day of year 366 is out of range (1..365)'],
  ])('%s rejects %j: %s', (pattern, text, reason) => {
    const error = parseError(() => compileDateFormat(pattern).parse(text));
    expect(error.code).toBe('TREFOIL_ERR_VALUE_PARSE');
    expect(error.message).toBe(`${JSON.stringify(text)} is not a date in the format ${JSON.stringify(pattern)}: ${reason}`);
  });
});

describe('compiling', () => {
  it.each([
    ['YYYY-MM-dd', 'Y (week year) is not supported; use y for the calendar year'],
    ['yyyy-ww', 'w (week in year) is not supported'],
    ['yyyy-MM-ddTHH', "unknown pattern letter T (quote literal text: 'T')"],
    ["yyyy 'open", 'a quote is not closed'],
    ['HH XXXX', 'X takes at most 3 letters (XXX = +01:00)'],
  ])('rejects the pattern %j', (pattern, reason) => {
    expect(() => compileDateFormat(pattern)).toThrow(
      expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_DATE_PATTERN', message: `invalid date format ${JSON.stringify(pattern)}: ${reason}` }),
    );
  });

  it('rejects unknown time zones and accepts IANA names and offsets', () => {
    expect(() => compileDateFormat('yyyy', 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: 'TREFOIL_ERR_VALUE_TIME_ZONE', message: expect.stringContaining('"Mars/Olympus"') }),
    );
    expect(compileDateFormat('yyyy', 'europe/prague').timeZone).toBe('Europe/Prague');
    expect(compileDateFormat(undefined, 'UTC+2').timeZone).toBe('+02:00');
    expect(compileDateFormat(undefined, 'Etc/UTC').timeZone).toBe('UTC');
  });

  it('parses and formats 200,000 values in well under a second each', () => {
    const format = compileDateFormat('dd.MM.yyyy HH:mm:ss', 'Europe/Prague');
    const dates = Array.from({ length: 1000 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 7_654_321_000));
    const texts = dates.map((date) => format.format(date));
    let started = performance.now();
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += format.parse(texts[i % 1000]!).getTime();
    const parseMs = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < 200_000; i++) sum += format.format(dates[i % 1000]!).length;
    const formatMs = performance.now() - started;
    expect(sum).not.toBe(0);
    expect(parseMs).toBeLessThan(1000);
    expect(formatMs).toBeLessThan(1000);
  });
});
