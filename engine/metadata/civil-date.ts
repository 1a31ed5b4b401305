/**
 * Calendar arithmetic on the proleptic Gregorian calendar, without Date objects: days since the
 * epoch ↔ year/month/day. Years are astronomical (year 0 = 1 BC) and not limited to 1..9999.
 *
 * NOTE: `Date.UTC` maps years 0..99 to 1900..1999, and a Date per conversion costs an
 * allocation; these integer formulas (H. Hinnant, "chrono-compatible low-level date algorithms")
 * do neither.
 */

export const MS_PER_DAY = 86_400_000;

/** A calendar date; `month` is 1..12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** True for leap years of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1..12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Days from 1970-01-01 to the given date (negative before it). `month` is 1..12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Writes the date `days` after 1970-01-01 into `into` (reused to keep hot paths allocation-free). */
export function civilFromDays(days: number, into: CivilDate): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  into.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  into.month = month;
  into.day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  return into;
}

/** Day of the week of the day `days` after 1970-01-01: 0 = Sunday … 6 = Saturday. */
export function dayOfWeekFromDays(days: number): number {
  const weekday = (days + 4) % 7; // 1970-01-01 was a Thursday
  return weekday < 0 ? weekday + 7 : weekday;
}
