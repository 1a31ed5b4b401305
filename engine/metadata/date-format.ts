/**
 * Date text forms for date fields: a CloverDX / Java `SimpleDateFormat` pattern compiled once into
 * a parser and a formatter, in an IANA time zone; ISO-8601 when there is no pattern (SPEC §2).
 *
 * | letters | meaning                       | example          |
 * |---------|-------------------------------|------------------|
 * | G       | era                           | AD               |
 * | y yyyy  | year (`yy`: two digits)       | 2024, 24         |
 * | M MM    | month number                  | 1, 01            |
 * | MMM     | month name (`MMMM`: full)     | Jan, January     |
 * | d dd    | day of month                  | 5, 05            |
 * | D       | day of year                   | 189              |
 * | E EEE   | day name (`EEEE`: full)       | Mon, Monday      |
 * | u       | day number of week (1 = Mon)  | 1                |
 * | a       | AM/PM marker                  | PM               |
 * | H k     | hour 0-23, 1-24               | 0, 24            |
 * | K h     | hour 0-11, 1-12 (with `a`)    | 0, 12            |
 * | m s     | minute, second                | 30               |
 * | S…      | fraction of a second          | SSS → 045        |
 * | z zzzz  | zone name (short, long)       | CET, Central European Standard Time |
 * | Z       | RFC 822 offset                | +0100            |
 * | X XX XXX| ISO offset (`Z` for UTC)      | +01, +0100, +01:00 |
 * | 'text'  | literal text (`''` = `'`)     | 'T'              |
 *
 * Other ASCII letters are reserved and rejected; any other character is literal.
 *
 * Parsing is strict: the whole text must match, numbers must be in range, the date must exist
 * (no February 30) and a day name must agree with the date. Names are English and matched
 * case-insensitively; full and short names are both accepted. Numeric fields take one digit or
 * more, except next to another numeric field (`yyyyMMdd`, `HHmm`), where each takes exactly its
 * letter count. Two-digit years (`yy`) fall within 80 years before and 20 after today, as in
 * Java. An offset or zone name in the text overrides the field's zone; otherwise local times are
 * in that zone, a time skipped by a DST change moves forward by the gap and a repeated time takes
 * its first occurrence.
 *
 * NOTE: deliberate differences from Java's `SimpleDateFormat`: `S` is a fraction of a second (as
 * in java.time and Joda: `SSSSSS` reads microseconds) rather than a count of milliseconds; dates
 * use the proleptic Gregorian calendar (no Julian switch in 1582); `w`, `W`, `F` and `Y` (week
 * based fields) are not supported; `z` names come from the Intl data Node ships.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import {
  civilFromDays,
  dayOfWeekFromDays,
  daysFromCivil,
  daysInMonth,
  isLeapYear,
  MS_PER_DAY,
  type CivilDate,
} from './civil-date.ts';
import { formatIsoDate, MAX_DATE_MS, scanIsoDate } from './iso-date.ts';
import { quoteForMessage } from './quote-for-message.ts';
import { compileTimeZone, formatOffset, parseFixedOffset, type TimeZoneRules } from './time-zone.ts';

/** A compiled text form of dates: one pattern in one zone. */
export interface DateCodec {
  /** The pattern, or undefined for ISO-8601. */
  readonly pattern: string | undefined;
  /** Canonical zone id (`UTC`, `Europe/Prague`, `+02:00`). */
  readonly timeZone: string;
  /**
   * The instant `text` denotes.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_PARSE` when the text does not match or names no date
   */
  parse(text: string): Date;
  /**
   * The text of `date`.
   * @throws TrefoilError `TREFOIL_ERR_VALUE_TYPE` for an invalid Date
   */
  format(date: Date): string;
}

export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

type Token = { readonly literal: string } | { readonly letter: string; readonly count: number };

const SUPPORTED_LETTERS = 'GyMLdDEuaHkKhmsSzZX';
const NUMERIC_LETTERS = 'ydDuHkKhms';
const UNSUPPORTED_HINTS: Readonly<Record<string, string>> = {
  Y: 'Y (week year) is not supported; use y for the calendar year',
  w: 'w (week in year) is not supported',
  W: 'W (week in month) is not supported',
  F: 'F (day of week in month) is not supported',
};

