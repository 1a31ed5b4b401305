/**
 * HTTPConnector — CloverDX's HTTPConnector: one HTTP request per input record (exactly one
 * without an input edge), one output record per response (per page when paginating), failures
 * to the error port. The HTTP machinery (retries, rate limit, auth, TLS, redirects, streamed
 * bodies and files, pagination, ordered concurrency) is the library in `components/http/`; this
 * file is the spec, the mapping from config to that library, and the record plumbing.
 */
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import type { ConfigOf } from '../engine/component/config-spec.ts';
import { defineComponent, type ComponentContext, type ConfigProblem } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import type { InputPort, OutputPort } from '../engine/runtime/ports.ts';
import { compileTemplate, type Template } from '../engine/runtime/template.ts';
import {
  BatchedOutput,
  DEFAULT_MAX_RESPONSE_SIZE,
  DEFAULT_RETRY_STATUSES,
  HttpClient,
  HttpRequestError,
  Paginator,
  ResponseRecordBuilder,
  StatusSet,
  checkErrorFieldTypes,
  checkResponseFieldTypes,
  compileFieldPath,
  compileRequestTemplate,
  mapConcurrent,
  parseHttpUrl,
  parseStatusPattern,
  statusFailure,
  type AuthConfig,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type PaginationConfig,
  type PullSource,
  type RequestSettings,
  type RequestTemplate,
  type ResponseTarget,
  type StatusPattern,
  type TemplateCompiler,
} from './http/index.ts';

const templateMap = (description: string) => ({ type: 'map', values: { type: 'template', description: 'A template.' }, description }) as const;

/** A status pattern: 404, "404", "4xx", "50x", "400-499". */
const STATUS_LIST_SCHEMA = {
  anyOf: [
    { type: ['integer', 'string'] },
    { type: 'array', items: { type: ['integer', 'string'] } },
  ],
};

