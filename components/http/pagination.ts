/**
 * Pagination: follows a paged API from the first request to the last page, one HttpResponse per
 * page (HTTPConnector emits one output record per page). Field paths are JSON Pointers or dotted
 * paths (`json-field-path.ts`).
 *
 * Strategies and their settings:
 *
 * | strategy      | settings | next request | last page when |
 * |---------------|----------|--------------|----------------|
 * | `cursor`      | `cursorField`, `hasMoreField?`, `next?` | `next.url` (default: same URL) with the cursor in `next.cursorBodyField` (JSON body, merged into `next.bodyJson`) or `next.cursorQueryParam` (default `cursor`) | `hasMoreField` is falsy; without it, the cursor is missing or empty |
 * | `next-url`    | `nextUrlField` | GET-as-before to that URL (relative resolves against the page's URL), query map dropped | the field is missing, null or empty |
 * | `link-header` | `rel?` (default `next`) | the `Link` header's URL for that rel | no such link |
 * | `offset`      | `limit`, `offsetParam?` (`offset`), `limitParam?` (`limit`), `start?` (0), `itemsField?` (the root), `totalField?` | same request, query `offset += limit` | fewer than `limit` items, or `offset + limit >= total` |
 * | `page`        | `pageParam?` (`page`), `start?` (1), `pageSize?`, `pageSizeParam?`, `itemsField?` (the root), `totalPagesField?` | same request, query `page += 1` | no items, fewer than `pageSize`, or `page >= totalPages` |
 *
 * Dropbox `list_folder` is `{ strategy: 'cursor', cursorField: 'cursor', hasMoreField: 'has_more',
 * next: { url: '…/2/files/list_folder/continue', cursorBodyField: 'cursor' } }`.
 *
 * Guards, for every strategy: at most `maxPages` pages (default 1000); a page whose body is
 * byte-identical to an earlier one (SHA-1) is dropped and ends the walk; a cursor or next URL
 * that does not advance (equals one already used) ends it after the current page. A non-2xx page
 * is yielded and ends the walk (what that status means is the caller's decision).
 */
import { createHash } from 'node:crypto';
import type { HttpMethod, HttpRequest } from './http-request.ts';
import { HttpRequestError, displayUrl } from './http-request-error.ts';
import type { HttpResponse } from './http-response.ts';
import { compileFieldPath, withField, type FieldPath } from './json-field-path.ts';
import type { ResponseTarget } from './response-target.ts';
import type { SendOptions } from './http-client.ts';

/** How a `cursor` page's follow-up request is built. */
export interface CursorFollowUp {
  /** URL of the follow-up requests. @default the first request's URL */
  readonly url?: string;
  /** @default the first request's method */
  readonly method?: HttpMethod;
  /** Replaces the first request's headers when given. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the cursor as this query parameter. @default 'cursor' when cursorBodyField is not set */
  readonly cursorQueryParam?: string;
  /** Send a JSON body with the cursor at this field path (e.g. `cursor`). Replaces the body. */
  readonly cursorBodyField?: string;
  /** Other fields of that JSON body. @default {} */
  readonly bodyJson?: Readonly<Record<string, unknown>>;
}

interface PaginationLimits {
  /** Most pages fetched. @default 1000 */
  readonly maxPages?: number;
}

/** Pagination settings (see the module documentation for each strategy). */
export type PaginationConfig = PaginationLimits &
  (
    | { readonly strategy: 'cursor'; readonly cursorField: string; readonly hasMoreField?: string; readonly next?: CursorFollowUp }
    | { readonly strategy: 'next-url'; readonly nextUrlField: string }
    | { readonly strategy: 'link-header'; readonly rel?: string }
    | {
        readonly strategy: 'offset';
        readonly limit: number;
        readonly offsetParam?: string;
        readonly limitParam?: string;
        readonly start?: number;
        readonly itemsField?: string;
        readonly totalField?: string;
      }
    | {
        readonly strategy: 'page';
        readonly pageParam?: string;
        readonly start?: number;
        readonly pageSize?: number;
        readonly pageSizeParam?: string;
        readonly itemsField?: string;
        readonly totalPagesField?: string;
      }
  );