function patternError(pattern: string, reason: string): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_VALUE_DATE_PATTERN', `invalid date format ${JSON.stringify(pattern)}: ${reason}`);
}

/** Splits a pattern into letter runs and literal text. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  const flushLiteral = () => {
    if (literal !== '') tokens.push({ literal });
    literal = '';
  };
  for (let index = 0; index < pattern.length; ) {
    const char = pattern[index]!;
    if (char === "'") {
      if (pattern[index + 1] === "'") {
        literal += "'";
        index += 2;
        continue;
      }
      index++;
      for (;;) {
        if (index >= pattern.length) throw patternError(pattern, 'a quote is not closed');
        if (pattern[index] === "'") {
          if (pattern[index + 1] === "'") {
            literal += "'";
            index += 2;
            continue;
          }
          index++;
          break;
        }
        literal += pattern[index++];
      }
      continue;
    }
    if ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z')) {
      if (!SUPPORTED_LETTERS.includes(char)) {
        throw patternError(pattern, UNSUPPORTED_HINTS[char] || `unknown pattern letter ${char} (quote literal text: 'T')`);
      }
      let count = 1;
      while (pattern[index + count] === char) count++;
      if (char === 'X' && count > 3) throw patternError(pattern, 'X takes at most 3 letters (XXX = +01:00)');
      flushLiteral();
      tokens.push({ letter: char === 'L' ? 'M' : char, count });
      index += count;
      continue;
    }
    literal += char;
    index++;
  }
  flushLiteral();
  if (tokens.length === 0) throw patternError(pattern, 'it is empty');
  return tokens;
}

function isNumericToken(token: Token | undefined): boolean {
  if (token === undefined || !('letter' in token)) return false;
  return NUMERIC_LETTERS.includes(token.letter) || token.letter === 'S' || (token.letter === 'M' && token.count <= 2);
}

/** '00'..'99', so the common two-digit fields need no string building. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => (value < 10 ? `0${value}` : String(value)));

function pad(value: number, width: number): string {
  if (width === 2 && value < 100) return TWO_DIGITS[value]!;
  const text = String(value);
  return text.length >= width ? text : '0'.repeat(width - text.length) + text;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Local fields of the instant being formatted; one instance per compiled formatter, reused. */