const config = {
  url: { type: 'template', required: true, description: 'Absolute http(s) URL; a template (`*{id:url}` percent-encodes a value).' },
  method: {
    type: 'string',
    default: 'GET',
    description: 'HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, …).',
    schema: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", default: 'GET' },
  },
  headers: templateMap('Request headers: name → template. A value must be ASCII without line breaks (`*{field:json}` escapes non-ASCII as \\uXXXX, as Dropbox-API-Arg needs).'),
  query: templateMap('Query parameters appended to the URL: name → template (values are percent-encoded here; pass them raw).'),
  body: { type: 'template', description: 'Request body text (UTF-8; `text/plain` unless a Content-Type header says otherwise).' },
  bodyField: { type: 'string', description: 'Input field (string or bytes) whose value is the request body; bytes go as `application/octet-stream`, a null field sends no body.' },
  bodyFile: { type: 'template', description: 'Path of a file streamed as the request body (`application/octet-stream` unless a Content-Type header says otherwise).' },
  form: templateMap('A form body (`application/x-www-form-urlencoded`): name → template.'),
  multipart: {
    type: 'object',
    description: 'A `multipart/form-data` body, files streamed from disk.',
    properties: {
      fields: templateMap('Text parts: name → template.'),
      files: {
        type: 'map',
        description: 'File parts: name → path template, or `{ file, filename, contentType }`.',
        values: {
          type: 'any',
          description: 'A path template or { file, filename, contentType }.',
          schema: {
            anyOf: [
              { type: 'string' },
              {
                type: 'object',
                properties: { file: { type: 'string' }, filename: { type: 'string' }, contentType: { type: 'string' } },
                required: ['file'],
                additionalProperties: false,
              },
            ],
          },
        },
      },
    },
  },
  responseFile: {
    type: 'template',
    description: 'Stream a 2xx response body to this file (atomic: written to a temporary file, renamed when complete; no partial file on failure). A non-2xx body goes to `content` and the file is not touched.',
  },
  makeDirs: { type: 'boolean', default: false, description: "Create responseFile's missing directories." },
  maxResponseSize: {
    type: 'integer',
    minimum: 0,
    default: DEFAULT_MAX_RESPONSE_SIZE,
    description: 'Largest body kept in memory (`content`, `contentBytes`, a non-2xx body), in bytes after decompression; larger is a failure.',
  },
  timeout: { type: 'duration', default: '60s', description: 'Connect timeout, wait for the response headers, and longest silence while the body streams; 0 disables.' },
  tls: {
    type: 'object',
    description: 'TLS settings for https:// URLs.',
    properties: {
      caFile: { type: 'string', description: "PEM file of CA certificates trusted besides the system's (a self-signed server's certificate)." },
      insecure: { type: 'boolean', default: false, description: 'Accept any certificate. Testing only.' },
    },
  },
  redirects: {
    type: 'object',
    description: 'Redirect handling.',
    properties: {
      follow: { type: 'boolean', default: true, description: 'Follow 301/302/303/307/308 (else the 3xx response is the result).' },
      max: { type: 'integer', minimum: 0, default: 10, description: 'Most redirects per request.' },
      unsafeMethods: { type: 'boolean', default: false, description: 'Follow redirects of POST, PUT, … too.' },
    },
  },
  decompress: { type: 'boolean', default: true, description: 'Send Accept-Encoding and decode gzip, br and deflate bodies.' },
  concurrency: { type: 'integer', minimum: 1, default: 1, description: 'Requests in flight at once (over reused connections).' },
  ordered: { type: 'boolean', default: true, description: 'With concurrency > 1: output in input order (false: in completion order).' },
  rateLimit: {
    type: 'object',
    description: 'At most `requests` request starts per `interval`, retries, redirects and pages included.',
    properties: {
      requests: { type: 'integer', minimum: 1, required: true, description: 'Requests per interval.' },
      interval: { type: 'duration', required: true, description: 'The interval, e.g. `1s`.' },
    },
  },
  retry: {
    type: 'object',
    description: 'Retries of failed attempts: exponential backoff with full jitter, or what `Retry-After` says.',
    properties: {
      count: { type: 'integer', minimum: 0, default: 3, description: 'Retries after the first attempt.' },
      backoff: { type: 'duration', default: '500ms', description: 'First backoff ceiling; doubles with each retry.' },
      maxBackoff: { type: 'duration', default: '30s', description: 'Cap on one backoff.' },
      jitter: { type: 'boolean', default: true, description: 'Wait a random time up to the backoff (false: the backoff itself).' },
      statuses: {
        type: 'any',
        default: [...DEFAULT_RETRY_STATUSES],
        description: 'Statuses retried: numbers, classes (`5xx`) or ranges (`500-504`).',
        schema: { ...STATUS_LIST_SCHEMA, default: [...DEFAULT_RETRY_STATUSES] },
      },
      networkErrors: {
        type: 'list',
        items: { type: 'string', description: 'An error code.' },
        description: 'Network error codes retried (default: ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE, socket closed, timeouts, DNS failures, …).',
      },
      retryAfter: { type: 'boolean', default: true, description: 'Honour `Retry-After` (seconds or a date) on a retried status.' },
      maxRetryAfter: { type: 'duration', default: '2m', description: 'Cap on a `Retry-After` wait.' },
      nonIdempotent: { type: 'boolean', default: false, description: 'Retry POST, PATCH and other non-idempotent requests too; otherwise they are retried only when provably not processed (connection refused, DNS failure, connect timeout, a 429).' },
    },
  },
  failOnStatus: {
    type: 'any',
    description: 'Statuses that count as failures (error port, or the run fails): numbers, classes (`4xx`, `5xx`) or ranges (`400-499`). Default none: every response goes to port 0 with its statusCode.',
    schema: STATUS_LIST_SCHEMA,
  },
  auth: {
    type: 'object',
    description:
      'Authentication: `bearer` (token), `basic` (username, password) or `oauth2` (a token endpoint; refreshed before expiry and once after a 401). oauth2 settings that are empty count as not set; with only an `accessToken` (no grant, refreshToken or clientId) it is sent as a bearer token and never refreshed.',
    properties: {
      type: { type: 'string', enum: ['bearer', 'basic', 'oauth2'], required: true, description: 'The scheme.' },
      token: { type: 'template', secret: true, description: 'bearer: the token (a secure parameter, or a template such as `*{dict.token}`).' },
      username: { type: 'string', description: 'basic: the user name.' },
      password: { type: 'string', secret: true, description: 'basic: the password.' },
      tokenUrl: { type: 'string', description: 'oauth2: the token endpoint.' },
      grant: { type: 'string', enum: ['client_credentials', 'refresh_token'], description: 'oauth2: the grant (default refresh_token when refreshToken is set, else client_credentials).' },
      clientId: { type: 'string', description: 'oauth2: the client id (app key).' },
      clientSecret: { type: 'string', secret: true, description: 'oauth2: the client secret.' },
      clientAuthentication: { type: 'string', enum: ['basic', 'body'], default: 'basic', description: 'oauth2: send the client credentials as HTTP Basic or in the form body.' },
      refreshToken: { type: 'string', secret: true, description: 'oauth2: the refresh token (a rotated one replaces it for the run).' },
      accessToken: { type: 'string', secret: true, description: 'oauth2: an access token to start with (used until it expires or a 401).' },
      scope: { type: 'string', description: 'oauth2: scopes to ask for.' },
      extraParams: { type: 'map', values: { type: 'string', description: 'A value.' }, description: 'oauth2: more form fields of the token request.' },
    },
  },
  pagination: {
    type: 'object',
    description: 'Follow a paged API: one output record per page (see the description for each strategy).',
    properties: {
      strategy: { type: 'string', enum: ['cursor', 'next-url', 'link-header', 'offset', 'page'], required: true, description: 'How the next page is found.' },
      maxPages: { type: 'integer', minimum: 1, default: 1000, description: 'Most pages per input record.' },
      cursorField: { type: 'string', description: 'cursor: the cursor in the JSON body (`cursor`, `data.next`, `/meta/cursor`).' },
      hasMoreField: { type: 'string', description: 'cursor: the has-more flag (`has_more`); without it, a missing or empty cursor ends.' },
      next: {
        type: 'object',
        description: 'cursor: how the follow-up request is made (default: the same request with `?cursor=`).',
        properties: {
          url: { type: 'template', description: 'URL of the follow-up requests (Dropbox: `…/list_folder/continue`).' },
          method: { type: 'string', description: 'Their method (default: the first request\'s).' },
          headers: templateMap('Their headers (default: the first request\'s).'),
          cursorQueryParam: { type: 'string', description: 'Send the cursor as this query parameter (default `cursor` unless cursorBodyField is set).' },
          cursorBodyField: { type: 'string', description: 'Send a JSON body with the cursor at this field (Dropbox: `cursor`).' },
          bodyJson: { type: 'any', description: 'Other fields of that JSON body.', schema: { type: 'object' } },
        },
      },
      nextUrlField: { type: 'string', description: 'next-url: the field holding the next page\'s URL (relative resolves against the page).' },
      rel: { type: 'string', default: 'next', description: 'link-header: the Link relation to follow.' },
      limit: { type: 'integer', minimum: 1, description: 'offset: items per page.' },
      offsetParam: { type: 'string', default: 'offset', description: 'offset: the offset query parameter.' },
      limitParam: { type: 'string', default: 'limit', description: 'offset: the limit query parameter.' },
      start: { type: 'integer', description: 'offset/page: the first offset (default 0) or page number (default 1).' },
      itemsField: { type: 'string', description: 'offset/page: the array of items (default: the body itself); fewer than a page ends.' },
      totalField: { type: 'string', description: 'offset: the total item count, if the API gives it.' },
      pageParam: { type: 'string', default: 'page', description: 'page: the page number query parameter.' },
      pageSize: { type: 'integer', minimum: 1, description: 'page: items per full page.' },
      pageSizeParam: { type: 'string', description: 'page: the page-size query parameter, if sent.' },
      totalPagesField: { type: 'string', description: 'page: the page count, if the API gives it.' },
    },
  },
} as const;

