/**
 * The fast path that cuts plain URLs into origin and path without a WHATWG parse must agree
 * with `new URL()` on everything it accepts, and leave to the parser whatever the parser would
 * rewrite (case, default ports, numeric hosts, dot segments, characters it percent-encodes).
 */
import { describe, expect, it } from 'vitest';
import { locationOf, simpleLocation, withQueryText } from '../../../components/http/request-location.ts';

const ACCEPTED = [
  'http://127.0.0.1:8080/item/42',
  'https://api.dropboxapi.com/2/files/list_folder',
  'https://content.dropboxapi.com/2/files/download',
  'http://localhost:3000',
  'http://localhost:3000/',
  'http://example.com/a/b/c?x=1&y=2',
  'http://example.com?only=query',
  'http://example.com/?',
  'http://example.com/a//b/',
  'http://example.com/%C3%BCber/na%C3%AFve?q=%20x',
  "http://example.com/it's/(ok)*;a=b,c:d@e!$+~",
  'http://example.com/search?q=a/b?c:d@e',
  'http://sub-domain.example-host.co.uk:65535/x',
  'http://255.255.255.255/',
  'http://0.0.0.0:1/',
  'http://example.com/.../x',
  'http://example.com/.hidden/file.',
  'http://a1.b2.example/x',
];

const REJECTED = [
  'HTTP://example.com/', // upper-case scheme (the parser lower-cases it)
  'http://Example.com/', // upper-case host
  'http://example.com:80/', // default port (dropped by the parser)
  'https://example.com:443/x',
  'http://example.com:080/', // leading zero
  'http://example.com:70000/',
  'http://1234/', // numeric host: IPv4 to the parser
  'http://0x7f.1/',
  'http://127.0.0.01/',
  'http://1.2.3/',
  'http://example.123/',
  'http://xn--nxasmq6b.com/', // IDNA checked by the parser
  'http://example.com./',
  'http://user:pass@example.com/',
  'http://example.com/a b',
  'http://example.com/über',
  'http://example.com/a#fragment',
  'http://example.com/a/../b',
  'http://example.com/a/./b',
  'http://example.com/a/..',
  'http://example.com/a/%2e%2E/b',
  'http://example.com/a/.%2e?x',
  'http://example.com/a\\b',
  'http://example.com/a|b',
  'http://example.com/a{b}',
  'http://example.com/?q=it\'s', // ' is encoded in special schemes' queries
  'http://example.com/%zz',
  'ftp://example.com/',
  'example.com/x',
  'http:/example.com',
  '',
];

describe('simpleLocation', () => {
  it.each(ACCEPTED)('agrees with new URL() on %s', (text) => {
    const simple = simpleLocation(text);
    expect(simple).toBeDefined();
    const url = new URL(text);
    expect(simple).toEqual(locationOf(url));
    expect(simple!.href).toBe(url.href.replace(/\?$/, ''));
  });

  it.each(REJECTED)('leaves %s to the parser', (text) => {
    expect(simpleLocation(text)).toBeUndefined();
  });

  it('appends a query as the URL.search setter does', () => {
    for (const text of ['http://h.example/p', 'http://h.example/p?a=1', 'http://h.example/p?']) {
      const query = new URLSearchParams({ q: 'a b/ü', n: '1' }).toString();
      const url = new URL(text);
      url.search = url.search.length > 1 ? `${url.search}&${query}` : query;
      expect(withQueryText(simpleLocation(text)!, query)).toEqual(locationOf(url));
    }
  });
});
