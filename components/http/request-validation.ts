/**
 * Checks a request description before anything is sent and turns it into the form the executor
 * uses: the URL's parts with the query merged in, lower-case header names, an upper-case method.
 * Every problem is a clear HttpRequestError naming the request and the culprit.
 */
import type { HttpRequest, MultiValueMap, RequestBody } from './http-request.ts';
import { HttpRequestError, displayUrl } from './http-request-error.ts';

/**
 * Where a request goes, in the parts the executor needs, read from the parsed URL once: the
 * origin and the path (with query) undici takes, the href a redirect resolves against and
 * messages show (no user info, no fragment).
 */
export interface RequestLocation {
  /** `http://host[:port]`, as undici's `origin`. */
  readonly origin: string;
  /** Path and query, `/a/b?c=d`. */
  readonly path: string;
  /** `origin` + `path`. */
  readonly href: string;
}

/** The parts of a parsed URL (user info and fragment dropped: undici never sends them). */
export function locationOf(url: URL): RequestLocation {
  const path = url.pathname + url.search;
  const origin = url.origin;
  return { origin, path, href: origin + path };
}

/** A request that passed validation. Header names are lower case. */
export interface ValidatedRequest {
  readonly method: string;
  /** Where it goes; `href` has no user info, so it is also the URL shown in messages. */
  readonly location: RequestLocation;
  readonly headers: Record<string, string>;
  readonly body: RequestBody | undefined;
}

/** Methods known to be valid tokens (skips the regex for them). */
const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** RFC 9110 token: method and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters a field value must not contain (HTAB is allowed). */
const FORBIDDEN_IN_VALUE = /[\0-\x08\x0a-\x1f\x7f]/;
/**
 * Anything but tabs and printable ASCII: control characters (above) and characters beyond
 * ASCII. NOTE: RFC 9110 tolerates bytes 0x80–0xFF as obs-text, but a JS string
 * has no bytes: undici would send U+00FC as the single byte 0xFC (Latin-1, which servers read as
 * garbage or reject) and refuse U+0100 and above with an opaque error. Refusing both up front
 * gives one clear message pointing at the `:json` / `:url` template encoders.
 */
const NOT_PLAIN = /[^\t\x20-\x7e]/;

/**
 * Appends every entry of `query` to the URL's query string, in map order, form-encoded.
 * NOTE: appended as text rather than through `url.searchParams`, which would re-serialise the
 * URL's own query (`%20` → `+`) and change what some servers see.
 */
export function appendQuery(url: URL, query: MultiValueMap): void {
  const text = queryText(query);
  if (text === '') return;
  url.search = url.search.length > 1 ? `${url.search}&${text}` : text;
}

/** `query` form-encoded, entries in map order. */
function queryText(query: MultiValueMap): string {
  const extra = new URLSearchParams();
  for (const name of Object.keys(query)) {
    const value = query[name]!;
    if (typeof value === 'string') extra.append(name, value);
    else for (const item of value) extra.append(name, item);
  }
  return extra.toString();
}

/** Where `text` (with `query` appended) points; throws TREFOIL_ERR_HTTP_INVALID_URL. */
function requestLocation(text: string, query: MultiValueMap | undefined, method: string): RequestLocation {
  const url = parseHttpUrl(text, method);
  if (query !== undefined) appendQuery(url, query);
  return locationOf(url);
}

/** Parses an absolute http(s) URL or throws TREFOIL_ERR_HTTP_INVALID_URL. */
export function parseHttpUrl(text: string, method: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_INVALID_URL',
      `${method} ${JSON.stringify(text)}: not a valid absolute URL`,
      { method, url: text },
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_INVALID_URL',
      `${method} ${displayUrl(url)}: only http:// and https:// URLs are supported, not ${url.protocol}`,
      { method, url: displayUrl(url) },
    );
  }
  return url;
}

/** Validates `request`; throws an HttpRequestError for the first problem found. */
export function validateRequest(request: HttpRequest): ValidatedRequest {
  const method = request.method === undefined ? 'GET' : request.method.toUpperCase();
  if (!COMMON_METHODS.has(method) && !TOKEN.test(method)) {
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_INVALID_REQUEST',
      `${JSON.stringify(request.method)} is not an HTTP method`,
      { method, url: request.url },
    );
  }
  const location = requestLocation(request.url, request.query, method);
  const shown = location.href;

  const headers: Record<string, string> = {};
  if (request.headers !== undefined) {
    for (const name of Object.keys(request.headers)) {
      const value = request.headers[name]!;
      if (!TOKEN.test(name)) {
        throw new HttpRequestError(
          'TREFOIL_ERR_HTTP_INVALID_HEADER',
          `${method} ${shown}: ${JSON.stringify(name)} is not a valid header name`,
          { method, url: shown },
        );
      }
      // One test for the common case (printable ASCII and tabs); the message says which rule broke.
      if (typeof value !== 'string' || NOT_PLAIN.test(value)) {
        // NOTE: the value itself is not shown: it may be a secret (an Authorization header).
        const problem =
          typeof value !== 'string' || FORBIDDEN_IN_VALUE.test(value)
            ? 'contains a line break or control character'
            : 'contains non-ASCII characters, which HTTP headers cannot carry; encode them, e.g. *{field:json} inside JSON (\\uXXXX escapes) or *{field:url}';
        throw new HttpRequestError(
          'TREFOIL_ERR_HTTP_INVALID_HEADER',
          `${method} ${shown}: the value of header "${name}" ${problem}`,
          { method, url: shown },
        );
      }
      headers[name.toLowerCase()] = value;
    }
  }
  if (request.body !== undefined && method === 'HEAD') {
    throw new HttpRequestError(
      'TREFOIL_ERR_HTTP_INVALID_REQUEST',
      `HEAD ${shown}: a HEAD request cannot have a body`,
      { method, url: shown },
    );
  }
  return { method, location, headers, body: request.body };
}
