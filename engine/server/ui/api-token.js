/**
 * The API token for starting and aborting runs: asked for once, kept in this tab's
 * sessionStorage (gone when the tab closes, never sent anywhere but this server's API).
 */
import { element } from './create-element.js';

const STORAGE_KEY = 'trefoil.apiToken';

/** The stored token, or null. */
export function storedToken() {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the token is asked for each time
  }
}

export function storeToken(token) {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // storage disabled
  }
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled
  }
}

/** How a server gets its token, for the people asked to type it. */
function tokenExplanation() {
  return element(
    'p',
    { class: 'hint', id: 'api-token-hint' },
    'Starting or aborting a run needs the server’s API token. It is configured in the server config as ',
    element('code', {}, 'server: { token: { env: TREFOIL_SERVER_TOKEN } }'),
    ' (the token is that environment variable’s value when the server starts) or as a secure parameter, ',
    element('code', {}, 'token: { param: API_TOKEN, paramsFile: server.params.yaml }'),
    ' stored with ',
    element('code', {}, 'trefoil params set server.params.yaml API_TOKEN --secure'),
    '. This tab keeps the token until you close it.',
  );
}

/**
 * A password field for the token with its explanation, or — when a token is stored — a line
 * saying so with a "Forget token" button. `onForget` runs after forgetting.
 */
export function tokenFieldset(onForget) {
  if (storedToken() !== null) {
    return element(
      'div',
      { class: 'token-state' },
      element('p', {}, 'API token: kept for this tab. '),
      element('button', { type: 'button', class: 'button button--quiet', onclick: () => (forgetToken(), onForget()) }, 'Forget token'),
    );
  }
  return element(
    'fieldset',
    { class: 'token-fieldset' },
    element('legend', {}, 'API token'),
    element('label', { for: 'api-token' }, 'Token ', element('span', { class: 'required-tag' }, '(required)')),
    element('input', { id: 'api-token', name: 'apiToken', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'api-token-hint', spellcheck: 'false' }),
    tokenExplanation(),
  );
}
