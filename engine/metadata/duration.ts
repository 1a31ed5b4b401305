/**
 * Durations in CloverDX's interval syntax (SPEC §7): `500ms`, `2s`, `1m 30s`, `1h`, `1d`, `2w`;
 * a bare number is milliseconds. Used by `timeout`, `every`, `interval` and the like.
 *
 * CloverDX (`TimeIntervalUtils`) accepts whole numbers with the units w, d, h, m, s and ms, in that
 * order, separated by blanks. Trefoil accepts the same and is a little more forgiving: units in any
 * order (each at most once), upper-case units, blanks between number and unit or none between
 * parts (`1h30m`), and fractions (`1.5s`, rounded to whole milliseconds).
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import { quoteForMessage } from './quote-for-message.ts';

const MILLISECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** Units largest first, as {@link formatDuration} writes them. */
const UNITS_DESCENDING = ['w', 'd', 'h', 'm', 's', 'ms'] as const;

const BARE_NUMBER = /^\d+(?:\.\d+)?$/;
/** One `<number><unit>` part; `ms` is tried before `m`, and a unit may not run into more letters. */
const PART = /\s*(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)(?![a-z])\s*/iy;

function invalidDuration(input: string, reason: string): TrefoilError {
  return new TrefoilError(
    'TREFOIL_ERR_VALUE_DURATION',
    `invalid duration ${quoteForMessage(input)}: ${reason}; write a number with a unit w, d, h, m, s or ms (e.g. "1m 30s"), a bare number is milliseconds`,
  );
}

/**
 * The duration in whole milliseconds. A number is taken as milliseconds.
 * @example parseDuration('1m 30s') === 90_000; parseDuration('500ms') === 500; parseDuration('250') === 250
 * @throws TrefoilError `TREFOIL_ERR_VALUE_DURATION` for empty, negative or unreadable input
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw invalidDuration(String(input), 'it must be a number of milliseconds, 0 or more');
    return Math.round(input);
  }
  const text = input.trim();
  if (text === '') throw invalidDuration(input, 'it is empty');
  if (BARE_NUMBER.test(text)) return Math.round(Number(text));
  let total = 0;
  const seen = new Set<string>();
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null) {
      const rest = text.slice(at);
      throw invalidDuration(input, /^-/.test(rest) ? 'it must not be negative' : `cannot read ${quoteForMessage(rest)}`);
    }
    const unit = match[2]!.toLowerCase();
    if (seen.has(unit)) throw invalidDuration(input, `the unit ${unit} appears twice`);
    seen.add(unit);
    total += Number(match[1]) * MILLISECONDS_PER_UNIT[unit]!;
  }
  return Math.round(total);
}

/**
 * Text for display in the same syntax, largest unit first, zero parts left out:
 * `formatDuration(90_000)` is `1m 30s`, `formatDuration(0)` is `0ms`. Fractions of a millisecond
 * are rounded; a negative duration gets a leading `-`. `parseDuration` reads the result back.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return String(milliseconds);
  let rest = Math.round(Math.abs(milliseconds));
  if (rest === 0) return '0ms';
  const parts: string[] = [];
  for (const unit of UNITS_DESCENDING) {
    const size = MILLISECONDS_PER_UNIT[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  const text = parts.join(' ');
  return milliseconds < 0 ? `-${text}` : text;
}
