/**
 * Where a request goes, in the parts the executor needs: the origin and the path (with query)
 * undici takes, the href a redirect resolves against, the URL as shown in messages.
 *
 * Most request URLs are plain — `http://api.example.com:8080/items/42?page=2` — and for those
 * the parts are cut from the string by one regular expression instead of parsing a WHATWG `URL`
 * and reading its getters.
 *
 * NOTE: the fast path measured ~2 µs less CPU per request on test/bench/http-bench.ts (URL
 * parsing was a third of the executor's own cost). It accepts only strings whose parts a WHATWG
 * parser would leave exactly as they are: a lower-case http(s) scheme; a lower-case DNS name
 * whose last label starts with a letter, or a canonical dotted-quad IPv4 address (other
 * numeric hosts are rewritten by the parser); a port without leading zeros that is not the
 * scheme's default; a path and query of characters that are never percent-encoded, `%XX`
 * escapes, no dot segments (plain or encoded), no fragment, no user info. Anything else goes
 * through `new URL()`; test/components/http-connector/request-location.test.ts checks that
 * both ways agree.
 */

export interface RequestLocation {
  /** `http://host[:port]`, as undici's `origin`. */
  readonly origin: string;
  /** Path and query, `/a/b?c=d`. */
  readonly path: string;
  /** The whole URL, normalised: base for resolving a redirect. */
  readonly href: string;
}

const DNS_LABEL = '[a-z](?:[a-z0-9-]*[a-z0-9])?';
const DNS_NAME = `(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)*${DNS_LABEL}`;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PORT = '[1-9]\\d{0,4}';
/** Path characters a WHATWG parser keeps as they are (RFC 3986 pchar minus a few), or %XX. */
const PATH_CHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})";
/** Query characters likewise; `'` is percent-encoded in special schemes' queries, so it is out. */
const QUERY_CHAR = '(?:[A-Za-z0-9\\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})';
const SIMPLE_URL = new RegExp(`^(https?)://(${DNS_NAME}|${IPV4})(?::(${PORT}))?(/${PATH_CHAR}*)?(\\?${QUERY_CHAR}*)?$`);
/** Dot segments, plain or percent-encoded, which the parser would resolve. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$|\?)/i;

/** The parts of `text` when it is a plain URL (see the module notes), else undefined. */
export function simpleLocation(text: string): RequestLocation | undefined {
  const match = SIMPLE_URL.exec(text);
  if (match === null) return undefined;
  const [, scheme, host, port, path, query] = match;
  // IDNA: an xn-- label must be valid punycode, which only the parser checks.
  if (host!.includes('xn--')) return undefined;
  if (port !== undefined && (Number(port) > 65535 || port === (scheme === 'http' ? '80' : '443'))) return undefined;
  if (path !== undefined && DOT_SEGMENT.test(path)) return undefined;
  const origin = port === undefined ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
  // A lone `?` is an empty query, which URL#search reports as none.
  const fullPath = (path ?? '/') + (query === undefined || query === '?' ? '' : query);
  return { origin, path: fullPath, href: origin + fullPath };
}

/** The parts of a parsed URL (the fragment dropped, as undici never sends it). */
export function locationOf(url: URL): RequestLocation {
  const path = url.pathname + url.search;
  return { origin: url.origin, path, href: url.origin + path };
}

/**
 * `location` with `query` (form-encoded text, e.g. from URLSearchParams) appended to its own
 * query, as the `URL.search` setter would leave it.
 */
export function withQueryText(location: RequestLocation, query: string): RequestLocation {
  if (query === '') return location;
  const separator = location.path.endsWith('?') ? '' : location.path.includes('?') ? '&' : '?';
  const path = location.path + separator + query;
  return { origin: location.origin, path, href: location.origin + path };
}
