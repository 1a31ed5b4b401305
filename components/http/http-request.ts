/**
 * The description of one HTTP request, fully templated: every value is final text (the
 * component evaluates its templates before building this). The executor validates it once per
 * request (`request-validation.ts`) and never mutates it, so a retry or a page re-sends exactly
 * what the caller described.
 */

/** An HTTP method. Upper case; any RFC 9110 token is accepted, these are the usual ones. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | (string & {});

/** A map of names to one value or several (repeated query parameters / form fields). */
export type MultiValueMap = Readonly<Record<string, string | readonly string[]>>;

/** One part of a `multipart/form-data` body: a text field, or a file streamed from disk. */
export type MultipartPart =
  | { readonly name: string; readonly value: string; readonly contentType?: string }
  | {
      readonly name: string;
      /** Path of the file to send; streamed, never loaded whole. */
      readonly file: string;
      /** File name announced to the server. @default the path's base name */
      readonly filename?: string;
      /** @default 'application/octet-stream' */
      readonly contentType?: string;
    };

/**
 * The request body.
 *
 * - a `string` or `Uint8Array` is sent as is (`text/plain; charset=utf-8` /
 *   `application/octet-stream` unless a `Content-Type` header says otherwise);
 * - `file`: streamed from disk with a `Content-Length` from its size;
 * - `form`: `application/x-www-form-urlencoded`;
 * - `multipart`: `multipart/form-data`, files streamed, `Content-Length` computed up front;
 * - `json`: `JSON.stringify(value)` as `application/json` (pagination builds these).
 *
 * Every kind can be sent again (for a retry, a redirect or a page): files are re-opened.
 */
export type RequestBody =
  | string
  | Uint8Array
  | { readonly kind: 'file'; readonly path: string; readonly contentType?: string }
  | { readonly kind: 'form'; readonly fields: MultiValueMap }
  | { readonly kind: 'multipart'; readonly parts: readonly MultipartPart[] }
  | { readonly kind: 'json'; readonly value: unknown };

/** One request, ready to send. */
export interface HttpRequest {
  /** @default 'GET' */
  readonly method?: HttpMethod;
  /** Absolute `http:` or `https:` URL; may already carry a query string. */
  readonly url: string;
  /** Header name → value. Names are case-insensitive; values must not contain CR, LF or NUL. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters appended to the URL's own (percent-encoded here; pass raw values). */
  readonly query?: MultiValueMap;
  readonly body?: RequestBody;
}
