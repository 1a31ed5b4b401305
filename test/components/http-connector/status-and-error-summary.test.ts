/**
 * The two small languages behind HTTPConnector's failure handling: status patterns
 * (`failOnStatus`, `retry.statuses`) and the readable summary of an API's error body.
 */
import { describe, expect, it } from 'vitest';
import { describeErrorBody } from '../../../components/http/status-failure.ts';
import { StatusSet, parseStatusPattern } from '../../../components/http/status-set.ts';

describe('status patterns', () => {
  it('reads numbers, classes, decades and ranges', () => {
    expect(parseStatusPattern(404)).toEqual([404, 404]);
    expect(parseStatusPattern('404')).toEqual([404, 404]);
    expect(parseStatusPattern('4xx')).toEqual([400, 499]);
    expect(parseStatusPattern('5XX')).toEqual([500, 599]);
    expect(parseStatusPattern('50x')).toEqual([500, 509]);
    expect(parseStatusPattern(' 400 - 404 ')).toEqual([400, 404]);
    const set = new StatusSet([404, '5xx', '420-422']);
    expect([399, 404, 405, 420, 422, 423, 500, 599, 600].map((status) => set.has(status))).toEqual([false, true, false, true, true, false, true, true, false]);
    expect(new StatusSet().empty).toBe(true);
    expect(new StatusSet([429, '502-504']).toList()).toEqual([429, 502, 503, 504]);
  });

  it('rejects what is not a status pattern', () => {
    for (const bad of ['4yy', '0xx', 99, 1000, '500-400', '', 'x', '40']) {
      expect(() => parseStatusPattern(bad)).toThrow(/is not a status \(404\), a class \(4xx\), a decade \(50x\) or a range \(400-499\)/);
    }
  });
});

describe('error summaries', () => {
  const json = (value: unknown, type = 'application/json') => ({ content: JSON.stringify(value), headers: { 'content-type': type } });

  it('prefers Dropbox error_summary (with its user message)', () => {
    expect(describeErrorBody(json({ error_summary: 'path/conflict/file/.', error: { '.tag': 'path' } }))).toBe('path/conflict/file/.');
    expect(describeErrorBody(json({ error_summary: 'path/not_found/..', user_message: { locale: 'en', text: 'Not there.' } }))).toBe('path/not_found/.. (Not there.)');
  });

  it('reads OAuth2, nested, plain and RFC 9457 problem errors', () => {
    expect(describeErrorBody(json({ error: 'invalid_grant', error_description: 'code has expired' }))).toBe('invalid_grant: code has expired');
    expect(describeErrorBody(json({ error: { code: 403, message: 'The caller does not have permission' } }))).toBe('The caller does not have permission');
    expect(describeErrorBody(json({ message: 'Bad credentials', documentation_url: 'https://x' }))).toBe('Bad credentials');
    expect(describeErrorBody(json({ type: 'about:blank', title: 'Out of credit', detail: 'Your balance is 30' }, 'application/problem+json'))).toBe('Out of credit: Your balance is 30');
  });

  it('takes the first line of plain text, ignores HTML and unrecognised JSON, shortens long text', () => {
    expect(describeErrorBody({ content: 'Error in call to API function\nsecond line', headers: { 'content-type': 'text/plain' } })).toBe('Error in call to API function');
    expect(describeErrorBody({ content: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } })).toBeUndefined();
    expect(describeErrorBody(json({ unrelated: true }))).toBeUndefined();
    expect(describeErrorBody({ content: '', headers: {} })).toBeUndefined();
    expect(describeErrorBody({ content: 'x'.repeat(1000), headers: {} })).toBe(`${'x'.repeat(300)}…`);
    expect(describeErrorBody({ contentBytes: Buffer.from('{"error_summary":"too_many_requests/"}'), headers: {} })).toBe('too_many_requests/');
  });
});
