/** Dropping a response body that will not be read. */
import type { Readable } from 'node:stream';

/**
 * Destroys `body` (closing its connection). undici reports the destruction as an abort error on
 * the stream; nobody is listening for it any more, so it is swallowed here instead of surfacing
 * as an uncaught exception.
 */
export function abandonBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
