/**
 * Time zone rules for date text forms: the UTC offset at an instant, and the instant of a local
 * wall-clock time, for IANA zones (through Intl, so DST follows the tz database Node ships) and
 * fixed offsets (`+02:00`, `UTC-5`).
 *
 * Offsets are cached per UTC day:
 *
 * ```
 *   day d:  offset at 00:00Z ───────────────(transition, if any)─────────── offset at 24:00Z
 *           `start`                           `transitionAt`                  `end`
 * ```
 *
 * A day whose start and end offsets differ is searched (to the second) for its one transition.
 * NOTE: this assumes at most one offset change per UTC day, true of every zone in use; Intl is
 * asked only once or twice per distinct day (Intl `formatToParts` costs ~2 µs, a Map lookup ~20 ns).
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import { daysFromCivil, MS_PER_DAY } from './civil-date.ts';

/** The rules of one zone; obtain with {@link compileTimeZone}. */
export interface TimeZoneRules {
  /** Canonical name: the IANA id (`Europe/Prague`), `UTC`, or a fixed offset `+02:00`. */
  readonly id: string;
  /** The offset in milliseconds when the zone has only one (UTC, fixed offsets), else undefined. */
  readonly fixedOffset: number | undefined;
  /** Milliseconds to add to UTC to get local wall time at `epochMs` (`+3_600_000` for CET). */
  offsetAt(epochMs: number): number;
  /**
   * The instant of a local wall time given as milliseconds since 1970-01-01T00:00 local. A time
   * skipped by a DST gap is moved forward by the gap (02:30 on a spring-forward night becomes
   * 03:30); a time that occurs twice takes the earlier instant (java.time's rules).
   */
  localToInstant(localMs: number): number;
  /** Short name at an instant for the `z` pattern letter: `CET`, `EDT`, `UTC`, else `GMT+05:30`. */
  shortName(epochMs: number): string;
  /** Long name at an instant for `zzzz`: `Central European Summer Time`, else `GMT+05:30`. */
  longName(epochMs: number): string;
}

/** `±HH:MM` for an offset in milliseconds (seconds, if any, are dropped). */
export function formatOffset(offsetMs: number, separator = ':'): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(offsetMs) / 60_000);
  const hours = Math.floor(minutes / 60);
  return `${sign}${hours < 10 ? '0' : ''}${hours}${separator}${String(minutes % 60).padStart(2, '0')}`;
}

const FIXED_OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const UTC_NAMES = new Set(['utc', 'gmt', 'ut', 'z', 'etc/utc', 'etc/gmt', 'etc/uct', 'uct', 'zulu', 'etc/zulu', 'universal', 'etc/universal', 'greenwich', 'etc/greenwich', 'gmt0', 'etc/gmt0', 'gmt+0', 'gmt-0', 'etc/gmt+0', 'etc/gmt-0']);

/**
 * An offset in milliseconds for `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `+2`, `UTC+2`, `GMT-05:30`;
 * undefined for anything else (including IANA names) or offsets beyond ±18 hours.
 */
export function parseFixedOffset(text: string): number | undefined {
  if (UTC_NAMES.has(text.toLowerCase())) return 0;
  const match = FIXED_OFFSET.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  if (hours > 18 || minutes > 59 || hours * 60 + minutes > 18 * 60) return undefined;
  const offset = (hours * 60 + minutes) * 60_000;
  return match[1] === '-' ? -offset : offset;
}

function gmtName(offsetMs: number): string {
  return offsetMs === 0 ? 'UTC' : `GMT${formatOffset(offsetMs)}`;
}

function fixedZone(id: string, offset: number): TimeZoneRules {
  const name = gmtName(offset);
  return {
    id,
    fixedOffset: offset,
    offsetAt: () => offset,
    localToInstant: (localMs) => localMs - offset,
    shortName: () => name,
    longName: () => (offset === 0 ? 'Coordinated Universal Time' : name),
  };
}

