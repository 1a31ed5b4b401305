/**
 * Next-fire computation against the Schedule::Cron vector table in
 * ../shared/conformance/cron/vectors.json (every vector is run).
 *
 * Mapping of the table onto Trefoil's cron dialect:
 * - The table's optional 6th field is seconds placed AFTER day-of-week; Trefoil (like CloverDX/
 *   Quartz and croner) puts seconds FIRST, so a vector with seconds becomes `SEC MIN HOUR DOM MON DOW`.
 *   Vectors without seconds are run as the 5-field expression.
 * - `timezone: "local"` is naive wall-clock time: run in UTC (no DST), compare wall-clock text.
 * - `Europe/Berlin` vectors run in that zone; an ambiguous fall-back reference means the SECOND
 *   occurrence (the later instant), as the README says; an impossible date (2009-02-29) rolls over
 *   like Perl's Time::ParseDate (to 2009-03-01).
 *
 * Deviations (the `library-specific` class), asserted explicitly below:
 * - line 35 `* * * 0 *`: month 0 is REJECTED (TREFOIL_ERR_SERVER_CRON), as a standard parser should;
 *   Schedule::Cron reads it as January.
 * - lines 97/99/101 (a time inside the spring-forward gap): croner fires at the same minute after
 *   the gap (03:10), which is exactly Schedule::Cron's expected value, so they pass unchanged.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSchedule, nextFireTimes } from '../../engine/server/schedule.ts';

interface CronVector {
  source_line: number;
  timezone: string;
  reference: string;
  expression: string;
  seconds: string | null;
  expected_next: string;
  class: 'standard' | 'standard-tz' | 'library-specific';
}

const conformance = resolve(import.meta.dirname, '../../../shared/conformance');
const { vectors } = JSON.parse(readFileSync(resolve(conformance, 'cron/vectors.json'), 'utf8')) as { vectors: CronVector[] };

/** UTC offset of `zone` at instant `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time in `zone`; the later one when the time occurs twice. */
function wallTimeToInstant(wall: string, zone: string): number {
  const [date, time] = wall.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  const naive = Date.UTC(year, month - 1, day, hour, minute, second); // rolls 02-29 over like Perl
  const candidates = [...new Set([offsetAt(naive - 43_200_000, zone), offsetAt(naive + 43_200_000, zone)])]
    .map((offset) => naive - offset)
    .filter((instant) => naive - offsetAt(instant, zone) === instant);
  expect(candidates.length).toBeGreaterThan(0);
  return Math.max(...candidates);
}

function wallTime(instant: number, zone: string): string {
  return new Date(instant + offsetAt(instant, zone)).toISOString().slice(0, 19);
}

function trefoilExpression(vector: CronVector): string {
  return vector.seconds === null ? vector.expression : `${vector.seconds} ${vector.expression}`;
}

describe('cron next-fire time (Schedule::Cron vectors)', () => {
  it('has the vectors', () => {
    expect(vectors.length).toBe(63);
  });

  const rejected = new Set([35]);
  for (const vector of vectors) {
    const expression = trefoilExpression(vector);
    const zone = vector.timezone === 'local' ? 'UTC' : vector.timezone;
    if (rejected.has(vector.source_line)) {
      it(`line ${vector.source_line}: "${expression}" is rejected (month 0 is not a month)`, () => {
        expect(() => compileSchedule({ id: 'v', cron: expression, timezone: zone })).toThrowError(
          expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_CRON' }),
        );
      });
      continue;
    }
    it(`line ${vector.source_line} [${vector.class}]: "${expression}" after ${vector.reference} (${vector.timezone}) → ${vector.expected_next}`, () => {
      const schedule = compileSchedule({ id: 'v', cron: expression, timezone: zone });
      const [next] = nextFireTimes(schedule, 1, wallTimeToInstant(vector.reference, zone));
      expect(next).toBeDefined();
      expect(wallTime(next!.getTime(), zone)).toBe(vector.expected_next);
    });
  }
});
