import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../engine/params/redactor.ts';

describe('Redactor', () => {
  it('is the identity while it holds no secrets', () => {
    const redactor = new Redactor();
    const text = 'nothing to hide';
    expect(redactor.redact(text)).toBe(text);
    const value = { a: ['b'] };
    expect(redactor.redactValue(value)).toBe(value);
    redactor.add('');
    expect(redactor.size).toBe(0);
  });

  it('replaces every occurrence of every secret, longest first', () => {
    const redactor = new Redactor().add('abc').add('abcdef').add(1234);
    expect(redactor.redact('x abcdef y abc z abcabc 1234')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}${REDACTED} ${REDACTED}`);
    expect(redactor.size).toBe(3);
  });

  it('treats regular-expression characters in secrets literally', () => {
    const redactor = new Redactor().add('a.b*c(d)[e]$^|\\');
    expect(redactor.redact('token=a.b*c(d)[e]$^|\\ end')).toBe(`token=${REDACTED} end`);
    expect(redactor.redact('aXbbbc')).toBe('aXbbbc');
  });

  it('catches URL-encoded, form-encoded, JSON-escaped and base64 forms', () => {
    const secret = 'p@ss wörd/"quoted"&more!';
    const redactor = new Redactor().add(secret);
    const forms = {
      url: `https://x.test/?token=${encodeURIComponent(secret)}&a=1`,
      lowerHex: `q=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())}`,
      form: `body: ${new URLSearchParams({ token: secret }).toString()}`,
      json: JSON.stringify({ token: secret }),
      jsonTwice: JSON.stringify({ body: JSON.stringify({ token: secret }) }),
      jsonAscii: `{"token":"${JSON.stringify(secret).slice(1, -1).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"}`,
      base64: `data=${Buffer.from(secret).toString('base64')}`,
    };
    for (const [form, text] of Object.entries(forms)) {
      const redacted = redactor.redact(text);
      expect(redacted, form).toContain(REDACTED);
      expect(redacted, form).not.toContain('ss');
    }
  });

  it('redacts strings and keys in a value tree without touching the original', () => {
    const redactor = new Redactor();
    redactor.addAll(['tok-1', 'tok-2', 'tok-1']);
    const record = { parameters: { TOKEN: 'tok-1', LIMIT: 5 }, log: ['sent tok-2'], 'tok-1': true, when: new Date(0) };
    const redacted = redactor.redactValue(record);
    expect(redacted).toEqual({ parameters: { TOKEN: REDACTED, LIMIT: 5 }, log: [`sent ${REDACTED}`], [REDACTED]: true, when: new Date(0) });
    expect(record.parameters.TOKEN).toBe('tok-1');
  });

  it('stays fast on long texts', () => {
    const redactor = new Redactor().addAll(Array.from({ length: 20 }, (_, index) => `secret-value-${index}-xyz`));
    const line = 'component read finished: 1000 records, 65536 bytes, status FINISHED_OK; '.repeat(20);
    const started = performance.now();
    for (let index = 0; index < 2000; index++) redactor.redact(line);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