interface LocalFields {
  epoch: number;
  offset: number;
  civil: CivilDate;
  dayOfYear: number;
  dayOfWeek: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

type FormatPiece = (fields: LocalFields) => string;

function formatPiece(letter: string, count: number, zone: TimeZoneRules): FormatPiece {
  switch (letter) {
    case 'G':
      return (f) => (f.civil.year > 0 ? 'AD' : 'BC');
    case 'y':
      return count === 2
        ? (f) => pad(yearOfEra(f.civil.year) % 100, 2)
        : (f) => pad(yearOfEra(f.civil.year), count);
    case 'M':
      if (count >= 4) return (f) => MONTH_NAMES[f.civil.month - 1]!;
      if (count === 3) return (f) => MONTH_NAMES[f.civil.month - 1]!.slice(0, 3);
      return (f) => pad(f.civil.month, count);
    case 'd':
      return (f) => pad(f.civil.day, count);
    case 'D':
      return (f) => pad(f.dayOfYear, count);
    case 'E':
      return count >= 4 ? (f) => DAY_NAMES[f.dayOfWeek]! : (f) => DAY_NAMES[f.dayOfWeek]!.slice(0, 3);
    case 'u':
      return (f) => pad(f.dayOfWeek === 0 ? 7 : f.dayOfWeek, count);
    case 'a':
      return (f) => (f.hour < 12 ? 'AM' : 'PM');
    case 'H':
      return (f) => pad(f.hour, count);
    case 'k':
      return (f) => pad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return (f) => pad(f.hour % 12, count);
    case 'h':
      return (f) => pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return (f) => pad(f.minute, count);
    case 's':
      return (f) => pad(f.second, count);
    case 'S':
      return (f) => {
        const digits = pad(f.millisecond, 3);
        return count <= 3 ? digits.slice(0, count) : digits + '0'.repeat(count - 3);
      };
    case 'z':
      return count >= 4 ? (f) => zone.longName(f.epoch) : (f) => zone.shortName(f.epoch);
    case 'Z':
      return (f) => formatOffset(f.offset, '');
    default: // 'X'
      if (count === 1) return (f) => (f.offset === 0 ? 'Z' : formatOffset(f.offset).slice(0, 3));
      return count === 2
        ? (f) => (f.offset === 0 ? 'Z' : formatOffset(f.offset, ''))
        : (f) => (f.offset === 0 ? 'Z' : formatOffset(f.offset));
  }
}

function yearOfEra(year: number): number {
  return year > 0 ? year : 1 - year;
}

function compileFormatter(tokens: Token[], zone: TimeZoneRules): (date: Date) => string {
  const pieces: FormatPiece[] = tokens.map((token) =>
    'literal' in token ? () => token.literal : formatPiece(token.letter, token.count, zone),
  );
  const needsDayOfYear = tokens.some((token) => 'letter' in token && token.letter === 'D');
  const fields: LocalFields = {
    epoch: 0, offset: 0, civil: { year: 0, month: 0, day: 0 }, dayOfYear: 0, dayOfWeek: 0,
    hour: 0, minute: 0, second: 0, millisecond: 0,
  };
  return (date) => {
    const epoch = validEpoch(date);
    const offset = zone.offsetAt(epoch);
    const local = epoch + offset;
    const days = Math.floor(local / MS_PER_DAY);
    let rest = local - days * MS_PER_DAY;
    fields.epoch = epoch;
    fields.offset = offset;
    civilFromDays(days, fields.civil);
    fields.dayOfWeek = dayOfWeekFromDays(days);
    if (needsDayOfYear) fields.dayOfYear = days - daysFromCivil(fields.civil.year, 1, 1) + 1;
    fields.hour = Math.floor(rest / 3_600_000);
    rest -= fields.hour * 3_600_000;
    fields.minute = Math.floor(rest / 60_000);
    rest -= fields.minute * 60_000;
    fields.second = Math.floor(rest / 1000);
    fields.millisecond = rest - fields.second * 1000;
    let text = '';
    for (const piece of pieces) text += piece(fields);
    return text;
  };
}

function validEpoch(date: Date): number {
  const epoch = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(epoch)) {
    throw new TrefoilError('TREFOIL_ERR_VALUE_TYPE', `expected a valid Date, got ${date instanceof Date ? 'Invalid Date' : typeof date}`);
  }
  return epoch;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** What a parse has read so far; one instance per compiled parser, reset per value. */
class ParseState {
  era = 1;
  year: number | undefined;
  twoDigitYear = false;
  month: number | undefined;
  day: number | undefined;
  dayOfYear: number | undefined;
  dayOfWeek: number | undefined;
  hour: number | undefined;
  hour12: number | undefined;
  pm: boolean | undefined;
  minute = 0;
  second = 0;
  millisecond = 0;
  offset: number | undefined;
  /** Why the parse failed, for the message. */
  problem = '';

