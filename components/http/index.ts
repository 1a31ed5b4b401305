/**
 * The HTTP machinery behind HTTPConnector: one import for the component.
 *
 * - `HttpClient` — the request executor (connection reuse, retries, rate limit, auth, redirects,
 *   timeouts, TLS, streamed bodies and files, decompression, client-wide cancellation).
 * - `Paginator` — walks paged APIs, one response per page.
 * - `mapConcurrent` — N requests at once, results in input or completion order, bounded memory.
 * - For the component's records: `compileRequestTemplate` (config templates → HttpRequest per
 *   record), `ResponseRecordBuilder` (response → output record by field name), `StatusSet`
 *   (`failOnStatus` patterns), `statusFailure` / `describeErrorBody` (the API's own error in
 *   messages), `BatchedOutput` (responses gathered into batches for an output port).
 */
export { HttpClient } from './http-client.ts';
export type { HttpClientOptions, HttpTimeouts, HttpTlsOptions, RedirectOptions, RetryEvent, SendOptions } from './http-client.ts';
export type { HttpMethod, HttpRequest, MultiValueMap, MultipartPart, RequestBody } from './http-request.ts';
export type { HttpResponse } from './http-response.ts';
export { DEFAULT_MAX_RESPONSE_SIZE } from './response-target.ts';
export type { ResponseTarget } from './response-target.ts';
export { HttpRequestError, displayUrl } from './http-request-error.ts';
export type { HttpErrorContext } from './http-request-error.ts';
export { RetryPolicy, parseRetryAfter, DEFAULT_RETRY_STATUSES, DEFAULT_RETRY_NETWORK_ERRORS } from './retry.ts';
export type { RetryOptions } from './retry.ts';
export { RateLimiter } from './rate-limiter.ts';
export type { RateLimit } from './rate-limiter.ts';
export type { AuthConfig, RequestAuthorizer } from './request-auth.ts';
export type { OAuth2Config } from './oauth2.ts';
export { Paginator, findLink } from './pagination.ts';
export type { CursorFollowUp, HttpPage, HttpSender, PaginationConfig, PaginationOutcome, PaginationStopReason } from './pagination.ts';
export { compileFieldPath } from './json-field-path.ts';
export type { FieldPath } from './json-field-path.ts';
export { mapConcurrent } from './concurrent-map.ts';
export type { ConcurrentMapOptions, PullSource } from './concurrent-map.ts';
export { parseHttpUrl } from './request-validation.ts';
export { compileRequestTemplate } from './request-template.ts';
export type { MultipartFileSetting, RequestSettings, RequestTemplate, RequestTemplateOptions, TemplateCompiler } from './request-template.ts';
export { ResponseRecordBuilder, checkErrorFieldTypes, checkResponseFieldTypes } from './response-record.ts';
export type { ResponseFieldName } from './response-record.ts';
export { StatusSet, parseStatusPattern } from './status-set.ts';
export type { StatusPattern } from './status-set.ts';
export { describeErrorBody, statusFailure } from './status-failure.ts';
export { BatchedOutput } from './batched-output.ts';
