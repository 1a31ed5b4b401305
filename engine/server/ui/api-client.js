/**
 * The UI's calls to the server's HTTP API (engine/server/server-api.ts). Reads need nothing;
 * mutating calls send the bearer token. A refused call rejects with an {@link ApiError} carrying
 * the API's error code and message, so pages can say what went wrong.
 */

/** A refused or failed API call. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the server could not be reached)
   * @param {string} code `TREFOIL_ERR_…` from the API, or `NETWORK`
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Path of a graph inside API URLs: one segment, slashes encoded. */
export function graphSegment(path) {
  return encodeURIComponent(path);
}

/** GET a JSON resource. */
export async function getJson(path, signal) {
  const response = await send(path, { signal, headers: { accept: 'application/json' } });
  return response.json();
}

/** GET a text resource (pictures). */
export async function getText(path, signal) {
  const response = await send(path, { signal });
  return response.text();
}

/** POST JSON with the bearer token; resolves with the parsed reply. */
export async function postJson(path, body, token, signal) {
  const response = await send(path, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', `the server cannot be reached (${error?.message ?? error})`);
  }
  if (response.ok) return response;
  let code = `HTTP_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body?.error?.message) ({ code, message } = body.error);
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(response.status, code, message);
}
