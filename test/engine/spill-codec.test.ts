/** The buffered-edge codec round-trips every field type exactly (SPEC §2 representations). */
import { describe, expect, it } from 'vitest';
import { buildFields } from '../../engine/metadata/metadata-definition.ts';
import { RecordType } from '../../engine/metadata/record-type.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';
import { batchCodecFor } from '../../engine/runtime/spill-codec.ts';

describe('spill codec', () => {
  it('round-trips every type, containers and nulls', () => {
    const type = new RecordType(
      'All',
      buildFields(
        {
          s: 'string', i: 'integer', l: 'long', n: 'number', d: { type: 'decimal', scale: 3 }, b: 'boolean', t: 'date', y: 'bytes', v: 'variant',
          ls: { type: 'long', container: 'list' }, md: { type: 'date', container: 'map' },
        },
        [],
      ).fields,
    );
    const records = [
      { s: 'a "q"\n ü', i: -5, l: 2n ** 62n, n: Number.NaN, d: Decimal.parse('1.250'), b: true, t: new Date(86400000), y: new Uint8Array([0, 255, 7]), v: { x: [1, 'two', null] }, ls: [1, 2n ** 60n, null], md: { a: new Date(5), b: null } },
      { s: null, i: null, l: 7, n: Number.POSITIVE_INFINITY, d: null, b: false, t: null, y: null, v: null, ls: null, md: null },
    ];
    const codec = batchCodecFor(type);
    const decoded = codec.decode(codec.encode(records));
    expect(decoded).toEqual(records);
    expect(Object.keys(decoded[0]!)).toEqual(type.fieldNames);
    expect(decoded[0]!.d).toBeInstanceOf(Decimal);
    expect(String(decoded[0]!.d)).toBe('1.250');
  });
});