type HttpConnectorConfig = ConfigOf<typeof config>;

/** The body settings, of which at most one may be set. */
const BODY_KEYS = ['body', 'bodyField', 'bodyFile', 'form', 'multipart'] as const;

export default defineComponent({
  type: 'HTTPConnector',
  category: 'others',
  summary: 'Sends one HTTP request per input record (or one without input) and emits one record per response or page.',
  description: [
    'Without an input edge it sends exactly one request; with one, one request per record, its templates (`*{field}`, `*{field:url}`, `*{field:json}`, `*{dict.NAME}`) filled from the record.',
    '',
    '- **Output (port 0)**: one record per response (per page when paginating): the input record\'s fields by name, then the response\'s — `statusCode`, `headers` (a string map), `content` (the body as text), `contentBytes` (bytes), `file` (the file written), `url` (after redirects), `durationMs` — those the output metadata has. Every status arrives here unless `failOnStatus` lists it: as in CloverDX, a 404 is a record with statusCode 404.',
    '- **Failures (port 1)**: a status in `failOnStatus`, a network error or timeout after the retries, an invalid URL after templating, a header value with a line break or non-ASCII text, a missing body file, a body over `maxResponseSize`. Each becomes a record with the input\'s fields by name plus `errorMessage`, `statusCode` (when a response arrived), `url` and `content` (the error body) where the error metadata has them; with port 1 unconnected the first failure fails the run, naming the record. An error body\'s `error_summary` (Dropbox), `error`/`error_description` (OAuth2), `message` or problem `title`/`detail` is quoted in the message.',
    '- **Request body**: one of `body` (a template), `bodyField` (a string or bytes field), `bodyFile` (streamed from disk), `form` (urlencoded), `multipart` (files streamed).',
    '- **Response body**: `responseFile` streams a 2xx body to disk atomically (a non-2xx body goes to `content`, the file untouched); otherwise it is kept in memory, bounded by `maxResponseSize`, as `content`, or as bytes when the output has `contentBytes`; with neither field it is read and dropped.',
    '- **Concurrency**: with `concurrency` N, up to N requests run at once over reused connections and the input is read at most 2·N records ahead of the output (backpressure reaches the input); `ordered` (the default) keeps input order. One client per run: connections, the `rateLimit`, OAuth2 tokens and retries are shared by all requests.',
    '- **Pagination**: `cursor` (a cursor and has-more flag in the JSON body; the follow-up may go to another URL with the cursor in a JSON body, as Dropbox list_folder/continue), `next-url` (a URL in the body), `link-header` (RFC 8288 `rel="next"`), `offset` (offset/limit), `page` (page number). The walk ends at the last page, at a non-2xx page (emitted, or a failure under `failOnStatus`), or — logged as a warning — after `maxPages`, at a repeated page body or a cursor that does not advance. With `concurrency` > 1 the pages of one input record are emitted together when its walk ends.',
    '- **Secrets**: auth tokens and passwords, and tokens obtained from an OAuth2 endpoint during the run, are masked in logs and messages.',
    '',
    'Differences from CloverDX: requests are described by `*{field}` templates and responses fill output fields by name, where CloverDX uses CTL input and output mappings; `retry`, `rateLimit`, OAuth2 and pagination are built in.',
  ].join('\n'),
  inputs: { ports: [{ name: 'in', description: 'Optional: one request per record, its templates filled from the record; without an edge, exactly one request.' }] },
  outputs: {
    ports: [
      { name: 'out', description: 'One record per response (per page when paginating): input fields by name, then the response fields.' },
      { name: 'error', description: 'One record per failed request: input fields by name plus errorMessage, statusCode, url, content. Unconnected: the first failure fails the run.' },
    ],
  },
  config,
  outputMetadata(config, port): MetadataInput | undefined {
    if (port === 0) {
      return {
        name: 'HTTPResponse',
        fields: {
          statusCode: 'integer',
          headers: { type: 'string', container: 'map' },
          content: 'string',
          ...(config.responseFile === undefined ? {} : { file: 'string' }),
          url: 'string',
          durationMs: 'long',
        },
      };
    }
    if (port === 1) return { name: 'HTTPError', fields: { statusCode: 'integer', errorMessage: 'string', url: 'string' } };
    return undefined;
  },
  examples: [
    {
      title: 'GET one resource per input record, four at a time, failures to the error port',
      yaml: [
        'fetch:',
        '  type: HTTPConnector',
        '  url: ${BASE_URL}/users/*{id:url}',
        '  headers: { Accept: application/json }',
        '  concurrency: 4',
        '  retry: { count: 3, statuses: [429, 5xx] }',
        '  failOnStatus: [4xx, 5xx]',
      ].join('\n'),
    },
    {
      title: 'Download a Dropbox file to disk',
      yaml: [
        'download:',
        '  type: HTTPConnector',
        '  method: POST',
        '  url: ${DROPBOX_CONTENT}/2/files/download',
        '  headers: { Dropbox-API-Arg: \'{"path": *{remotePath:json}}\' }',
        '  auth: { type: bearer, token: "${DROPBOX_TOKEN}" }',
        '  responseFile: ${LOCAL_DIR}/*{name}',
        '  makeDirs: true',
        '  failOnStatus: [4xx, 5xx]',
      ].join('\n'),
    },
    {
      title: 'List a Dropbox folder, following has_more',
      yaml: [
        'list:',
        '  type: HTTPConnector',
        '  method: POST',
        '  url: ${DROPBOX_API}/2/files/list_folder',
        '  headers: { Content-Type: application/json }',
        '  body: \'{"path": "", "recursive": true}\'',
        '  auth: { type: bearer, token: "${DROPBOX_TOKEN}" }',
        '  pagination:',
        '    strategy: cursor',
        '    cursorField: cursor',
        '    hasMoreField: has_more',
        '    next: { url: "${DROPBOX_API}/2/files/list_folder/continue", cursorBodyField: cursor }',
      ].join('\n'),
    },
  ],
  validate({ config, inputs, outputs }) {
    const problems: ConfigProblem[] = [];
    const problem = (path: readonly (string | number)[], message: string, code: ConfigProblem['code'] = 'TREFOIL_ERR_GRAPH_CONFIG'): void => {
      problems.push({ path, code, message });
    };
    const input = inputs[0];
    const compile: TemplateCompiler = (source, path) => {
      try {
        const template = compileTemplate(source, input);
        if (input === undefined && template.fields.length > 0) {
          problem(path, `template ${JSON.stringify(source)} refers to field ${template.fields[0]}, but HTTPConnector has no input edge (without one it sends a single request; only *{dict.NAME} placeholders apply)`, 'TREFOIL_ERR_GRAPH_TEMPLATE_FIELD');
        }
        return template;
      } catch (error) {
        problem(path, (error as Error).message, error instanceof TrefoilError ? error.code : 'TREFOIL_ERR_GRAPH_CONFIG');
        return compileTemplate('');
      }
    };

    const bodies = BODY_KEYS.filter((key) => config[key] !== undefined);
    if (bodies.length > 1) problem([bodies[1]!], `set at most one request body: ${bodies.join(' and ')} are both set`);
    if (config.bodyField !== undefined) {
      const field = input?.field(config.bodyField);
      if (input === undefined) problem(['bodyField'], 'bodyField needs an input edge');
      else if (field === undefined) problem(['bodyField'], `bodyField ${config.bodyField} is not a field of metadata ${input.name} (fields: ${input.fieldNames.join(', ')})`);
      else if ((field.type !== 'string' && field.type !== 'bytes') || field.container !== undefined) {
        problem(['bodyField'], `bodyField ${config.bodyField} must be a string or bytes field, not ${field.type}${field.container ? ` ${field.container}` : ''}`);
      }
    }
    if (config.multipart !== undefined && Object.keys(config.multipart.fields ?? {}).length + Object.keys(config.multipart.files ?? {}).length === 0) {
      problem(['multipart'], 'multipart needs at least one entry under fields or files');
    }
    const method = config.method.toUpperCase();
    if (method === 'HEAD' && bodies.length > 0) problem([bodies[0]!], 'a HEAD request cannot have a body');

    compileRequestTemplate(requestSettings(config), { compile, resolvePath: (path) => path });
    const url = compileTemplate(config.url);
    if (url.constant) {
      try {
        parseHttpUrl(config.url, method);
      } catch (error) {
        problem(['url'], (error as Error).message, 'TREFOIL_ERR_HTTP_INVALID_URL');
      }
    }
    if (config.responseFile !== undefined) compile(config.responseFile, ['responseFile']);
    if (config.pagination?.next?.url !== undefined) compile(config.pagination.next.url, ['pagination', 'next', 'url']);
    for (const [name, source] of Object.entries(config.pagination?.next?.headers ?? {})) compile(source, ['pagination', 'next', 'headers', name]);

    statusPatterns(config.failOnStatus).forEach((pattern, index) => {
      try {
        parseStatusPattern(pattern);
      } catch (error) {
        problem(Array.isArray(config.failOnStatus) ? ['failOnStatus', index] : ['failOnStatus'], (error as Error).message);
      }
    });
    statusPatterns(config.retry?.statuses).forEach((pattern, index) => {
      try {
        parseStatusPattern(pattern);
      } catch (error) {
        problem(Array.isArray(config.retry?.statuses) ? ['retry', 'statuses', index] : ['retry', 'statuses'], (error as Error).message);
      }
    });
    if (config.rateLimit !== undefined && !(config.rateLimit.interval > 0)) problem(['rateLimit', 'interval'], 'rateLimit.interval must be longer than 0');

    for (const message of authProblems(config)) problem(['auth'], message);
    if (config.pagination !== undefined) {
      if (config.responseFile !== undefined) problem(['pagination'], 'pagination reads each page\'s body (JSON) to find the next one, so it cannot be combined with responseFile');
      for (const [path, message] of paginationProblems(config.pagination)) problem(['pagination', ...path], message);
    }
    if (outputs[0] !== undefined) for (const message of checkResponseFieldTypes(outputs[0])) problem([], message);
    if (outputs[1] !== undefined) for (const message of checkErrorFieldTypes(outputs[1])) problem([], message);
    return problems;
  },
  async run(context) {
    const connector = new ConnectorRun(context);
    await connector.run();
  },
});