  reset(): void {
    this.era = 1;
    this.year = this.month = this.day = this.dayOfYear = this.dayOfWeek = undefined;
    this.hour = this.hour12 = this.pm = this.offset = undefined;
    this.twoDigitYear = false;
    this.minute = this.second = this.millisecond = 0;
    this.problem = '';
  }
}

/** Reads one token at `position`; returns the position after it, or -1 (with `state.problem` set). */
type ParseStep = (text: string, position: number, state: ParseState) => number;

/** Candidate names with their values, longest first so `June` wins over `Jun`. */
function nameTable(entries: Array<[string, number]>): Array<[string, number]> {
  return entries.map(([name, value]): [string, number] => [name.toLowerCase(), value]).sort((a, b) => b[0].length - a[0].length);
}

function matchName(text: string, position: number, table: Array<[string, number]>): [number, number] | undefined {
  for (const [name, value] of table) {
    if (text.length - position >= name.length && text.slice(position, position + name.length).toLowerCase() === name) {
      return [position + name.length, value];
    }
  }
  return undefined;
}

const MONTH_TABLE = nameTable(MONTH_NAMES.flatMap((name, index): Array<[string, number]> => [[name, index + 1], [name.slice(0, 3), index + 1]]));
const DAY_TABLE = nameTable(DAY_NAMES.flatMap((name, index): Array<[string, number]> => [[name, index], [name.slice(0, 3), index]]));
const AM_PM_TABLE = nameTable([['AM', 0], ['PM', 1]]);
const ERA_TABLE = nameTable([['AD', 1], ['BC', 0]]);
const OFFSET_TEXT = /Z|[+-]\d{2}(?::?\d{2})?/iy;
const GMT_OFFSET_TEXT = /(?:GMT|UTC|UT)[+-]\d{1,2}(?::?\d{2})?/iy;

/** Abbreviations read by `z` in any zone (hours from UTC); names of the field's own zone are added. */
const WELL_KNOWN_ZONE_NAMES: Array<[string, number]> = [
  ['UTC', 0], ['GMT', 0], ['UT', 0], ['Z', 0],
  ['EST', -5], ['EDT', -4], ['CST', -6], ['CDT', -5], ['MST', -7], ['MDT', -6], ['PST', -8], ['PDT', -7],
  ['AKST', -9], ['AKDT', -8], ['HST', -10],
  ['WET', 0], ['WEST', 1], ['BST', 1], ['CET', 1], ['CEST', 2], ['EET', 2], ['EEST', 3], ['MSK', 3],
  ['JST', 9], ['KST', 9], ['AEST', 10], ['AEDT', 11], ['ACST', 9.5], ['AWST', 8], ['NZST', 12], ['NZDT', 13],
];

function zoneNameTable(zone: TimeZoneRules): Array<[string, number]> {
  const entries = WELL_KNOWN_ZONE_NAMES.map(([name, hours]): [string, number] => [name, hours * 3_600_000]);
  const year = new Date().getUTCFullYear();
  for (const instant of [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)]) {
    const offset = zone.offsetAt(instant);
    entries.push([zone.shortName(instant), offset], [zone.longName(instant), offset]);
  }
  return nameTable(entries);
}

function numberStep(letter: string, count: number, exactWidth: boolean): ParseStep {
  const maxDigits = exactWidth ? count : letter === 'y' ? 9 : letter === 'S' ? 9 : Math.max(count, 6);
  const minDigits = exactWidth ? count : 1;
  const assign = numberAssigner(letter, count);
  return (text, position, state) => {
    let end = position;
    let value = 0;
    const limit = Math.min(text.length, position + maxDigits);
    for (let digit; end < limit && (digit = text.charCodeAt(end) - 48) >= 0 && digit <= 9; end++) value = value * 10 + digit;
    const digits = end - position;
    if (digits < minDigits) {
      state.problem = `expected ${exactWidth ? `${count} digit${count > 1 ? 's' : ''}` : 'a number'} for ${letter.repeat(count)} at position ${position + 1}`;
      return -1;
    }
    return assign(value, digits, state) ? end : -1;
  };
}

/** Stores a number read for `letter`; false (with a problem) when it is out of range. */
function numberAssigner(letter: string, count: number): (value: number, digits: number, state: ParseState) => boolean {
  const inRange = (state: ParseState, name: string, value: number, min: number, max: number): boolean => {
    if (value >= min && value <= max) return true;
    state.problem = `${name} ${value} is out of range (${min}..${max})`;
    return false;
  };
  switch (letter) {
    case 'y':
      return (value, digits, state) => {
        state.year = value;
        state.twoDigitYear = count <= 2 && digits === 2;
        return true;
      };
    case 'M':
      return (value, _digits, state) => {
        state.month = value;
        return inRange(state, 'month', value, 1, 12);
      };
    case 'd':
      return (value, _digits, state) => {
        state.day = value;
        return inRange(state, 'day', value, 1, 31);
      };
    case 'D':
      return (value, _digits, state) => {
        state.dayOfYear = value;
        return inRange(state, 'day of year', value, 1, 366);
      };
    case 'u':
      return (value, _digits, state) => {
        state.dayOfWeek = value % 7;
        return inRange(state, 'day of week', value, 1, 7);
      };
    case 'H':
      return (value, _digits, state) => {
        state.hour = value;
        return inRange(state, 'hour', value, 0, 23);
      };
    case 'k':
      return (value, _digits, state) => {
        state.hour = value % 24;
        return inRange(state, 'hour', value, 1, 24);
      };
    case 'K':
      return (value, _digits, state) => {
        state.hour12 = value;
        return inRange(state, 'hour', value, 0, 11);
      };
    case 'h':
      return (value, _digits, state) => {
        state.hour12 = value % 12;
        return inRange(state, 'hour', value, 1, 12);
      };
    case 'm':
      return (value, _digits, state) => {
        state.minute = value;
        return inRange(state, 'minute', value, 0, 59);
      };
    case 's':
      return (value, _digits, state) => {
        state.second = value;
        return inRange(state, 'second', value, 0, 59);
      };
    default: // 'S': a fraction of a second
      return (value, digits, state) => {
        state.millisecond = Math.floor((value * 1000) / 10 ** digits);
        return true;
      };
  }
}

