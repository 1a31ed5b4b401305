import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../engine/metadata/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1m 30s', 90_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['1h 30m', 5_400_000],
    ['1w 15h 1m 70s 123ms', 604_800_000 + 54_000_000 + 60_000 + 70_000 + 123],
    ['1h30m', 5_400_000],
    ['30s 1m', 90_000],
    ['5 m', 300_000],
    ['1.5s', 1500],
    ['2M', 120_000],
    ['250', 250],
    [' 10s ', 10_000],
    ['0', 0],
  ])('%j is %i ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('takes numbers as milliseconds', () => {
    expect(parseDuration(5000)).toBe(5000);
    expect(() => parseDuration(-1)).toThrow(/must be a number of milliseconds/);
  });

  it.each([
    ['', 'it is empty'],
    ['abc', 'cannot read "abc"'],
    ['5 minutes', 'cannot read "5 minutes"'],
    ['1x', 'cannot read "1x"'],
    ['1h 2h', 'the unit h appears twice'],
    ['-5s', 'it must not be negative'],
    ['1h junk', 'cannot read "junk"'],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(
      expect.objectContaining({
        code: 'TREFOIL_ERR_VALUE_DURATION',
        message: expect.stringContaining(`invalid duration ${JSON.stringify(text)}: ${reason}; write a number with a unit`),
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [500, '500ms'],
    [90_000, '1m 30s'],
    [5_400_000, '1h 30m'],
    [86_400_000 + 1, '1d 1ms'],
    [1_209_600_000, '2w'],
    [-2000, '-2s'],
    [1500.4, '1s 500ms'],
  ])('%i ms is %j', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 61_001, 3_723_004, 700_000_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