/** `failOnStatus` / `retry.statuses` as written: one pattern or a list. */
function statusPatterns(value: unknown): StatusPattern[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as StatusPattern[];
}

/** The request-describing settings of the config. A constant bearer token goes to the client instead. */
function requestSettings(config: HttpConnectorConfig): RequestSettings {
  const token = config.auth?.type === 'bearer' ? config.auth.token : undefined;
  return {
    url: config.url,
    method: config.method,
    headers: config.headers,
    query: config.query,
    body: config.body,
    bodyField: config.bodyField,
    bodyFile: config.bodyFile,
    form: config.form,
    multipart: config.multipart,
    bearerToken: token !== undefined && !compileTemplate(token).constant ? token : undefined,
  };
}

function authProblems(config: HttpConnectorConfig): string[] {
  const auth = config.auth;
  if (auth === undefined) return [];
  const missing = (keys: readonly string[]): string[] =>
    keys.filter((key) => (auth as Record<string, unknown>)[key] === undefined).map((key) => `auth type ${auth.type} needs ${key}`);
  switch (auth.type) {
    case 'bearer':
      return missing(['token']);
    case 'basic':
      return missing(['username', 'password']);
    case 'oauth2': {
      const problems = missing(['tokenUrl']);
      if (auth.grant === 'refresh_token' && nonEmpty(auth.refreshToken) === undefined) problems.push('auth grant refresh_token needs refreshToken');
      if (auth.tokenUrl !== undefined) {
        try {
          parseHttpUrl(auth.tokenUrl, 'POST');
        } catch (error) {
          problems.push(`auth.tokenUrl: ${(error as Error).message}`);
        }
      }
      return problems;
    }
  }
}

