/**
 * Takes one HTTP request through the checks the real API makes before a route runs: injected
 * faults, route and host, method, Content-Type, Authorization, the argument (Dropbox-API-Arg
 * header / `arg` query / RPC JSON body) and its Stone type. Each failure answers as the real
 * server does (plain-text 400, JSON 401) after reading the request body to its end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DropboxFault, FaultQueue } from './fault-queue.ts';
import { drainBody, receiveSmallBody } from './request-body.ts';
import { maskedHeaders, type DropboxRequestRecord } from './request-log.ts';
import { ClientGoneError, type FakeInternals, type RouteDefinition, type RouteStyle } from './route-call.ts';
import { findRoute } from './route-table.ts';
import { StoneArgError } from './stone-types.ts';
import { sendAuthError, sendBadInput, sendRateLimited, sendRouteError, sendText } from './wire-responses.ts';

/** What the dispatcher needs from its fake. */
export interface DispatchContext {
  readonly fake: FakeInternals;
  readonly faults: FaultQueue;
  readonly log: DropboxRequestRecord[];
  readonly serverErrors: Error[];
}

const RPC_BODY_LIMIT = 1024 * 1024;

const ACCEPTED_CONTENT_TYPES: Readonly<Record<Exclude<RouteStyle, 'oauth'>, readonly string[]>> = {
  rpc: ['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack'],
  upload: ['application/octet-stream', 'text/plain; charset=dropbox-cors-hack'],
  download: ['text/plain', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/octet-stream; charset=utf-8'],
};

const HOST_NAMES = { api: 'api.dropboxapi.com', content: 'content.dropboxapi.com' } as const;

/** A check failed; the answer is already decided. */
class Rejection {
  constructor(readonly send: (res: ServerResponse) => void) {}
}

/** Serves one request on `host`; never throws. */
export async function dispatchRequest(host: 'api' | 'content', req: IncomingMessage, res: ServerResponse, context: DispatchContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const routeName = url.pathname.startsWith('/2/') ? url.pathname.slice(3) : url.pathname.slice(1);
  const record: DropboxRequestRecord = {
    index: context.log.length,
    receivedAt: Date.now(),
    host,
    method: req.method ?? 'GET',
    path: url.pathname,
    route: routeName,
    headers: maskedHeaders(req.headers),
    arg: undefined,
    bodyBytes: 0,
    status: null,
    fault: null,
  };
  context.log.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });
  try {
    const fault = context.faults.take(routeName);
    if (fault !== undefined) {
      record.fault = fault.kind;
      if (await applyFault(fault, routeName, req, res, record)) return;
    }
    const route = findRoute(routeName);
    const servedPath = route === undefined ? false : route.style === 'oauth' ? url.pathname === '/oauth2/token' : url.pathname.startsWith('/2/');
    if (route === undefined || !servedPath) {
      record.bodyBytes = await drainBody(req);
      if (url.pathname.startsWith('/2/')) return sendBadInput(res, routeName, `Unknown API function: ${url.pathname}`);
      return sendText(res, 404, 'Not Found');
    }
    const checked = await checkRequest(host, route, req, url, record, context.fake);
    if (checked instanceof Rejection) {
      if (!req.readableEnded) record.bodyBytes = await drainBody(req);
      return checked.send(res);
    }
    if (fault?.kind === 'lost-response') loseResponse(req, res);
    await route.handle({
      req,
      res,
      route: route.name,
      arg: checked.arg,
      accessToken: checked.accessToken,
      fake: context.fake,
      record,
      resetAfterBytes: fault?.kind === 'connection-reset' ? (fault.afterBytes ?? 0) : null,
    });
  } catch (error) {
    if (error instanceof ClientGoneError || !req.complete || res.destroyed) return;
    const failure = error instanceof Error ? error : new Error(String(error));
    context.serverErrors.push(failure);
    if (res.headersSent) res.destroy();
    else sendText(res, 500, `Dropbox fake internal error: ${failure.message}`);
  }
}

/** Answers with the fault; false when the request should still be served (a cut download). */
async function applyFault(fault: DropboxFault, routeName: string, req: IncomingMessage, res: ServerResponse, record: DropboxRequestRecord): Promise<boolean> {
  switch (fault.kind) {
    case 'connection-reset':
      if (routeName === 'files/download' && (fault.afterBytes ?? 0) > 0) return false;
      req.socket.resetAndDestroy();
      return true;
    case 'rate-limit':
      record.bodyBytes = await drainBody(req);
      sendRateLimited(res, fault.retryAfter ?? 1, fault.reason ?? 'too_many_requests', fault.plainText ?? false);
      return true;
    case 'server-error':
      record.bodyBytes = await drainBody(req);
      sendText(res, fault.status ?? 500, fault.body ?? 'Internal Server Error');
      return true;
    case 'route-error':
      record.bodyBytes = await drainBody(req);
      sendRouteError(res, fault.error);
      return true;
    case 'lost-response':
      return false;
  }
}

/**
 * The route runs as usual, but whatever it answers is dropped and the connection reset once it
 * has finished (the status is logged as null).
 */
