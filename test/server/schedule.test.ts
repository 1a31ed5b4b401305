import { describe, expect, it } from 'vitest';
import { compileSchedule, nextFireTimes, scheduleEventParameters } from '../../engine/server/schedule.ts';

const T0 = Date.parse('2026-03-02T10:00:00.000Z'); // a Monday

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('every', () => {
  it('fires every interval from the anchor, in CloverDX duration syntax', () => {
    const schedule = compileSchedule({ id: 's', every: '1h 30m' });
    expect(nextFireTimes(schedule, 3, T0).map((d) => d.toISOString())).toEqual([
      '2026-03-02T11:30:00.000Z',
      '2026-03-02T13:00:00.000Z',
      '2026-03-02T14:30:00.000Z',
    ]);
  });

  it('takes a bare number as milliseconds', () => {
    const schedule = compileSchedule({ id: 's', every: 1500 });
    expect(nextFireTimes(schedule, 2, T0).map((d) => d.getTime() - T0)).toEqual([1500, 3000]);
    expect(compileSchedule({ id: 's', every: '250' }).nextFireAfter(T0, T0)).toBe(T0 + 250);
  });

  it('stays on the anchor grid when asked from between two fires', () => {
    const schedule = compileSchedule({ id: 's', every: '30s' });
    expect(schedule.nextFireAfter(T0 + 45_000, T0)).toBe(T0 + 60_000);
    expect(schedule.nextFireAfter(T0 + 60_000, T0)).toBe(T0 + 90_000);
  });

  it('rejects a zero or unreadable interval', () => {
    expect(codeOf(() => compileSchedule({ id: 's', every: '0s' }))).toBe('TREFOIL_ERR_SERVER_DURATION');
    expect(codeOf(() => compileSchedule({ id: 's', every: '5 minutes' }))).toBe('TREFOIL_ERR_VALUE_DURATION');
  });
});

describe('cron', () => {
  it('reads 5 fields (seconds 0)', () => {
    const schedule = compileSchedule({ id: 's', cron: '*/15 * * * *', timezone: 'UTC' });
    expect(nextFireTimes(schedule, 3, T0 + 1).map((d) => d.toISOString())).toEqual([
      '2026-03-02T10:15:00.000Z',
      '2026-03-02T10:30:00.000Z',
      '2026-03-02T10:45:00.000Z',
    ]);
  });

  it('reads 6 fields with seconds first, as CloverDX (Quartz) does, and Quartz "?"', () => {
    const schedule = compileSchedule({ id: 's', cron: '10 0/2 4-23 ? * MON-FRI', timezone: 'UTC' });
    expect(nextFireTimes(schedule, 2, T0).map((d) => d.toISOString())).toEqual(['2026-03-02T10:00:10.000Z', '2026-03-02T10:02:10.000Z']);
    // "?" must not be croner's "current value": the same expression later in the day still fires
    const quartzDaily = compileSchedule({ id: 's', cron: '0 30 6 ? * *', timezone: 'UTC' });
    expect(nextFireTimes(quartzDaily, 2, T0).map((d) => d.toISOString())).toEqual(['2026-03-03T06:30:00.000Z', '2026-03-04T06:30:00.000Z']);
  });

  it('combines day-of-month and day-of-week with OR (Vixie)', () => {
    // the 4th of the month OR a Sunday
    const schedule = compileSchedule({ id: 's', cron: '0 12 4 * SUN', timezone: 'UTC' });
    expect(nextFireTimes(schedule, 3, T0).map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-03-04', '2026-03-08', '2026-03-15']);
  });

  it('honours the timezone', () => {
    const schedule = compileSchedule({ id: 's', cron: '0 9 * * *', timezone: 'Europe/Prague' });
    expect(nextFireTimes(schedule, 1, T0)[0]!.toISOString()).toBe('2026-03-03T08:00:00.000Z');
  });

  it('rejects bad expressions with a clear code', () => {
    expect(codeOf(() => compileSchedule({ id: 's', cron: '* * * *' }))).toBe('TREFOIL_ERR_SERVER_CRON');
    expect(codeOf(() => compileSchedule({ id: 's', cron: '0 0 12 * * ? 2030' }))).toBe('TREFOIL_ERR_SERVER_CRON');
    expect(codeOf(() => compileSchedule({ id: 's', cron: '61 * * * *' }))).toBe('TREFOIL_ERR_SERVER_CRON');
    expect(codeOf(() => compileSchedule({ id: 's', cron: '0 * * * *', timezone: 'Mars/Olympus' }))).toBe('TREFOIL_ERR_SERVER_TIMEZONE');
  });
});

describe('at', () => {
  it('fires once, at the instant', () => {
    const schedule = compileSchedule({ id: 's', at: '2026-12-01T10:00:00Z' });
    expect(nextFireTimes(schedule, 5, T0).map((d) => d.toISOString())).toEqual(['2026-12-01T10:00:00.000Z']);
    expect(nextFireTimes(schedule, 5, Date.parse('2026-12-01T10:00:00Z'))).toEqual([]);
  });

  it('reads an offset, or wall time in the schedule timezone', () => {
    expect(compileSchedule({ id: 's', at: '2026-12-01T10:00:00+02:00' }).nextFireAfter(T0, T0)).toBe(Date.parse('2026-12-01T08:00:00Z'));
    expect(compileSchedule({ id: 's', at: '2026-07-01T10:00:00', timezone: 'Europe/Prague' }).nextFireAfter(T0, T0)).toBe(Date.parse('2026-07-01T08:00:00Z'));
  });

  it('rejects what is not an ISO date-time', () => {
    expect(codeOf(() => compileSchedule({ id: 's', at: 'next tuesday' }))).toBe('TREFOIL_ERR_SERVER_AT');
    expect(codeOf(() => compileSchedule({ id: 's', at: '2026-12-01' }))).toBe('TREFOIL_ERR_SERVER_AT');
  });
});

describe('schedule spec', () => {
  it('needs exactly one timing', () => {
    expect(codeOf(() => compileSchedule({ id: 's' }))).toBe('TREFOIL_ERR_SERVER_SCHEDULE_TIMING');
    expect(codeOf(() => compileSchedule({ id: 's', every: '1m', cron: '* * * * *' }))).toBe('TREFOIL_ERR_SERVER_SCHEDULE_TIMING');
  });

  it('is enabled by default and describes itself', () => {
    expect(compileSchedule({ id: 's', every: '5m' })).toMatchObject({ enabled: true, timing: 'every', description: 'every 5m' });
    expect(compileSchedule({ id: 's', cron: '0 * * * *', enabled: false })).toMatchObject({ enabled: false, timing: 'cron' });
  });

  it('gives runs EVENT_SCHEDULE_ID and EVENT_SCHEDULE_TIME', () => {
    expect(scheduleEventParameters('sync', new Date(T0))).toEqual({ EVENT_SCHEDULE_ID: 'sync', EVENT_SCHEDULE_TIME: '2026-03-02T10:00:00.000Z' });
  });
});