type PaginationSettings = NonNullable<HttpConnectorConfig['pagination']>;

function paginationProblems(pagination: PaginationSettings): [string[], string][] {
  const problems: [string[], string][] = [];
  const required: Record<PaginationSettings['strategy'], readonly (keyof PaginationSettings)[]> = {
    cursor: ['cursorField'],
    'next-url': ['nextUrlField'],
    'link-header': [],
    offset: ['limit'],
    page: [],
  };
  for (const key of required[pagination.strategy]) {
    if (pagination[key] === undefined) problems.push([[], `pagination strategy ${pagination.strategy} needs ${key}`]);
  }
  const paths = ['cursorField', 'hasMoreField', 'nextUrlField', 'itemsField', 'totalField', 'totalPagesField'] as const;
  for (const key of paths) {
    const path = pagination[key];
    if (path === undefined) continue;
    try {
      compileFieldPath(path);
    } catch (error) {
      problems.push([[key], (error as Error).message]);
    }
  }
  if (pagination.next?.cursorBodyField !== undefined) {
    try {
      compileFieldPath(pagination.next.cursorBodyField);
    } catch (error) {
      problems.push([['next', 'cursorBodyField'], (error as Error).message]);
    }
  }
  return problems;
}

/** The library's auth config for the settings, or undefined (none, or a per-record bearer token). */
function authConfig(config: HttpConnectorConfig, bearerIsTemplate: boolean): AuthConfig | undefined {
  const auth = config.auth;
  if (auth === undefined) return undefined;
  switch (auth.type) {
    case 'bearer':
      return bearerIsTemplate ? undefined : { kind: 'bearer', token: auth.token! };
    case 'basic':
      return { kind: 'basic', username: auth.username!, password: auth.password! };
    case 'oauth2': {
      // NOTE: an empty setting counts as not set, so one graph serves users with and without a
      // refresh token (parameters such as DROPBOX_REFRESH_TOKEN default to ""). With no way to
      // obtain a token — no grant, refresh token or client id — the access token is a plain
      // bearer token: a 401 is then the response, not a failed token request.
      const clientId = nonEmpty(auth.clientId);
      const clientSecret = nonEmpty(auth.clientSecret);
      const refreshToken = nonEmpty(auth.refreshToken);
      const accessToken = nonEmpty(auth.accessToken);
      const scope = nonEmpty(auth.scope);
      if (auth.grant === undefined && refreshToken === undefined && clientId === undefined && accessToken !== undefined) return { kind: 'bearer', token: accessToken };
      return {
        kind: 'oauth2',
        tokenUrl: auth.tokenUrl!,
        ...(auth.grant !== undefined ? { grant: auth.grant } : {}),
        ...(clientId !== undefined ? { clientId } : {}),
        ...(clientSecret !== undefined ? { clientSecret } : {}),
        ...(refreshToken !== undefined ? { refreshToken } : {}),
        ...(accessToken !== undefined ? { accessToken } : {}),
        ...(scope !== undefined ? { scope } : {}),
        ...(auth.extraParams !== undefined ? { extraParams: auth.extraParams } : {}),
        clientAuthentication: auth.clientAuthentication,
      };
    }
  }
}