function nameStep(table: Array<[string, number]>, what: string, assign: (state: ParseState, value: number) => void): ParseStep {
  return (text, position, state) => {
    const match = matchName(text, position, table);
    if (match === undefined) {
      state.problem = `expected ${what} at position ${position + 1}`;
      return -1;
    }
    assign(state, match[1]);
    return match[0];
  };
}

function offsetStep(pattern: RegExp, what: string): ParseStep {
  return (text, position, state) => {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    const offset = match === null ? undefined : parseFixedOffset(match[0]);
    if (match === null || offset === undefined) {
      state.problem = `expected ${what} at position ${position + 1}`;
      return -1;
    }
    state.offset = offset;
    return position + match[0].length;
  };
}

function parseStep(token: Token, previous: Token | undefined, next: Token | undefined, zone: TimeZoneRules): ParseStep {
  const abutting = isNumericToken(previous) || isNumericToken(next);
  if ('literal' in token) {
    const literal = token.literal;
    return (text, position, state) => {
      if (text.startsWith(literal, position)) return position + literal.length;
      state.problem = `expected ${JSON.stringify(literal)} at position ${position + 1}`;
      return -1;
    };
  }
  const { letter, count } = token;
  switch (letter) {
    case 'M':
      if (count >= 3) return nameStep(MONTH_TABLE, 'a month name', (state, value) => (state.month = value));
      return numberStep(letter, count, abutting);
    case 'E':
      return nameStep(DAY_TABLE, 'a day name', (state, value) => (state.dayOfWeek = value));
    case 'a':
      return nameStep(AM_PM_TABLE, 'AM or PM', (state, value) => (state.pm = value === 1));
    case 'G':
      return nameStep(ERA_TABLE, 'AD or BC', (state, value) => (state.era = value));
    case 'Z':
    case 'X':
      return offsetStep(OFFSET_TEXT, 'an offset such as +01:00 or Z');
    case 'z': {
      const names = zoneNameTable(zone);
      const gmt = offsetStep(GMT_OFFSET_TEXT, 'a time zone');
      const numeric = offsetStep(OFFSET_TEXT, 'a time zone');
      const named = nameStep(names, 'a time zone', (state, value) => (state.offset = value));
      return (text, position, state) => {
        let end = gmt(text, position, state);
        if (end < 0) end = named(text, position, state);
        if (end < 0) end = numeric(text, position, state);
        if (end < 0) state.problem = `expected a time zone at position ${position + 1}`;
        return end;
      };
    }
    default:
      return numberStep(letter, count, abutting);
  }
}

/** First year of the 100-year window two-digit years fall in (Java: 80 years back from today). */
function twoDigitYearStart(): number {
  return new Date().getUTCFullYear() - 80;
}

