/**
 * ISO-8601 text forms of dates: the default when a date field has no `format` (SPEC §2, §7).
 *
 * Reading accepts `2024-01-31`, `2024-01-31T12:30`, `2024-01-31T12:30:15`, fractions of a second
 * (`.5`, `.123456789`, a comma too; digits past milliseconds are dropped), a space or `T` between
 * date and time, and an offset `Z`, `+02:00`, `+0200` or `+02`. Text without an offset is local
 * time in the field's zone (UTC by default); a date alone is midnight there. Extended years
 * (`+012024-…`, `-000001-…`) are read as `toISOString` writes them.
 *
 * Writing is always UTC with milliseconds (`2024-01-31T11:30:15.000Z`), whatever the zone.
 */
import { daysFromCivil, daysInMonth, MS_PER_DAY } from './civil-date.ts';
import type { TimeZoneRules } from './time-zone.ts';

/** Largest |epoch milliseconds| a Date can hold. */
export const MAX_DATE_MS = 8.64e15;

function digitAt(text: string, index: number): number {
  const digit = text.charCodeAt(index) - 48;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/** The two-digit number at `index`, or -1. */
function twoDigits(text: string, index: number): number {
  const tens = digitAt(text, index);
  const ones = digitAt(text, index + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

/**
 * Epoch milliseconds of an ISO-8601 date or date-time, NaN when `text` is not one (or names an
 * impossible date such as February 30). Offset-less text is local time in `zone`.
 */
export function scanIsoDate(text: string, zone: TimeZoneRules): number {
  const length = text.length;
  let index = 0;
  let yearSign = 1;
  let yearDigitsMax = 4;
  const first = text.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) {
    yearSign = first === 45 ? -1 : 1;
    yearDigitsMax = 6;
    index = 1;
  }
  let year = 0;
  const yearStart = index;
  for (let digit; index - yearStart < yearDigitsMax && (digit = digitAt(text, index)) >= 0; index++) year = year * 10 + digit;
  const yearDigits = index - yearStart;
  if (yearDigits < 4 || (yearDigitsMax === 6 && yearDigits !== 6)) return Number.NaN;
  year *= yearSign;
  if (text.charCodeAt(index) !== 45) return Number.NaN;
  const month = twoDigits(text, index + 1);
  if (month < 1 || month > 12 || text.charCodeAt(index + 3) !== 45) return Number.NaN;
  const day = twoDigits(text, index + 4);
  if (day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  index += 6;
  let local = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (index === length) return checkRange(zone.localToInstant(local));

  const separator = text.charCodeAt(index);
  if (separator !== 84 /* T */ && separator !== 116 /* t */ && separator !== 32 /* space */) return Number.NaN;
  const hour = twoDigits(text, index + 1);
  if (hour < 0 || hour > 23 || text.charCodeAt(index + 3) !== 58 /* : */) return Number.NaN;
  const minute = twoDigits(text, index + 4);
  if (minute < 0 || minute > 59) return Number.NaN;
  index += 6;
  local += hour * 3_600_000 + minute * 60_000;
  if (text.charCodeAt(index) === 58) {
    const second = twoDigits(text, index + 1);
    if (second < 0 || second > 59) return Number.NaN;
    local += second * 1000;
    index += 3;
    const mark = text.charCodeAt(index);
    if (mark === 46 /* . */ || mark === 44 /* , */) {
      const fractionStart = ++index;
      let milliseconds = 0;
      for (let digit; (digit = digitAt(text, index)) >= 0; index++) {
        const position = index - fractionStart;
        if (position < 3) milliseconds += digit * (position === 0 ? 100 : position === 1 ? 10 : 1);
      }
      const fractionDigits = index - fractionStart;
      if (fractionDigits < 1 || fractionDigits > 9) return Number.NaN;
      local += milliseconds;
    }
  }
  if (index === length) return checkRange(zone.localToInstant(local));

  const offsetMark = text.charCodeAt(index);
  let offset: number;
  if (offsetMark === 90 /* Z */ || offsetMark === 122 /* z */) {
    offset = 0;
    index++;
  } else if (offsetMark === 43 || offsetMark === 45) {
    const offsetHours = twoDigits(text, index + 1);
    if (offsetHours < 0 || offsetHours > 18) return Number.NaN;
    index += 3;
    let offsetMinutes = 0;
    if (index < length) {
      if (text.charCodeAt(index) === 58) index++;
      offsetMinutes = twoDigits(text, index);
      if (offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
      index += 2;
    }
    offset = (offsetHours * 60 + offsetMinutes) * 60_000 * (offsetMark === 45 ? -1 : 1);
  } else {
    return Number.NaN;
  }
  if (index !== length) return Number.NaN;
  return checkRange(local - offset);
}

function checkRange(epochMs: number): number {
  return epochMs >= -MAX_DATE_MS && epochMs <= MAX_DATE_MS ? epochMs : Number.NaN;
}

/** `2024-01-31T11:30:15.000Z`: ISO-8601 in UTC with milliseconds. The date must be valid. */
export function formatIsoDate(date: Date): string {
  return date.toISOString();
}
