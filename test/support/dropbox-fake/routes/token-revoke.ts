/** auth/token/revoke (api host, rpc, Void → Void): disables the calling token and its refresh token. */
import type { RouteCall } from '../route-call.ts';
import { sendResult } from '../wire-responses.ts';

export async function handleTokenRevoke(call: RouteCall<null>): Promise<void> {
  if (call.accessToken !== null) call.fake.tokens.revoke(call.accessToken);
  sendResult(call.res, null);
}
