/**
 * Schedule triggers (CloverDX Server "Scheduling"): when a schedule fires, as pure functions of
 * time. Three timings, exactly one per schedule:
 *
 * - `every`: an interval (`30s`, `5m`, `1h 30m`, bare number = ms), fired at anchor + k·interval,
 *   k ≥ 1, where the anchor is when the scheduler started (CloverDX "periodical by interval").
 * - `cron`: a cron expression, 5 fields (`min hour dom month dow`) or 6 with seconds FIRST
 *   (`sec min hour dom month dow`), as in CloverDX (Quartz) and croner. Day-of-month and
 *   day-of-week combine with the Vixie OR rule when both are restricted. Quartz's `?` means "no
 *   specific value" (= `*`). Numeric day-of-week follows Unix cron (0 and 7 = Sunday), NOT
 *   Quartz's 1 = Sunday; names (`MON-FRI`) mean the same everywhere. No year field.
 * - `at`: one ISO-8601 instant; fires once.
 *
 * Timers live in `scheduler.ts`; this file only computes fire times, so `--dry-run` can list them.
 */
import { Cron } from 'croner';
import { TrefoilError, type ErrorLocation } from '../errors/trefoil-error.ts';
import { parseInterval } from './parse-interval.ts';

/** A schedule as written in the server config (before compilation). */
export interface ScheduleSpec {
  /** The schedule's id, unique among the server's triggers. */
  readonly id: string;
  /** Interval between fires: a CloverDX duration or milliseconds. */
  readonly every?: string | number;
  /** Cron expression, 5 fields or 6 with seconds first. */
  readonly cron?: string;
  /** One ISO-8601 instant (a Date is accepted too). */
  readonly at?: string | Date;
  /** IANA zone for `cron` and offset-less `at`. @default the server's local zone */
  readonly timezone?: string;
  /** A disabled schedule never fires. @default true */
  readonly enabled?: boolean;
}

export type ScheduleTiming = 'every' | 'cron' | 'at';

/** A validated, compiled schedule. Immutable. */
export interface Schedule {
  readonly id: string;
  readonly enabled: boolean;
  readonly timing: ScheduleTiming;
  /** The timing as the user wrote it, for listings: `every 5m`, `cron 0 * * * *`, `at 2026-…`. */
  readonly description: string;
  /**
   * The first fire time strictly after `afterMs`, or null when the schedule never fires again.
   * `anchorMs` is the start of an `every` schedule's period grid (ignored by `cron` and `at`).
   * Ignores `enabled` (callers decide whether a disabled schedule is shown or armed).
   */
  nextFireAfter(afterMs: number, anchorMs: number): number | null;
}

/** Where each field of a schedule spec sits in the config file, for positioned errors. */
export type ScheduleSpecLocations = Partial<Record<'every' | 'cron' | 'at' | 'timezone' | 'id', ErrorLocation>>;

/**
 * Validates and compiles a schedule (once; firing is then cheap).
 * @throws TrefoilError with code TREFOIL_ERR_SERVER_SCHEDULE_TIMING, _DURATION, _CRON, _AT or
 *   _TIMEZONE, positioned with `locations` when given.
 */
export function compileSchedule(spec: ScheduleSpec, locations: ScheduleSpecLocations = {}): Schedule {
  const given = (['every', 'cron', 'at'] as const).filter((key) => spec[key] !== undefined);
  if (given.length !== 1) {
    throw new TrefoilError(
      'TREFOIL_ERR_SERVER_SCHEDULE_TIMING',
      given.length === 0
        ? `schedule "${spec.id}" needs one of every, cron or at`
        : `schedule "${spec.id}" has ${given.join(' and ')}; give exactly one of every, cron or at`,
      locations[given[1] ?? 'id'] ?? locations.id,
    );
  }
  const timezone = spec.timezone === undefined ? undefined : checkTimezone(spec.timezone, locations.timezone);
  const enabled = spec.enabled ?? true;
  const zoneSuffix = timezone === undefined ? '' : ` (${timezone})`;

  if (spec.every !== undefined) {
    const intervalMs = parseInterval(spec.every, locations.every);
    return {
      id: spec.id,
      enabled,
      timing: 'every',
      description: `every ${spec.every}`,
      nextFireAfter(afterMs, anchorMs) {
        const periods = afterMs < anchorMs ? 1 : Math.floor((afterMs - anchorMs) / intervalMs) + 1;
        return anchorMs + periods * intervalMs;
      },
    };
  }

  if (spec.cron !== undefined) {
    const cron = compileCron(spec.cron, timezone, locations.cron);
    return {
      id: spec.id,
      enabled,
      timing: 'cron',
      description: `cron ${spec.cron}${zoneSuffix}`,
      nextFireAfter(afterMs) {
        return cron.nextRun(new Date(afterMs))?.getTime() ?? null;
      },
    };
  }

  const time = parseAtTime(spec.at!, timezone, locations.at);
  return {
    id: spec.id,
    enabled,
    timing: 'at',
    description: `at ${new Date(time).toISOString()}`,
    nextFireAfter(afterMs) {
      return time > afterMs ? time : null;
    },
  };
}