/** Epoch milliseconds of what `state` holds, or NaN with `state.problem` set. */
function resolve(state: ParseState, zone: TimeZoneRules, centuryStart: number): number {
  let year = state.year ?? 1970;
  if (state.twoDigitYear) {
    year += centuryStart - (centuryStart % 100);
    if (year < centuryStart) year += 100;
  }
  if (state.era === 0) year = 1 - year;
  let month = state.month;
  let day = state.day;
  if (state.dayOfYear !== undefined) {
    const length = isLeapYear(year) ? 366 : 365;
    if (state.dayOfYear > length) {
      state.problem = `day of year ${state.dayOfYear} is out of range (1..${length})`;
      return Number.NaN;
    }
    const fromDayOfYear = civilFromDays(daysFromCivil(year, 1, 1) + state.dayOfYear - 1, { year: 0, month: 0, day: 0 });
    if ((month !== undefined && month !== fromDayOfYear.month) || (day !== undefined && day !== fromDayOfYear.day)) {
      state.problem = `day of year ${state.dayOfYear} does not agree with the month and day`;
      return Number.NaN;
    }
    month = fromDayOfYear.month;
    day = fromDayOfYear.day;
  }
  month ??= 1;
  day ??= 1;
  if (day > daysInMonth(year, month)) {
    state.problem = `${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
    return Number.NaN;
  }
  const days = daysFromCivil(year, month, day);
  if (state.dayOfWeek !== undefined && state.dayOfWeek !== dayOfWeekFromDays(days)) {
    state.problem = `${year}-${pad(month, 2)}-${pad(day, 2)} is a ${DAY_NAMES[dayOfWeekFromDays(days)]}, not a ${DAY_NAMES[state.dayOfWeek]}`;
    return Number.NaN;
  }
  let hour = state.hour;
  if (hour === undefined) hour = (state.hour12 ?? 0) + (state.pm === true ? 12 : 0);
  const local = days * MS_PER_DAY + hour * 3_600_000 + state.minute * 60_000 + state.second * 1000 + state.millisecond;
  const epoch = state.offset === undefined ? zone.localToInstant(local) : local - state.offset;
  if (!(epoch >= -MAX_DATE_MS && epoch <= MAX_DATE_MS)) {
    state.problem = 'the date is out of range';
    return Number.NaN;
  }
  return epoch;
}

function compileParser(pattern: string, tokens: Token[], zone: TimeZoneRules): (text: string) => Date {
  const steps = tokens.map((token, index) => parseStep(token, tokens[index - 1], tokens[index + 1], zone));
  const state = new ParseState();
  const centuryStart = twoDigitYearStart();
  const fail = (text: string): never => {
    throw new TrefoilError(
      'TREFOIL_ERR_VALUE_PARSE',
      `${quoteForMessage(text)} is not a date in the format ${JSON.stringify(pattern)}: ${state.problem}`,
    );
  };
  return (text) => {
    state.reset();
    let position = 0;
    for (const step of steps) {
      position = step(text, position, state);
      if (position < 0) return fail(text);
    }
    if (position !== text.length) {
      state.problem = `unexpected ${quoteForMessage(text.slice(position))} at position ${position + 1}`;
      return fail(text);
    }
    const epoch = resolve(state, zone, centuryStart);
    if (Number.isNaN(epoch)) return fail(text);
    return new Date(epoch);
  };
}

// ---------------------------------------------------------------------------------------------

function compileIsoCodec(zone: TimeZoneRules): DateCodec {
  return {
    pattern: undefined,
    timeZone: zone.id,
    parse(text) {
      const epoch = scanIsoDate(text, zone);
      if (Number.isNaN(epoch)) {
        throw new TrefoilError(
          'TREFOIL_ERR_VALUE_PARSE',
          `${quoteForMessage(text)} is not an ISO-8601 date (expected e.g. 2024-01-31, 2024-01-31T12:30:00 or 2024-01-31T12:30:00.000Z)`,
        );
      }
      return new Date(epoch);
    },
    format(date) {
      validEpoch(date);
      return formatIsoDate(date);
    },
  };
}

/**
 * Compiles a date text form once; `parse` and `format` are then cheap per value.
 * @param pattern Java/CloverDX pattern (see the module comment); undefined or '' for ISO-8601
 * @param timeZone IANA zone or fixed offset the pattern's local times are in. @default 'UTC'
 * @throws TrefoilError `TREFOIL_ERR_VALUE_DATE_PATTERN` for a bad pattern,
 *   `TREFOIL_ERR_VALUE_TIME_ZONE` for an unknown zone
 * @example compileDateFormat('dd.MM.yyyy HH:mm', 'Europe/Prague').parse('31.03.2024 02:30')
 */
export function compileDateFormat(pattern?: string, timeZone = 'UTC'): DateCodec {
  const zone = compileTimeZone(timeZone);
  if (pattern === undefined || pattern === '') return compileIsoCodec(zone);
  const tokens = tokenize(pattern);
  return {
    pattern,
    timeZone: zone.id,
    parse: compileParser(pattern, tokens, zone),
    format: compileFormatter(tokens, zone),
  };
}
