/** Codes for HTTP requests made by HTTPConnector (components/http). */
import { defineCodes } from './define-codes.ts';

export const HTTP_CODES = defineCodes({
  TREFOIL_ERR_HTTP_INVALID_URL: {
    summary: 'The request URL is not a valid absolute http:// or https:// URL.',
    fix: 'Check the `url` template and the values it reads: it must start with http:// or https:// and be URL-encoded (use `*{field:url}` for values).',
  },
  TREFOIL_ERR_HTTP_INVALID_HEADER: {
    summary: 'A request header name or value is not allowed in HTTP (a value containing a line break, a control character or non-ASCII text).',
    fix: 'Encode values that may contain such characters: `*{field:json}` inside JSON (non-ASCII becomes \\uXXXX, as Dropbox-API-Arg expects) or `*{field:url}`; use a plain token as the header name.',
  },
  TREFOIL_ERR_HTTP_INVALID_REQUEST: {
    summary: 'The request description is not usable (unknown method, body with a method that takes none, conflicting options).',
    fix: 'Correct the HTTPConnector configuration named in the message.',
  },
  TREFOIL_ERR_HTTP_BODY_FILE: {
    summary: 'A file to send (bodyFile or a multipart file) does not exist or cannot be read.',
    fix: 'Check the path (relative paths resolve against the working directory) and the file permissions.',
  },
  TREFOIL_ERR_HTTP_RESPONSE_TOO_LARGE: {
    summary: 'The response body is larger than maxResponseSize.',
    fix: 'Raise `maxResponseSize`, or write the response to disk with `responseFile` (streamed, no size limit).',
  },
  TREFOIL_ERR_HTTP_RESPONSE_FILE: {
    summary: 'The response could not be written to its file.',
    fix: 'Check that the directory exists (or set `makeDirs: true`), is writable and has free space.',
  },
  TREFOIL_ERR_HTTP_DECODE: {
    summary: 'The response body could not be decoded (corrupt gzip/br/deflate data, an unsupported content encoding or charset).',
    fix: 'Check what the server sends (Content-Encoding, Content-Type charset); request the raw bytes instead if it is not text.',
  },
  TREFOIL_ERR_HTTP_TIMEOUT: {
    summary: 'The server did not connect, answer or send body data in time.',
    fix: 'Raise `timeout`, check that the server is reachable, or add `retry` for flaky servers.',
  },
  TREFOIL_ERR_HTTP_NETWORK: {
    summary: 'The connection failed (refused, reset, closed mid-response, DNS failure).',
    fix: 'Check the host and port and that the server is running; add `retry` with the network errors to retry.',
  },
  TREFOIL_ERR_HTTP_TLS: {
    summary: 'The TLS handshake failed (untrusted or expired certificate, wrong host name).',
    fix: 'Give the server\'s CA certificate with `tls.caFile`; use `tls.insecure: true` only for testing.',
  },
  TREFOIL_ERR_HTTP_TOO_MANY_REDIRECTS: {
    summary: 'The server redirected more times than allowed.',
    fix: 'Check the URL for a redirect loop, or raise `redirects.max`.',
  },
  TREFOIL_ERR_HTTP_AUTH: {
    summary: 'No access token could be obtained from the OAuth2 token endpoint.',
    fix: 'Check tokenUrl, client id and secret, and the refresh token; the message shows the endpoint\'s status and error code.',
  },
  TREFOIL_ERR_HTTP_PAGINATION: {
    summary: 'A page could not be followed (the body is not JSON, a field is of the wrong type, or pagination was combined with a file response).',
    fix: 'Check the pagination field paths against a real response; paginated responses must go to `content` or bytes, not `responseFile`.',
  },
  TREFOIL_ERR_HTTP_STATUS: {
    summary: 'The server answered with a status that `failOnStatus` counts as a failure (the message quotes the API\'s error, e.g. Dropbox\'s error_summary).',
    fix: 'Read the API error in the message; connect the error port to handle such responses as records, or change `failOnStatus`.',
  },
});