/**
 * The next `count` fire times strictly after `from` (default now), for `--dry-run` and the UI.
 * An `every` schedule's grid is anchored at `from`, as if the scheduler started then. Fewer
 * than `count` times come back when the schedule ends (an `at` schedule has at most one).
 */
export function nextFireTimes(schedule: Schedule, count: number, from: Date | number = Date.now()): Date[] {
  const anchor = typeof from === 'number' ? from : from.getTime();
  const times: Date[] = [];
  let after = anchor;
  while (times.length < count) {
    const next = schedule.nextFireAfter(after, anchor);
    if (next === null) break;
    times.push(new Date(next));
    after = next;
  }
  return times;
}

/** The parameters a schedule's run gets (SPEC §9, CloverDX names). The time is ISO-8601 UTC. */
export function scheduleEventParameters(scheduleId: string, fireTime: Date): { EVENT_SCHEDULE_ID: string; EVENT_SCHEDULE_TIME: string } {
  return { EVENT_SCHEDULE_ID: scheduleId, EVENT_SCHEDULE_TIME: fireTime.toISOString() };
}

/**
 * Compiles a cron expression (see the file comment for the accepted dialect).
 * @throws TrefoilError TREFOIL_ERR_SERVER_CRON
 */
function compileCron(expression: string, timezone?: string, location?: ErrorLocation): Cron {
  const fields = expression.trim().split(/\s+/);
  const fail = (why: string): never => {
    throw new TrefoilError('TREFOIL_ERR_SERVER_CRON', `invalid cron expression "${expression}": ${why}`, location);
  };
  const isNickname = fields.length === 1 && fields[0]!.startsWith('@');
  if (!isNickname && fields.length !== 5 && fields.length !== 6) {
    fail(
      fields.length === 7
        ? 'a 7th (year) field is not supported; use 5 fields, or 6 with seconds first'
        : `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, found ${fields.length}`,
    );
  }
  // NOTE: croner replaces `?` with the current time's value (Jenkins-style); Quartz and CloverDX
  // mean "no specific value", i.e. `*`. Substituting keeps CloverDX expressions meaning the same.
  const pattern = fields.map((field) => (field === '?' ? '*' : field)).join(' ');
  try {
    // `legacyMode: true` is the Vixie OR rule for day-of-month / day-of-week. `paused` and no
    // callback: croner only computes times here; it never sets a timer of its own.
    return new Cron(pattern, { legacyMode: true, paused: true, ...(timezone === undefined ? {} : { timezone }) });
  } catch (error) {
    return fail(error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error));
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?$/i;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/i;

function parseAtTime(value: string | Date, timezone: string | undefined, location: ErrorLocation | undefined): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw atError(String(value), location);
    return value.getTime();
  }
  const text = value.trim();
  if (!ISO_DATE_TIME.test(text)) throw atError(text, location);
  let time: number;
  if (HAS_OFFSET.test(text) || timezone === undefined) {
    time = Date.parse(text.replace(' ', 'T'));
  } else {
    // A wall-clock time in a named zone: croner's one-shot mode converts it (DST-aware).
    time = new Cron(text.replace(' ', 'T'), { paused: true, timezone }).nextRun(new Date(0))?.getTime() ?? Number.NaN;
  }
  if (Number.isNaN(time)) throw atError(text, location);
  return time;
}

function atError(text: string, location: ErrorLocation | undefined): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_SERVER_AT', `invalid at time "${text}": expected an ISO-8601 date and time such as 2026-12-01T10:00:00Z`, location);
}

function checkTimezone(timezone: string, location: ErrorLocation | undefined): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    throw new TrefoilError('TREFOIL_ERR_SERVER_TIMEZONE', `unknown timezone "${timezone}"`, location);
  }
}
