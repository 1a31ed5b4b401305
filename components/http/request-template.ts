/**
 * HTTPConnector's request settings compiled once into a function from an input record to an
 * HttpRequest (SPEC §6: templates are compiled once, not per record). Every template-valued
 * setting (`url`, `headers`, `query`, `body`, `bodyFile`, `form`, `multipart`, a bearer token)
 * goes through the `compile` callback the caller provides, with the config path of the setting —
 * `validate` uses it to report a bad template at its YAML position, `run` to compile for real.
 *
 * Parts without placeholders are evaluated once: a map of constant headers is one shared object,
 * and a request without any placeholder is built a single time.
 */
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { Template } from '../../engine/runtime/template.ts';
import type { HttpRequest, MultipartPart, RequestBody } from './http-request.ts';

/** A multipart file part as configured: a path template, or the path with its announced name and type. */
export type MultipartFileSetting = string | { readonly file: string; readonly filename?: string; readonly contentType?: string };

/** The request-describing subset of HTTPConnector's config. */
export interface RequestSettings {
  readonly url: string;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly bodyField?: string;
  readonly bodyFile?: string;
  readonly form?: Readonly<Record<string, string>>;
  readonly multipart?: {
    readonly fields?: Readonly<Record<string, string>>;
    readonly files?: Readonly<Record<string, unknown>>;
  };
  /** A bearer token template that is not constant: sent as a per-record Authorization header. */
  readonly bearerToken?: string;
}

/** Compiles one template found at `path` in the config. */
export type TemplateCompiler = (source: string, path: readonly (string | number)[]) => Template;

/** What `compileRequestTemplate` needs besides the settings. */
export interface RequestTemplateOptions {
  readonly compile: TemplateCompiler;
  /** Resolves a file path (bodyFile, multipart files) against the project directory. */
  readonly resolvePath: (path: string) => string;
  /** Hears each rendered bearer token (to register it as a secret). */
  readonly onSecret?: (secret: string) => void;
}

/** Builds the request for one input record (null when the component has no input). */
export type RequestTemplate = (record: DataRecord | null, dictionary: Record<string, unknown>) => HttpRequest;

type Renderer<T> = (record: DataRecord | null, dictionary: Record<string, unknown>) => T;

/** A map of templates → a renderer of the map; a constant map renders to one shared object. */
function compileMap(
  map: Readonly<Record<string, string>>,
  path: readonly (string | number)[],
  compile: TemplateCompiler,
): Renderer<Record<string, string>> {
  const entries = Object.keys(map).map((name) => [name, compile(map[name]!, [...path, name])] as const);
  if (entries.every(([, template]) => template.constant)) {
    const fixed = Object.freeze(Object.fromEntries(entries.map(([name, template]) => [name, template.source])));
    return () => fixed;
  }
  return (record, dictionary) => {
    const out: Record<string, string> = {};
    for (let i = 0; i < entries.length; i++) out[entries[i]![0]] = entries[i]![1].render(record, dictionary);
    return out;
  };
}

function compileMultipart(settings: NonNullable<RequestSettings['multipart']>, options: RequestTemplateOptions): Renderer<RequestBody> {
  const { compile, resolvePath } = options;
  type PartRenderer = Renderer<MultipartPart>;
  const parts: PartRenderer[] = [];
  for (const name of Object.keys(settings.fields ?? {})) {
    const value = compile(settings.fields![name]!, ['multipart', 'fields', name]);
    parts.push((record, dictionary) => ({ name, value: value.render(record, dictionary) }));
  }
  for (const name of Object.keys(settings.files ?? {})) {
    const setting = settings.files![name] as MultipartFileSetting;
    const path = ['multipart', 'files', name];
    const file = compile(typeof setting === 'string' ? setting : setting.file, typeof setting === 'string' ? path : [...path, 'file']);
    const filename = typeof setting === 'string' || setting.filename === undefined ? undefined : compile(setting.filename, [...path, 'filename']);
    const contentType = typeof setting === 'string' ? undefined : setting.contentType;
    parts.push((record, dictionary) => ({
      name,
      file: resolvePath(file.render(record, dictionary)),
      ...(filename === undefined ? {} : { filename: filename.render(record, dictionary) }),
      ...(contentType === undefined ? {} : { contentType }),
    }));
  }
  return (record, dictionary) => ({ kind: 'multipart', parts: parts.map((part) => part(record, dictionary)) });
}

/** The body renderer for the one body setting present, or undefined for none. */
function compileBody(settings: RequestSettings, options: RequestTemplateOptions): Renderer<RequestBody | undefined> | undefined {
  const { compile, resolvePath } = options;
  if (settings.body !== undefined) {
    const body = compile(settings.body, ['body']);
    return (record, dictionary) => body.render(record, dictionary);
  }
  if (settings.bodyField !== undefined) {
    const field = settings.bodyField;
    // NOTE: a null field sends no body; strings go as UTF-8 text, bytes as they are.
    return (record) => {
      const value = record?.[field];
      return value === null || value === undefined ? undefined : (value as string | Uint8Array);
    };
  }
  if (settings.bodyFile !== undefined) {
    const file = compile(settings.bodyFile, ['bodyFile']);
    return (record, dictionary) => ({ kind: 'file', path: resolvePath(file.render(record, dictionary)) });
  }
  if (settings.form !== undefined) {
    const fields = compileMap(settings.form, ['form'], compile);
    return (record, dictionary) => ({ kind: 'form', fields: fields(record, dictionary) });
  }
  if (settings.multipart !== undefined) return compileMultipart(settings.multipart, options);
  return undefined;
}

/** Compiles the request settings; `compile` reports or throws for bad templates. */
export function compileRequestTemplate(settings: RequestSettings, options: RequestTemplateOptions): RequestTemplate {
  // Whether every template compiled is constant: then no part of the request depends on the record.
  let constant = settings.bodyField === undefined;
  const compile: TemplateCompiler = (source, path) => {
    const template = options.compile(source, path);
    constant &&= template.constant;
    return template;
  };
  const tracked: RequestTemplateOptions = { ...options, compile };
  const method = settings.method.toUpperCase();
  const url = compile(settings.url, ['url']);
  const headers = settings.headers === undefined ? undefined : compileMap(settings.headers, ['headers'], compile);
  const query = settings.query === undefined ? undefined : compileMap(settings.query, ['query'], compile);
  const body = compileBody(settings, tracked);
  const token = settings.bearerToken === undefined ? undefined : compile(settings.bearerToken, ['auth', 'token']);
  const onSecret = options.onSecret;

  const render: RequestTemplate = (record, dictionary) => {
    let requestHeaders = headers?.(record, dictionary);
    if (token !== undefined) {
      const value = token.render(record, dictionary);
      onSecret?.(value);
      requestHeaders = { ...requestHeaders, authorization: `Bearer ${value}` };
    }
    const request: { -readonly [K in keyof HttpRequest]: HttpRequest[K] } = { method, url: url.render(record, dictionary) };
    if (requestHeaders !== undefined) request.headers = requestHeaders;
    if (query !== undefined) request.query = query(record, dictionary);
    if (body !== undefined) {
      const value = body(record, dictionary);
      if (value !== undefined) request.body = value;
    }
    return request;
  };
  if (!constant) return render;
  // Nothing depends on the record: one request object serves every record (it is never mutated).
  let fixed: HttpRequest | undefined;
  return (record, dictionary) => (fixed ??= render(record, dictionary));
}
