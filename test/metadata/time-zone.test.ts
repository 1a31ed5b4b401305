import { describe, expect, it } from 'vitest';
import { compileTimeZone, formatOffset, isTimeZone, parseFixedOffset } from '../../engine/metadata/time-zone.ts';
import { civilFromDays, dayOfWeekFromDays, daysFromCivil, daysInMonth } from '../../engine/metadata/civil-date.ts';

const HOUR = 3_600_000;
const utc = (text: string) => Date.parse(text);

describe('civil dates', () => {
  it('agree with Date.UTC for every day from 1600 to 2400', () => {
    const civil = { year: 0, month: 0, day: 0 };
    const wrong: string[] = [];
    for (let days = daysFromCivil(1600, 1, 1); days < daysFromCivil(2400, 1, 1); days += 1) {
      const date = new Date(days * 86_400_000);
      civilFromDays(days, civil);
      if (civil.year !== date.getUTCFullYear() || civil.month !== date.getUTCMonth() + 1 || civil.day !== date.getUTCDate()
        || dayOfWeekFromDays(days) !== date.getUTCDay()) wrong.push(date.toISOString());
    }
    expect(wrong).toEqual([]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(civilFromDays(daysFromCivil(-43, 3, 15), civil)).toEqual({ year: -43, month: 3, day: 15 });
  });
});

describe('time zones', () => {
  it('give the offset at an instant, switching exactly at DST transitions', () => {
    const prague = compileTimeZone('Europe/Prague');
    expect(prague.offsetAt(utc('2024-03-31T00:59:59.999Z'))).toBe(HOUR);
    expect(prague.offsetAt(utc('2024-03-31T01:00:00.000Z'))).toBe(2 * HOUR);
    expect(prague.offsetAt(utc('2024-10-27T00:59:59.999Z'))).toBe(2 * HOUR);
    expect(prague.offsetAt(utc('2024-10-27T01:00:00.000Z'))).toBe(HOUR);
    const newYork = compileTimeZone('America/New_York');
    expect(newYork.offsetAt(utc('2024-03-10T06:59:59Z'))).toBe(-5 * HOUR);
    expect(newYork.offsetAt(utc('2024-03-10T07:00:00Z'))).toBe(-4 * HOUR);
    expect(newYork.offsetAt(utc('1960-07-01T00:00:00Z'))).toBe(-4 * HOUR);
  });

  it('work at the very ends of the Date range', () => {
    const prague = compileTimeZone('Europe/Prague');
    expect(prague.offsetAt(8.64e15)).toBe(HOUR * 2);
    expect(Number.isFinite(prague.offsetAt(-8.64e15))).toBe(true);
    expect(prague.localToInstant(8.64e15)).toBe(8.64e15 - 2 * HOUR);
  });

  it('map local times to instants: gaps move forward, overlaps take the earlier instant', () => {
    const prague = compileTimeZone('Europe/Prague');
    const local = (text: string) => Date.parse(`${text}Z`);
    expect(new Date(prague.localToInstant(local('2024-03-31T02:30:00'))).toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(new Date(prague.localToInstant(local('2024-10-27T02:30:00'))).toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(new Date(prague.localToInstant(local('2024-10-27T03:00:00'))).toISOString()).toBe('2024-10-27T02:00:00.000Z');
  });

  it('name zones as Java does where Intl knows the abbreviation', () => {
    expect(compileTimeZone('Europe/Prague').shortName(utc('2024-07-01T00:00:00Z'))).toBe('CEST');
    expect(compileTimeZone('America/New_York').shortName(utc('2024-01-01T00:00:00Z'))).toBe('EST');
    expect(compileTimeZone('Asia/Tokyo').shortName(0)).toBe('GMT+09:00');
    expect(compileTimeZone('America/New_York').longName(utc('2024-07-01T00:00:00Z'))).toBe('Eastern Daylight Time');
  });

  it('accept fixed offsets and reject unknown names', () => {
    expect(parseFixedOffset('+02:00')).toBe(2 * HOUR);
    expect(parseFixedOffset('-0530')).toBe(-5.5 * HOUR);
    expect(parseFixedOffset('UTC+2')).toBe(2 * HOUR);
    expect(parseFixedOffset('Z')).toBe(0);
    expect(parseFixedOffset('+19:00')).toBeUndefined();
    expect(parseFixedOffset('Europe/Prague')).toBeUndefined();
    expect(formatOffset(-5.5 * HOUR)).toBe('-05:30');
    const plusTwo = compileTimeZone('GMT+02:00');
    expect(plusTwo.id).toBe('+02:00');
    expect(plusTwo.offsetAt(0)).toBe(2 * HOUR);
    expect(isTimeZone('Europe/Prague')).toBe(true);
    expect(isTimeZone('Nowhere/Town')).toBe(false);
    expect(() => compileTimeZone('Nowhere/Town')).toThrow(
      expect.objectContaining({
        code: 'TREFOIL_ERR_VALUE_TIME_ZONE',
        message: 'unknown time zone "Nowhere/Town" (use an IANA name such as Europe/Prague, UTC, or an offset such as +02:00)',
      }),
    );
  });
});
