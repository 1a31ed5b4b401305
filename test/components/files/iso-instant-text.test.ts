/**
 * isoInstantText is a faster Date#toISOString: it must return exactly the same text for every
 * instant, including leap days, the epoch, negative times and years outside 1000..9999.
 */
import { describe, expect, it } from 'vitest';
import { isoInstantText } from '../../../components/files/iso-instant-text.ts';

describe('isoInstantText', () => {
  it('equals toISOString on edge instants', () => {
    const instants = [
      0, -1, 1, 951_825_600_001, 4_107_542_399_999, 253_402_300_799_999, 253_402_300_800_000, -30_610_224_000_000, -30_610_224_000_001,
      -62_198_755_200_000, 8.64e15, -8.64e15, Date.UTC(2024, 1, 29, 23, 59, 59, 123), Date.UTC(2100, 1, 28, 12), Date.UTC(2000, 11, 31, 23, 59, 59, 999),
    ];
    for (const time of instants) expect(isoInstantText(new Date(time))).toBe(new Date(time).toISOString());
  });

  it('equals toISOString on 200,000 pseudo-random instants across 1000..9999', () => {
    let seed = 7;
    const low = Date.UTC(1000, 0, 1);
    const span = Date.UTC(9999, 11, 31, 23, 59, 59, 999) - low;
    for (let k = 0; k < 200_000; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const fraction = seed / 4294967296;
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const date = new Date(low + Math.floor(fraction * span) + (seed % 1000));
      if (isoInstantText(date) !== date.toISOString()) expect(isoInstantText(date)).toBe(date.toISOString());
    }
  });
});