/** Offsets of one UTC day (see the module comment). */
interface DayOffsets {
  readonly start: number;
  readonly end: number;
  /** The first millisecond with the `end` offset; NaN when the offset is constant all day. */
  readonly transitionAt: number;
}

/** Largest |epoch milliseconds| a Date (and Intl) accepts. */
const DATE_LIMIT_MS = 8.64e15;
/** Bound on cached days per zone; the cache is emptied when it is reached. */
const MAX_CACHED_DAYS = 100_000;
/** Locales whose English abbreviations `z` prefers, in order (en-US knows EST, en-GB CET/BST, …). */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'];
const GMT_STYLE = /^(?:GMT|UTC)[+\-\u2212]/;

function intlZone(id: string): TimeZoneRules {
  const wallClock = new Intl.DateTimeFormat('en-US', {
    timeZone: id,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  /** Offset at a whole second, straight from Intl. */
  const offsetFromIntl = (epochMs: number): number => {
    // Clamped: Intl throws outside the Date range, which day windows (±1 day) can reach.
    const second = Math.min(Math.max(Math.floor(epochMs / 1000) * 1000, -DATE_LIMIT_MS), DATE_LIMIT_MS);
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let secondOfMinute = 0;
    let beforeChrist = false;
    for (const part of wallClock.formatToParts(second)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': secondOfMinute = Number(part.value); break;
        case 'era': beforeChrist = part.value.startsWith('B'); break;
      }
    }
    if (beforeChrist) year = 1 - year;
    const wall = daysFromCivil(year, month, day) * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + secondOfMinute * 1000;
    return wall - second;
  };

  const days = new Map<number, DayOffsets>();
  const dayOffsets = (day: number): DayOffsets => {
    let entry = days.get(day);
    if (entry !== undefined) return entry;
    const dayStart = day * MS_PER_DAY;
    const start = offsetFromIntl(dayStart);
    const end = offsetFromIntl(dayStart + MS_PER_DAY);
    let transitionAt = Number.NaN;
    if (start !== end) {
      // Binary search, in whole seconds, for the first second with the `end` offset.
      let low = dayStart / 1000; // has `start`
      let high = (dayStart + MS_PER_DAY) / 1000; // has `end`
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetFromIntl(middle * 1000) === start) low = middle;
        else high = middle;
      }
      transitionAt = high * 1000;
    }
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    entry = { start, end, transitionAt };
    days.set(day, entry);
    return entry;
  };

  // NOTE: consecutive values mostly fall on the same day; remembering the last day skips the Map.
  let lastDay = Number.NaN;
  let lastEntry: DayOffsets = { start: 0, end: 0, transitionAt: Number.NaN };
  const offsetAt = (epochMs: number): number => {
    const day = Math.floor(epochMs / MS_PER_DAY);
    if (day !== lastDay) {
      lastEntry = dayOffsets(day);
      lastDay = day;
    }
    return epochMs >= lastEntry.transitionAt ? lastEntry.end : lastEntry.start; // false for NaN: no transition
  };

  /** Offset of a whole local day when it is the same for every local time of the day, else NaN. */
  const localDayOffsets = new Map<number, number>();
  let lastLocalDay = Number.NaN;
  let lastLocalDayOffset = Number.NaN;
  const constantOffsetOfLocalDay = (localDay: number): number => {
    let offset = localDayOffsets.get(localDay);
    if (offset === undefined) {
      // A local day spans UTC days localDay-1 .. localDay+1 (offsets are under a day).
      const entries = [dayOffsets(localDay - 1), dayOffsets(localDay), dayOffsets(localDay + 1)];
      const constant = entries.every((entry) => Number.isNaN(entry.transitionAt) && entry.start === entries[0]!.start);
      offset = constant ? entries[0]!.start : Number.NaN;
      if (localDayOffsets.size >= MAX_CACHED_DAYS) localDayOffsets.clear();
      localDayOffsets.set(localDay, offset);
    }
    return offset;
  };

  const localToInstant = (localMs: number): number => {
    const localDay = Math.floor(localMs / MS_PER_DAY);
    if (localDay !== lastLocalDay) {
      lastLocalDayOffset = constantOffsetOfLocalDay(localDay);
      lastLocalDay = localDay;
    }
    if (!Number.isNaN(lastLocalDayOffset)) return localMs - lastLocalDayOffset;
    const before = offsetAt(localMs - MS_PER_DAY);
    const after = offsetAt(localMs + MS_PER_DAY);
    const earlier = localMs - before;
    if (before === after) return earlier;
    const later = localMs - after;
    const earlierValid = offsetAt(earlier) === before;
    const laterValid = offsetAt(later) === after;
    if (earlierValid && laterValid) return Math.min(earlier, later); // overlap: the first occurrence
    if (laterValid) return later;
    return earlier; // valid, or in a gap: pushed forward by the gap's length
  };

  const nameFormatters = (style: 'short' | 'long') =>
    (style === 'short' ? ABBREVIATION_LOCALES : ['en-US']).map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone: id, timeZoneName: style }),
    );
  const shortFormatters = nameFormatters('short');
  const longFormatters = nameFormatters('long');
  const shortNames = new Map<number, string>();
  const longNames = new Map<number, string>();
  const zoneName = (epochMs: number, formatters: Intl.DateTimeFormat[], cache: Map<number, string>): string => {
    // NOTE: keyed by offset: a zone's name for one offset is the same in practice (CET for +1).
    const offset = offsetAt(epochMs);
    let name = cache.get(offset);
    if (name !== undefined) return name;
    name = gmtName(offset);
    for (const formatter of formatters) {
      const candidate = formatter.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value;
      if (candidate !== undefined && !GMT_STYLE.test(candidate) && candidate !== 'GMT') {
        name = candidate;
        break;
      }
      if (candidate === 'GMT' || candidate === 'UTC') name = candidate;
    }
    cache.set(offset, name);
    return name;
  };

  return {
    id,
    fixedOffset: undefined,
    offsetAt,
    localToInstant,
    shortName: (epochMs) => zoneName(epochMs, shortFormatters, shortNames),
    longName: (epochMs) => zoneName(epochMs, longFormatters, longNames),
  };
}