/** Why the walk ended. */
export type PaginationStopReason =
  | 'last-page'
  | 'max-pages'
  | 'repeated-page'
  | 'cursor-not-advanced'
  | 'error-status';

/** One page. `pageIndex` is 0-based. */
export interface HttpPage {
  readonly pageIndex: number;
  readonly response: HttpResponse;
}

/** What the walk returns when it ends (the generator's return value). */
export interface PaginationOutcome {
  readonly pages: number;
  readonly stopReason: PaginationStopReason;
}

/** Anything that sends requests like HttpClient. */
export interface HttpSender {
  send(request: HttpRequest, target?: ResponseTarget, options?: SendOptions): Promise<HttpResponse>;
}

/** Decides, from one page, the next request or the end. */
type NextStep =
  | { readonly done: true }
  | { readonly done: false; readonly request: HttpRequest; /** Identifies the position, for the no-advance guard. */ readonly key: string };

type Strategy = (page: HttpResponse, request: HttpRequest, pageIndex: number, body: () => unknown) => NextStep;

function paginationError(page: HttpResponse, request: HttpRequest, message: string, cause?: unknown): HttpRequestError {
  const method = (request.method ?? 'GET').toUpperCase();
  return new HttpRequestError(
    'TREFOIL_ERR_HTTP_PAGINATION',
    `${method} ${page.url}: pagination: ${message}`,
    { method, url: page.url, statusCode: page.statusCode },
    { cause },
  );
}

function configError(message: string): HttpRequestError {
  return new HttpRequestError('TREFOIL_ERR_HTTP_INVALID_REQUEST', `pagination: ${message}`, { method: '', url: '' });
}

function compilePath(path: string, setting: string): FieldPath {
  try {
    return compileFieldPath(path);
  } catch (cause) {
    throw configError(`${setting}: ${(cause as Error).message}`);
  }
}

function withQuery(request: HttpRequest, values: Readonly<Record<string, string>>): HttpRequest {
  const query: Record<string, string | readonly string[]> = { ...(request.query ?? {}) };
  for (const name of Object.keys(values)) query[name] = values[name]!;
  // The URL may already carry the parameter: the query map's value must win, so drop it there.
  // An invalid URL is left as is for send() to report.
  // NOTE: only touched when needed: deleting re-serialises the whole query (`%20` becomes `+`).
  if (!URL.canParse(request.url)) return { ...request, query };
  const url = new URL(request.url);
  const present = Object.keys(values).filter((name) => url.searchParams.has(name));
  if (present.length === 0) return { ...request, query };
  for (const name of present) url.searchParams.delete(name);
  return { ...request, url: url.href, query };
}

function isTruthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '' && value !== 'false';
}

function itemsOf(page: HttpResponse, request: HttpRequest, items: FieldPath, body: unknown): readonly unknown[] {
  const value = items.read(body);
  if (!Array.isArray(value)) {
    throw paginationError(page, request, `itemsField ${JSON.stringify(items.source)} is not an array in the response`);
  }
  return value;
}

/** Parses a `Link` header (RFC 8288) and returns the URL of the first link with `rel`. */
export function findLink(header: string | undefined, rel: string): string | undefined {
  if (header === undefined) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const relParam = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!);
    const rels = (relParam?.[1] ?? relParam?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes(rel)) return match[1];
  }
  return undefined;
}