/** A setting, or undefined when it is absent or empty (a parameter left at its "" default). */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** HttpClient options for the config; `signal` cancels everything the client does. */
function clientOptions(context: ComponentContext<HttpConnectorConfig>, bearerIsTemplate: boolean, signal: AbortSignal): HttpClientOptions {
  const { config } = context;
  const timeout = config.timeout;
  const retry = config.retry;
  return {
    timeouts: { connect: timeout, headers: timeout, body: timeout },
    ...(config.tls !== undefined
      ? { tls: { insecure: config.tls.insecure, ...(config.tls.caFile !== undefined ? { caFile: context.resolvePath(config.tls.caFile) } : {}) } }
      : {}),
    ...(config.redirects !== undefined ? { redirects: config.redirects } : {}),
    ...(retry !== undefined
      ? {
          retry: {
            count: retry.count,
            baseDelay: retry.backoff,
            maxDelay: retry.maxBackoff,
            jitter: retry.jitter,
            statuses: new StatusSet(statusPatterns(retry.statuses)).toList(),
            ...(retry.networkErrors !== undefined ? { networkErrors: retry.networkErrors } : {}),
            honourRetryAfter: retry.retryAfter,
            maxRetryAfter: retry.maxRetryAfter,
            retryNonIdempotent: retry.nonIdempotent,
          },
        }
      : {}),
    ...(config.rateLimit !== undefined ? { rateLimit: config.rateLimit } : {}),
    ...(config.auth !== undefined ? { auth: authConfig(config, bearerIsTemplate) } : {}),
    decompress: config.decompress,
    // NOTE: one connection per request in flight. Unbounded, undici's pool opens extra
    // connections while finished ones are still being released (2× concurrency seen), which
    // cost ~2 µs of client CPU per request in test/bench/http-bench.ts.
    connectionsPerOrigin: config.concurrency,
    onSecret: (secret) => context.addSecret(secret),
    onRetry: (event) => context.log.info(event, 'retrying request'),
    signal,
  };
}

/**
 * What one input record produced, handed back by a concurrent task: its one output record (the
 * common case, no allocation besides the record), or its pages and/or failure.
 */
type RecordOutcome = DataRecord | PagedOutcome | undefined;

/** Several output records of one input record (pages), or a failure. */
class PagedOutcome {
  constructor(
    readonly pages: readonly DataRecord[],
    readonly failure: DataRecord | undefined,
  ) {}
}

/** Receives the output records of one input record, in order; may ask the caller to wait. */
type PageSink = (record: DataRecord) => void | Promise<void>;

/** One run of the component: the compiled plan, the client, and the request loop. */
class ConnectorRun {
  readonly #context: ComponentContext<HttpConnectorConfig>;
  readonly #client: HttpClient;
  readonly #request: RequestTemplate;
  readonly #target: (record: DataRecord | null) => ResponseTarget;
  readonly #paginator: ((record: DataRecord | null) => Paginator) | undefined;
  readonly #failOn: StatusSet;
  readonly #records: ResponseRecordBuilder;
  readonly #output: OutputPort;
  /** Port 0's records, batched; undefined when port 0 is not connected (no records built). */
  readonly #batches: BatchedOutput | undefined;
  readonly #errorPort: OutputPort | undefined;
  /**
   * Cancels the client (requests in flight, waits) and the concurrent map: aborted by the
   * engine's signal, and by the first failure when no error port takes it.
   * NOTE: one signal for the client instead of one per request: a per-request listener on a
   * signal shared by N requests costs ~4 µs per request (test/bench/http-bench.ts).
   */
  readonly #cancel = new AbortController();

