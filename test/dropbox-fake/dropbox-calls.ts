/** Raw HTTP calls against the Dropbox fake, the way a client on the wire makes them (undici). */
import { request } from 'undici';
import type { DropboxFake } from '../support/dropbox-fake/index.ts';

/** A response read to its end. */
export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
  /** The body parsed as JSON (throws if it is not JSON). */
  json(): any;
}

/** Request options shared by the helpers. */
export interface CallOptions {
  /** Bearer token; null sends no Authorization header. @default fake.accessToken */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  readonly method?: 'GET' | 'POST';
}

async function send(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<CallResult> {
  const response = await request(url, { method: method as 'POST', headers, body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: response.statusCode, headers: response.headers, body: bytes, text, json: () => JSON.parse(text) };
}

/** JSON for a header, as a correct client writes it: 0x7F and non-ASCII as \\uXXXX escapes. */
export function headerArg(arg: unknown): string {
  return JSON.stringify(arg).replace(/[\u007f-\uffff]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
}

function authHeaders(fake: DropboxFake, options: CallOptions): Record<string, string> {
  const token = options.token === undefined ? fake.accessToken : options.token;
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

/** An RPC call: JSON body to `${apiUrl}/2/${route}`. A string `arg` is sent as-is. */
export function rpc(fake: DropboxFake, route: string, arg: unknown, options: CallOptions = {}): Promise<CallResult> {
  const body = typeof arg === 'string' ? arg : JSON.stringify(arg);
  return send(`${fake.apiUrl}/2/${route}`, options.method ?? 'POST', {
    'Content-Type': 'application/json',
    ...authHeaders(fake, options),
    ...options.headers,
  }, body);
}

/** An upload-style call: arg in Dropbox-API-Arg, bytes in the body. */
export function upload(fake: DropboxFake, route: string, arg: unknown, data: string | Buffer, options: CallOptions = {}): Promise<CallResult> {
  return send(`${fake.contentUrl}/2/${route}`, 'POST', {
    'Content-Type': 'application/octet-stream',
    'Dropbox-API-Arg': headerArg(arg),
    ...authHeaders(fake, options),
    ...options.headers,
  }, typeof data === 'string' ? Buffer.from(data) : data);
}

/** files/download with the arg in Dropbox-API-Arg. */
export function download(fake: DropboxFake, arg: unknown, options: CallOptions = {}): Promise<CallResult> {
  return send(`${fake.contentUrl}/2/files/download`, options.method ?? 'POST', {
    'Dropbox-API-Arg': headerArg(arg),
    ...authHeaders(fake, options),
    ...options.headers,
  });
}

/** POST /oauth2/token with form fields (and optional headers, e.g. Basic auth). */
export function oauthToken(fake: DropboxFake, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<CallResult> {
  return send(`${fake.apiUrl}/oauth2/token`, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(fields).toString());
}