const compiledZones = new Map<string, TimeZoneRules>();

/**
 * The rules of `name`: an IANA zone (`Europe/Prague`, case-insensitive), `UTC`/`GMT`/`Z`, or a
 * fixed offset (`+02:00`, `-0530`, `UTC+2`). Compiled once per name and shared.
 * @default 'UTC'
 * @throws TrefoilError `TREFOIL_ERR_VALUE_TIME_ZONE` for an unknown zone
 */
export function compileTimeZone(name = 'UTC'): TimeZoneRules {
  let rules = compiledZones.get(name);
  if (rules !== undefined) return rules;
  const fixed = parseFixedOffset(name);
  if (fixed !== undefined) {
    rules = fixedZone(fixed === 0 ? 'UTC' : formatOffset(fixed), fixed);
  } else {
    let id: string;
    try {
      id = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      throw new TrefoilError(
        'TREFOIL_ERR_VALUE_TIME_ZONE',
        `unknown time zone ${JSON.stringify(name)} (use an IANA name such as Europe/Prague, UTC, or an offset such as +02:00)`,
      );
    }
    rules = parseFixedOffset(id) === 0 ? fixedZone('UTC', 0) : intlZone(id);
  }
  compiledZones.set(name, rules);
  return rules;
}

/** True when {@link compileTimeZone} accepts `name`. */
export function isTimeZone(name: string): boolean {
  try {
    compileTimeZone(name);
    return true;
  } catch {
    return false;
  }
}