  constructor(context: ComponentContext<HttpConnectorConfig>) {
    const { config } = context;
    this.#context = context;
    const input = context.inputs[0]?.connected ? context.inputs[0].metadata : undefined;
    const compile: TemplateCompiler = (source) => context.compileTemplate(source, input);
    const settings = requestSettings(config);
    this.#request = compileRequestTemplate(settings, {
      compile,
      resolvePath: (path) => context.resolvePath(path),
      onSecret: (secret) => context.addSecret(secret),
    });
    this.#output = context.outputs[0]!;
    this.#batches = this.#output.connected ? new BatchedOutput(this.#output) : undefined;
    this.#errorPort = context.outputs[1]?.connected ? context.outputs[1] : undefined;
    this.#records = new ResponseRecordBuilder(this.#output.metadata, input);
    const wants = this.#output.connected ? this.#records.wants : new Set<string>();
    this.#target = responseTargetFor(config, wants, compile, (path) => context.resolvePath(path), context.dictionary);
    this.#paginator = config.pagination === undefined ? undefined : paginatorFor(config.pagination, compile, context.dictionary);
    this.#failOn = new StatusSet(statusPatterns(config.failOnStatus));
    // Last: the client may fail (an unreadable CA file) and owns connections to close.
    this.#client = new HttpClient(clientOptions(context, settings.bearerToken !== undefined, this.#cancel.signal));
  }

  async run(): Promise<void> {
    const context = this.#context;
    const input = context.inputs[0];
    const cancel = this.#cancel;
    const onAbort = (): void => cancel.abort(context.signal.reason);
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort, { once: true });
    let ok = false;
    try {
      if (input === undefined || !input.connected) await this.#sequential(null);
      else if (context.config.concurrency === 1) await this.#sequential(input);
      else await this.#concurrent(input);
      this.#batches?.flush();
      ok = true;
    } finally {
      if (!ok) this.#batches?.discard();
      context.signal.removeEventListener('abort', onAbort);
      // NOTE: after a failure or an abort, in-flight requests are cut at once instead of awaited.
      await (ok ? this.#client.close() : this.#client.destroy());
    }
  }

  /** One record at a time: pages are written as they arrive. */
  async #sequential(input: InputPort | null): Promise<void> {
    const batches = this.#batches;
    const sink: PageSink = (record) => {
      batches!.add(record);
      return batches!.mustWait ? batches!.ready() : undefined;
    };
    if (input === null) {
      const failure = await this.#exchange(null, 0, sink);
      if (failure !== undefined) await this.#writeFailure(failure);
      return;
    }
    let recordNo = 0;
    for await (const batch of input) {
      for (let i = 0; i < batch.length; i++) {
        const failure = await this.#exchange(batch[i]!, ++recordNo, sink);
        if (failure !== undefined) await this.#writeFailure(failure);
      }
    }
  }

  /** `concurrency` records at once through mapConcurrent; outcomes are written in input (or completion) order. */
  async #concurrent(input: InputPort): Promise<void> {
    const { config } = this.#context;
    const batches = this.#batches;
    const outcomes = mapConcurrent(
      new RecordPuller(input),
      async (record, index): Promise<RecordOutcome> => {
        let pages: DataRecord[] | undefined;
        let first: DataRecord | undefined;
        try {
          const failure = await this.#exchange(record, index + 1, (page) => {
            if (first === undefined) first = page;
            else (pages ??= [first]).push(page);
          });
          if (failure !== undefined) return new PagedOutcome(pages ?? (first === undefined ? [] : [first]), failure);
          return pages === undefined ? first : new PagedOutcome(pages, undefined);
        } catch (error) {
          // The first failure (or abort) stops the other requests at once.
          this.#cancel.abort(error);
          throw error;
        }
      },
      { concurrency: config.concurrency, ordered: config.ordered, signal: this.#cancel.signal },
    );
    for await (const outcome of outcomes) {
      if (outcome === undefined) continue;
      if (!(outcome instanceof PagedOutcome)) batches!.add(outcome);
      else {
        for (let i = 0; i < outcome.pages.length; i++) batches!.add(outcome.pages[i]!);
        if (outcome.failure !== undefined) await this.#writeFailure(outcome.failure);
      }
      if (batches?.mustWait) await batches.ready();
    }
  }

  async #writeFailure(record: DataRecord): Promise<void> {
    if (!this.#errorPort!.write(record)) await this.#errorPort!.ready();
  }

  /**
   * Makes the request(s) for one input record and hands each response's record to `sink`.
   * Returns the error-port record of a failure, or undefined; throws when the error port is not
   * connected (the first failure fails the run) and when aborted.
   */
  async #exchange(record: DataRecord | null, recordNo: number, sink: PageSink): Promise<DataRecord | undefined> {
    const context = this.#context;
    const signal = this.#cancel.signal;
    const request = this.#request(record, context.dictionary);
    let failedResponse: HttpResponse | undefined;
    try {
      if (this.#paginator === undefined) {
        const response = await this.#client.send(request, this.#target(record));
        if (this.#failOn.has(response.statusCode)) {
          failedResponse = response;
          throw statusFailure(request.method ?? 'GET', response);
        }
        const written = this.#emit(record, response, sink);
        if (written !== undefined) await written;
        return undefined;
      }
      await this.#walkPages(record, request, sink, (response) => (failedResponse = response));
      return undefined;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof HttpRequestError)) throw error;
      return this.#failure(record, recordNo, error, failedResponse);
    }
  }

  async #walkPages(
    record: DataRecord | null,
    request: HttpRequest,
    sink: PageSink,
    onFailedResponse: (response: HttpResponse) => void,
  ): Promise<void> {
    const pages = this.#paginator!(record).pages(this.#client, request, this.#target(record));
    for (;;) {
      const step = await pages.next();
      if (step.done) {
        const { stopReason, pages: count } = step.value;
        if (stopReason === 'max-pages' || stopReason === 'repeated-page' || stopReason === 'cursor-not-advanced') {
          this.#context.log.warn({ pages: count, stopReason, url: request.url }, `pagination stopped by its guard (${stopReason}) after ${count} pages`);
        }
        return;
      }
      const response = step.value.response;
      if (this.#failOn.has(response.statusCode)) {
        onFailedResponse(response);
        await pages.return(undefined as never);
        throw statusFailure(request.method ?? 'GET', response);
      }
      const written = this.#emit(record, response, sink);
      if (written !== undefined) await written;
    }
  }

  /** Hands the output record of one response to `sink` (when port 0 is connected). */
  #emit(record: DataRecord | null, response: HttpResponse, sink: PageSink): void | Promise<void> {
    this.#output.counters.bytes += response.bodySize;
    if (this.#batches !== undefined) return sink(this.#records.build(record, response));
  }

  /** The error-port record for a failure, or the failure thrown when there is no error port. */
  #failure(record: DataRecord | null, recordNo: number, error: HttpRequestError, response: HttpResponse | undefined): DataRecord {
    const port = this.#errorPort;
    if (port === undefined) {
      if (record === null) throw error;
      throw new TrefoilError(error.code, error.message, { ...error.location, recordNo }, { cause: error });
    }
    this.#context.log.warn({ recordNo: record === null ? undefined : recordNo, code: error.code }, error.message);
    return this.#context.errorRecord(port, record, {
      errorMessage: error.message,
      statusCode: error.statusCode ?? null,
      url: error.url,
      content: response?.content ?? null,
    });
  }
}

