/** RecordType: compiled factory and conformance check (SPEC §2). */
import { describe, expect, it } from 'vitest';
import { buildFields } from '../../engine/metadata/metadata-definition.ts';
import { RecordType } from '../../engine/metadata/record-type.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';

function type(fields: Record<string, unknown>): RecordType {
  const built = buildFields(fields as never, []);
  expect(built.problems).toEqual([]);
  return new RecordType('T', built.fields);
}

describe('RecordType', () => {
  const t = type({
    id: 'long',
    n: { type: 'integer', nullable: false, default: 7 },
    amount: { type: 'decimal', precision: 6, scale: 2 },
    when: 'date',
    tags: { type: 'string', container: 'list' },
    extra: 'variant',
  });

  it('creates records with every field, in order, null or default', () => {
    const record = t.create();
    expect(Object.keys(record)).toEqual(['id', 'n', 'amount', 'when', 'tags', 'extra']);
    expect(record).toEqual({ id: null, n: 7, amount: null, when: null, tags: null, extra: null });
  });

  it('accepts conforming records and normalises values with one canonical form', () => {
    const record = { id: 12n, n: 1, amount: 3.1, when: new Date(0), tags: ['a', null], extra: { x: [1] } };
    expect(t.conform(record)).toBeNull();
    expect(record.id).toBe(12);
    expect(record.amount).toBeInstanceOf(Decimal);
    expect(String(record.amount)).toBe('3.10');
    const big = { ...t.create(), id: 2n ** 62n };
    expect(t.conform(big)).toBeNull();
    expect(big.id).toBe(2n ** 62n);
    const missing: Record<string, unknown> = { id: 1, n: undefined, amount: null, when: null, tags: null, extra: null };
    expect(t.conform(missing)).toBeNull();
    expect(missing.n).toBe(7);
  });

  it('names the field and the problem for a record that does not conform', () => {
    expect(t.conform({ ...t.create(), id: 2 ** 53 + 2 })).toMatchObject({ field: 'id' });
    expect(t.conform({ ...t.create(), id: 1.5 })?.message).toMatch(/64-bit integer/);
    expect(t.conform({ ...t.create(), n: null })?.message).toBe('is null but the field is not nullable');
    expect(t.conform({ ...t.create(), amount: 12345.5 })?.message).toBe('12345.50 does not fit decimal(6,2)');
    expect(t.conform({ ...t.create(), when: 'yesterday' })?.message).toBe('must be a valid Date, got string "yesterday"');
    expect(t.conform({ ...t.create(), tags: ['a', 3] })?.message).toBe('element 1 must be a string, got number 3');
    expect(t.conform({ ...t.create(), id: 2n ** 64n })?.message).toMatch(/outside the 64-bit range/);
  });
});