function compileStrategy(config: PaginationConfig): Strategy {
  switch (config.strategy) {
    case 'cursor': {
      const cursorPath = compilePath(config.cursorField, 'cursorField');
      const hasMorePath = config.hasMoreField === undefined ? undefined : compilePath(config.hasMoreField, 'hasMoreField');
      const next = config.next ?? {};
      const bodyPath = next.cursorBodyField === undefined ? undefined : compilePath(next.cursorBodyField, 'next.cursorBodyField');
      const queryParam = next.cursorQueryParam ?? (bodyPath === undefined ? 'cursor' : undefined);
      return (page, request, _index, body) => {
        const document = body();
        const cursor = cursorPath.read(document);
        const hasCursor = cursor !== undefined && cursor !== null && cursor !== '';
        if (hasMorePath !== undefined) {
          if (!isTruthy(hasMorePath.read(document))) return { done: true };
          if (!hasCursor) {
            throw paginationError(page, request, `${config.hasMoreField} says there is more but ${config.cursorField} is missing`);
          }
        } else if (!hasCursor) {
          return { done: true };
        }
        if (typeof cursor === 'object') {
          throw paginationError(page, request, `cursorField ${JSON.stringify(config.cursorField)} is not a string or number`);
        }
        const cursorText = String(cursor);
        let following: HttpRequest = {
          ...request,
          url: next.url ?? request.url,
          method: next.method ?? request.method,
          headers: next.headers ?? request.headers,
        };
        if (bodyPath !== undefined) {
          const headers = { ...(following.headers ?? {}) };
          for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
          following = { ...following, headers, body: { kind: 'json', value: withField(next.bodyJson ?? {}, bodyPath, cursor) } };
        }
        if (queryParam !== undefined) following = withQuery(following, { [queryParam]: cursorText });
        return { done: false, request: following, key: `cursor:${cursorText}` };
      };
    }
    case 'next-url': {
      const nextPath = compilePath(config.nextUrlField, 'nextUrlField');
      return (page, request, _index, body) => {
        const value = nextPath.read(body());
        if (value === undefined || value === null || value === '') return { done: true };
        if (typeof value !== 'string') throw paginationError(page, request, `nextUrlField ${JSON.stringify(config.nextUrlField)} is not a string`);
        const url = new URL(value, page.url).href;
        const { query: _dropped, ...rest } = request;
        return { done: false, request: { ...rest, url }, key: `url:${url}` };
      };
    }
    case 'link-header': {
      const rel = (config.rel ?? 'next').toLowerCase();
      return (page, request) => {
        const link = findLink(page.headers.link, rel);
        if (link === undefined) return { done: true };
        const url = new URL(link, page.url).href;
        const { query: _dropped, ...rest } = request;
        return { done: false, request: { ...rest, url }, key: `url:${url}` };
      };
    }
    case 'offset': {
      const limit = config.limit;
      if (!Number.isInteger(limit) || limit < 1) throw configError(`offset pagination needs an integer limit >= 1, got ${limit}`);
      const offsetParam = config.offsetParam ?? 'offset';
      const limitParam = config.limitParam ?? 'limit';
      const start = config.start ?? 0;
      const items = compilePath(config.itemsField ?? '', 'itemsField');
      const total = config.totalField === undefined ? undefined : compilePath(config.totalField, 'totalField');
      return (page, request, index, body) => {
        const document = body();
        const offset = start + index * limit;
        if (itemsOf(page, request, items, document).length < limit) return { done: true };
        if (total !== undefined && offset + limit >= Number(total.read(document))) return { done: true };
        const nextOffset = String(offset + limit);
        return { done: false, request: withQuery(request, { [offsetParam]: nextOffset, [limitParam]: String(limit) }), key: `offset:${nextOffset}` };
      };
    }
    case 'page': {
      const pageParam = config.pageParam ?? 'page';
      const start = config.start ?? 1;
      const pageSize = config.pageSize;
      const items = compilePath(config.itemsField ?? '', 'itemsField');
      const totalPages = config.totalPagesField === undefined ? undefined : compilePath(config.totalPagesField, 'totalPagesField');
      return (page, request, index, body) => {
        const document = body();
        const number = start + index;
        const count = itemsOf(page, request, items, document).length;
        if (count === 0 || (pageSize !== undefined && count < pageSize)) return { done: true };
        if (totalPages !== undefined && number >= Number(totalPages.read(document))) return { done: true };
        const values: Record<string, string> = { [pageParam]: String(number + 1) };
        if (pageSize !== undefined && config.pageSizeParam !== undefined) values[config.pageSizeParam] = String(pageSize);
        return { done: false, request: withQuery(request, values), key: `page:${number + 1}` };
      };
    }
    default:
      throw configError(`unknown strategy ${JSON.stringify((config as { strategy?: unknown }).strategy)}`);
  }
}