/**
 * An input port as a pull source for mapConcurrent: records of the current batch are handed out
 * synchronously, a promise is made only to read the next batch.
 */
class RecordPuller implements PullSource<DataRecord> {
  readonly #input: InputPort;
  #batch: DataRecord[] = [];
  #position = 0;

  constructor(input: InputPort) {
    this.#input = input;
  }

  next(): IteratorResult<DataRecord> | Promise<IteratorResult<DataRecord>> {
    if (this.#position < this.#batch.length) return { done: false, value: this.#batch[this.#position++]! };
    return this.#input.read().then((batch) => {
      if (batch === null) return { done: true, value: undefined };
      this.#batch = batch;
      this.#position = 1;
      return { done: false, value: batch[0]! };
    });
  }
}

/** Where response bodies go, decided once from the config and the output fields. */
function responseTargetFor(
  config: HttpConnectorConfig,
  wants: ReadonlySet<string>,
  compile: TemplateCompiler,
  resolvePath: (path: string) => string,
  dictionary: Record<string, unknown>,
): (record: DataRecord | null) => ResponseTarget {
  const maxResponseSize = config.maxResponseSize;
  if (config.responseFile !== undefined) {
    const file: Template = compile(config.responseFile, ['responseFile']);
    const makeDirs = config.makeDirs;
    return (record) => ({ kind: 'file', path: resolvePath(file.render(record, dictionary)), makeDirs, maxResponseSize });
  }
  let target: ResponseTarget;
  if (wants.has('contentBytes')) target = { kind: 'bytes', maxResponseSize, withText: wants.has('content') };
  else if (wants.has('content') || config.pagination !== undefined) target = { kind: 'content', maxResponseSize };
  else target = { kind: 'discard', maxResponseSize };
  return () => target;
}

/** The paginator: one for the run, or one per record when the follow-up URL or headers are templates. */
function paginatorFor(
  settings: PaginationSettings,
  compile: TemplateCompiler,
  dictionary: Record<string, unknown>,
): (record: DataRecord | null) => Paginator {
  const { next, ...rest } = settings;
  const base = rest as unknown as PaginationConfig;
  if (next === undefined) {
    const paginator = new Paginator(base);
    return () => paginator;
  }
  const url = next.url === undefined ? undefined : compile(next.url, ['pagination', 'next', 'url']);
  const headers = Object.entries(next.headers ?? {}).map(([name, source]) => [name, compile(source, ['pagination', 'next', 'headers', name])] as const);
  const build = (record: DataRecord | null): Paginator =>
    new Paginator({
      ...base,
      next: {
        ...(url !== undefined ? { url: url.render(record, dictionary) } : {}),
        ...(next.method !== undefined ? { method: next.method } : {}),
        ...(next.headers !== undefined ? { headers: Object.fromEntries(headers.map(([name, template]) => [name, template.render(record, dictionary)])) } : {}),
        ...(next.cursorQueryParam !== undefined ? { cursorQueryParam: next.cursorQueryParam } : {}),
        ...(next.cursorBodyField !== undefined ? { cursorBodyField: next.cursorBodyField } : {}),
        ...(next.bodyJson !== undefined ? { bodyJson: next.bodyJson as Record<string, unknown> } : {}),
      },
    } as PaginationConfig);
  if ((url === undefined || url.constant) && headers.every(([, template]) => template.constant)) {
    const paginator = build(null);
    return () => paginator;
  }
  return build;
}
