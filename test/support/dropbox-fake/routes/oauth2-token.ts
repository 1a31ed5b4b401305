/**
 * POST /oauth2/token (api host, form-encoded; not in the Stone spec): the authorization_code
 * and refresh_token grants with client authentication by HTTP Basic or form fields (or PKCE),
 * answering RFC 6749 JSON; every failure is a 400 with `error` and `error_description`.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { maskedForm } from '../request-log.ts';
import { receiveSmallBody } from '../request-body.ts';
import type { FakeInternals, RouteCall } from '../route-call.ts';
import { sendJson } from '../wire-responses.ts';

const FORM_LIMIT = 64 * 1024;

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

function sendOAuthError(res: ServerResponse, error: OAuthErrorCode, description: string): void {
  sendJson(res, 400, { error, error_description: description });
}

/** Form fields from the body, falling back to the query string (both work on the real server). */
async function readForm(call: RouteCall<null>): Promise<URLSearchParams | null> {
  const body = await receiveSmallBody(call.req, FORM_LIMIT);
  if (body === null) return null;
  call.record.bodyBytes = body.length;
  const fields = new URL(call.req.url ?? '/', 'http://localhost').searchParams;
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) fields.set(name, value);
  return fields;
}

/** The client id the request authenticated as, or an error description. */
function authenticateClient(fake: FakeInternals, call: RouteCall<null>, form: URLSearchParams): { clientId: string; secretGiven: boolean } | { error: OAuthErrorCode; description: string } {
  const header = call.req.headers.authorization;
  let clientId: string | null = form.get('client_id');
  let clientSecret: string | null = form.get('client_secret');
  if (header !== undefined) {
    const match = /^Basic\s+(\S+)$/i.exec(header);
    if (match === null) return { error: 'invalid_client', description: 'Invalid Authorization header; expecting HTTP Basic with the app key and secret' };
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = colon < 0 ? decoded : decoded.slice(0, colon);
    clientSecret = colon < 0 ? null : decoded.slice(colon + 1);
  }
  if (clientId === null) return { error: 'invalid_request', description: 'No auth function available for given request' };
  if (clientId !== fake.settings.appKey) return { error: 'invalid_client', description: 'Invalid client_id or client_secret' };
  if (clientSecret !== null && clientSecret !== fake.settings.appSecret) return { error: 'invalid_client', description: 'Invalid client_id or client_secret' };
  return { clientId, secretGiven: clientSecret !== null };
}

export async function handleOAuthToken(call: RouteCall<null>): Promise<void> {
  const { fake, res } = call;
  const form = await readForm(call);
  if (form === null) return sendOAuthError(res, 'invalid_request', 'request body too large');
  call.record.arg = maskedForm(form);
  const client = authenticateClient(fake, call, form);
  if ('error' in client) return sendOAuthError(res, client.error, client.description);
  const grantType = form.get('grant_type');
  if (grantType === null) return sendOAuthError(res, 'invalid_request', 'No grant_type provided');
  if (grantType === 'authorization_code') return exchangeCode(fake, res, form, client.secretGiven);
  if (grantType === 'refresh_token') return refresh(fake, res, form, client.secretGiven);
  sendOAuthError(res, 'unsupported_grant_type', `grant_type "${grantType}" is not supported`);
}

function exchangeCode(fake: FakeInternals, res: ServerResponse, form: URLSearchParams, secretGiven: boolean): void {
  const code = form.get('code');
  if (code === null || code === '') return sendOAuthError(res, 'invalid_request', 'No code provided');
  const pending = fake.tokens.peekCode(code);
  if (pending === undefined) return sendOAuthError(res, 'invalid_grant', "code doesn't exist or has expired");
  const verifier = form.get('code_verifier');
  if (pending.codeChallenge !== undefined) {
    if (verifier === null) return sendOAuthError(res, 'invalid_grant', 'code_verifier is required for this code');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== pending.codeChallenge) return sendOAuthError(res, 'invalid_grant', 'invalid code verifier');
  } else if (!secretGiven) {
    return sendOAuthError(res, 'invalid_client', 'Invalid client_id or client_secret');
  }
  if ((form.get('redirect_uri') ?? undefined) !== pending.redirectUri) return sendOAuthError(res, 'invalid_grant', 'redirect_uri mismatch');
  fake.tokens.redeemCode(code);
  const refreshToken = pending.offline === false ? null : fake.tokens.issueRefreshToken(pending.codeChallenge !== undefined);
  const accessToken = fake.tokens.issueAccessToken(refreshToken);
  sendJson(res, 200, {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: fake.tokens.ttlSeconds,
    ...(refreshToken === null ? {} : { refresh_token: refreshToken }),
    scope: fake.settings.scope,
    uid: fake.settings.uid,
    account_id: fake.settings.accountId,
  });
}

function refresh(fake: FakeInternals, res: ServerResponse, form: URLSearchParams, secretGiven: boolean): void {
  const refreshToken = form.get('refresh_token');
  if (refreshToken === null || refreshToken === '') return sendOAuthError(res, 'invalid_request', 'No refresh_token provided');
  if (!secretGiven && !fake.tokens.isPkceRefreshToken(refreshToken)) return sendOAuthError(res, 'invalid_client', 'Invalid client_id or client_secret');
  if (!fake.tokens.isRefreshTokenValid(refreshToken)) return sendOAuthError(res, 'invalid_grant', 'refresh token is invalid or revoked');
  const scope = form.get('scope');
  sendJson(res, 200, {
    access_token: fake.tokens.issueAccessToken(refreshToken),
    token_type: 'bearer',
    expires_in: fake.tokens.ttlSeconds,
    ...(scope === null ? {} : { scope }),
  });
}