/** The first request of an offset/page walk carries the start position. */
function firstRequest(config: PaginationConfig, request: HttpRequest): HttpRequest {
  if (config.strategy === 'offset') {
    return withQuery(request, {
      [config.offsetParam ?? 'offset']: String(config.start ?? 0),
      [config.limitParam ?? 'limit']: String(config.limit),
    });
  }
  if (config.strategy === 'page') {
    const values: Record<string, string> = { [config.pageParam ?? 'page']: String(config.start ?? 1) };
    if (config.pageSize !== undefined && config.pageSizeParam !== undefined) values[config.pageSizeParam] = String(config.pageSize);
    return withQuery(request, values);
  }
  return request;
}

function hashBody(response: HttpResponse): string | undefined {
  const body = response.contentBytes ?? response.content;
  return body === undefined ? undefined : createHash('sha1').update(body).digest('base64');
}

/** A compiled pagination configuration; compile once per component, walk once per input record. */
export class Paginator {
  readonly #config: PaginationConfig;
  readonly #strategy: Strategy;
  readonly #maxPages: number;

  /** Throws TREFOIL_ERR_HTTP_INVALID_REQUEST for an invalid configuration. */
  constructor(config: PaginationConfig) {
    this.#config = config;
    this.#strategy = compileStrategy(config);
    this.#maxPages = config.maxPages ?? 1000;
    if (!Number.isInteger(this.#maxPages) || this.#maxPages < 1) throw configError(`maxPages must be an integer >= 1, got ${config.maxPages}`);
  }

  /**
   * Walks the pages of `request`, yielding each as it arrives; the return value says why it
   * stopped. The target must keep the body in memory (`content` or `bytes`): the strategies and
   * the repeated-page guard read it.
   */
  async *pages(
    sender: HttpSender,
    request: HttpRequest,
    target: ResponseTarget = { kind: 'content' },
    options: SendOptions = {},
  ): AsyncGenerator<HttpPage, PaginationOutcome, undefined> {
    if (target.kind !== 'content' && target.kind !== 'bytes') {
      throw new HttpRequestError(
        'TREFOIL_ERR_HTTP_PAGINATION',
        `pagination: the response must go to content or bytes, not to ${target.kind}`,
        { method: (request.method ?? 'GET').toUpperCase(), url: displayUrl(request.url) },
      );
    }
    const seenBodies = new Set<string>();
    const seenPositions = new Set<string>();
    let current = firstRequest(this.#config, request);
    for (let pageIndex = 0; ; pageIndex++) {
      if (pageIndex === this.#maxPages) return { pages: pageIndex, stopReason: 'max-pages' };
      const response = await sender.send(current, target, options);
      seenPositions.add(`url:${response.url}`);
      const hash = hashBody(response);
      if (hash !== undefined) {
        if (seenBodies.has(hash)) return { pages: pageIndex, stopReason: 'repeated-page' };
        seenBodies.add(hash);
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        yield { pageIndex, response };
        return { pages: pageIndex + 1, stopReason: 'error-status' };
      }
      let parsed: { value: unknown } | undefined;
      const pageRequest = current;
      const body = (): unknown => {
        if (parsed === undefined) {
          const text = response.content ?? Buffer.from(response.contentBytes ?? new Uint8Array()).toString('utf8');
          try {
            parsed = { value: JSON.parse(text) };
          } catch (cause) {
            throw paginationError(response, pageRequest, 'the response body is not JSON', cause);
          }
        }
        return parsed.value;
      };
      const step = this.#strategy(response, current, pageIndex, body);
      yield { pageIndex, response };
      if (step.done) return { pages: pageIndex + 1, stopReason: 'last-page' };
      if (seenPositions.has(step.key)) return { pages: pageIndex + 1, stopReason: 'cursor-not-advanced' };
      seenPositions.add(step.key);
      current = step.request;
    }
  }
}