function loseResponse(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead = (() => res) as unknown as ServerResponse['writeHead'];
  res.write = ((_chunk: unknown, ...rest: unknown[]) => {
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as ServerResponse['write'];
  res.end = (() => {
    req.socket.resetAndDestroy();
    return res;
  }) as unknown as ServerResponse['end'];
}

/** The decoded argument and token of a request that passed every check, or the rejection. */
async function checkRequest(
  host: 'api' | 'content',
  route: RouteDefinition,
  req: IncomingMessage,
  url: URL,
  record: DropboxRequestRecord,
  fake: FakeInternals,
): Promise<{ arg: unknown; accessToken: string | null } | Rejection> {
  const badInput = (message: string) => new Rejection((res) => sendBadInput(res, route.name, message));
  if (route.host !== host) {
    return badInput(`this API function is served by ${HOST_NAMES[route.host]}, not ${HOST_NAMES[host]} (check DROPBOX_API / DROPBOX_CONTENT)`);
  }
  const method = req.method ?? 'GET';
  if (method !== 'POST' && !(route.style === 'download' && method === 'GET')) {
    return badInput(`HTTP method ${method} is not allowed; use POST`);
  }
  if (route.style === 'oauth') return { arg: null, accessToken: null };

  const contentTypeProblem = checkContentType(route, req);
  if (contentTypeProblem !== null) return badInput(contentTypeProblem);

  let accessToken: string | null = null;
  if (route.userAuth) {
    const authorization = req.headers.authorization ?? url.searchParams.get('authorization') ?? undefined;
    if (authorization === undefined) return badInput('Must provide HTTP header "Authorization" or URL parameter "authorization".');
    const match = /^Bearer ([^\s]+)$/.exec(authorization);
    if (match === null) {
      return badInput(`Invalid authorization value in HTTP header "Authorization": "${authorization.split(' ')[0]}".  Expecting "Bearer <oauth2-access-token>".`);
    }
    accessToken = match[1]!;
    const status = fake.tokens.check(accessToken);
    if (status !== 'valid') {
      const tag = status === 'expired' ? 'expired_access_token' : 'invalid_access_token';
      return new Rejection((res) => sendAuthError(res, tag));
    }
  }

  const raw = route.style === 'rpc' ? await readRpcArg(route, req, record) : readHeaderArg(req, url);
  if (raw instanceof ArgProblem) return badInput(raw.message);
  if (route.style === 'download') {
    record.bodyBytes = await drainBody(req);
    if (record.bodyBytes > 0) return badInput("The request body is supposed to be empty, but it isn't.");
  }
  record.arg = raw.value;
  if (route.decode === null) {
    return raw.value === null || raw.value === undefined ? { arg: null, accessToken } : badInput(`${raw.location}: expected null, got ${typeof raw.value}`);
  }
  try {
    return { arg: route.decode(raw.value), accessToken };
  } catch (error) {
    if (error instanceof StoneArgError) return badInput(`${raw.location}: ${error.message}`);
    throw error;
  }
}

/** An argument that could not be read. */
class ArgProblem {
  constructor(readonly message: string) {}
}

/** A parsed JSON argument and where it came from (for error messages). */
interface RawArg {
  readonly value: unknown;
  readonly location: string;
}

function checkContentType(route: RouteDefinition, req: IncomingMessage): string | null {
  const raw = req.headers['content-type'];
  const normalized = raw?.trim().toLowerCase().replace(/\s*;\s*/g, '; ');
  if (normalized === undefined || normalized === '') {
    // Download routes take no body; Void RPC routes may send none.
    if (route.style === 'download' || (route.style === 'rpc' && route.decode === null)) return null;
  } else if (ACCEPTED_CONTENT_TYPES[route.style as Exclude<RouteStyle, 'oauth'>].includes(normalized)) {
    return null;
  }
  const expected = ACCEPTED_CONTENT_TYPES[route.style as Exclude<RouteStyle, 'oauth'>].map((type) => `"${type}"`).join(', ');
  return `Bad HTTP "Content-Type" header: "${raw ?? ''}".  Expecting one of ${expected}.`;
}

async function readRpcArg(route: RouteDefinition, req: IncomingMessage, record: DropboxRequestRecord): Promise<RawArg | ArgProblem> {
  const body = await receiveSmallBody(req, RPC_BODY_LIMIT);
  if (body === null) return new ArgProblem('request body: too large');
  record.bodyBytes = body.length;
  const location = 'request body';
  if (body.length === 0 && route.decode === null) return { value: null, location };
  try {
    return { value: JSON.parse(body.toString('utf8')), location };
  } catch {
    return new ArgProblem(`${location}: could not decode input as JSON`);
  }
}

const HEADER_SAFE = /^[\x20-\x7e]*$/;

function readHeaderArg(req: IncomingMessage, url: URL): RawArg | ArgProblem {
  const header = req.headers['dropbox-api-arg'];
  const query = url.searchParams.get('arg');
  if (header === undefined && query === null) return new ArgProblem('Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
  const location = header !== undefined ? 'HTTP header "Dropbox-API-Arg"' : 'URL parameter "arg"';
  const text = (header as string | undefined) ?? query!;
  if (header !== undefined && !HEADER_SAFE.test(text)) {
    return new ArgProblem(`${location}: could not decode input as JSON (the header must be ASCII: write 0x7F and non-ASCII characters as \\uXXXX escapes)`);
  }
  try {
    return { value: JSON.parse(text), location };
  } catch {
    return new ArgProblem(`${location}: could not decode input as JSON`);
  }
}
