/** Templates (SPEC §6): *{field}, *{dict.NAME}, the url and json encoders, compiled once. */
import { describe, expect, it } from 'vitest';
import { compileTemplate, templateReferences } from '../../engine/runtime/template.ts';
import { RecordType } from '../../engine/metadata/record-type.ts';
import { buildFields } from '../../engine/metadata/metadata-definition.ts';
import { Decimal } from '../../engine/metadata/decimal.ts';

const metadata = new RecordType('File', buildFields({ path: 'string', size: 'long', amount: { type: 'decimal', scale: 2 }, when: 'date' }, []).fields);

describe('templates', () => {
  it('renders fields and dictionary entries as text', () => {
    const template = compileTemplate('/files/*{path}?size=*{size}&a=*{amount}&t=*{when}&s=*{dict.session}', metadata);
    const record = { path: 'a.txt', size: 2n ** 60n, amount: Decimal.parse('1.50'), when: new Date(Date.UTC(2026, 0, 2)) };
    expect(template.render(record, { session: 'xyz' })).toBe('/files/a.txt?size=1152921504606846976&a=1.50&t=2026-01-02T00:00:00.000Z&s=xyz');
    expect(template.fields).toEqual(['path', 'size', 'amount', 'when']);
    expect(compileTemplate('plain').constant).toBe(true);
  });

  it('encodes for URLs and for JSON inside HTTP headers', () => {
    const url = compileTemplate('https://x/?q=*{path:url}', metadata);
    expect(url.render({ path: 'a b/ü&c' })).toBe('https://x/?q=a%20b%2F%C3%BC%26c');
    const header = compileTemplate('{"path": *{path:json}}', metadata);
    const rendered = header.render({ path: '/über "quoted"\n' });
    expect(rendered).toBe('{"path": "/\\u00fcber \\"quoted\\"\\n"}');
    expect(/^[\x20-\x7e]*$/.test(rendered)).toBe(true);
    expect(JSON.parse(rendered)).toEqual({ path: '/über "quoted"\n' });
  });

  it('renders null as empty text and rejects unknown fields at compile time', () => {
    expect(compileTemplate('[*{path}]', metadata).render({ path: null })).toBe('[]');
    expect(() => compileTemplate('*{nope}', metadata)).toThrow(/refers to field nope, which metadata File does not have/);
    expect(templateReferences('*{a} *{dict.b} *{c:url}')).toEqual({ fields: ['a', 'c'], dictionary: ['b'] });
  });
});
