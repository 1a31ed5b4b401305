/**
 * Server intervals (`every`, `interval`): a CloverDX duration (engine/metadata/duration.ts) that
 * must be greater than zero, since a zero interval would fire in a busy loop.
 */
import { TrefoilError, isTrefoilError, type ErrorLocation } from '../errors/trefoil-error.ts';
import { parseDuration } from '../metadata/duration.ts';

/**
 * Parses an interval to whole milliseconds.
 * @throws TrefoilError TREFOIL_ERR_VALUE_DURATION (unreadable) or TREFOIL_ERR_SERVER_DURATION
 *   (zero), positioned at `location`.
 * @example parseInterval('1h 30m') // 5_400_000
 */
export function parseInterval(value: string | number, location?: ErrorLocation): number {
  let milliseconds: number;
  try {
    milliseconds = parseDuration(value);
  } catch (error) {
    if (isTrefoilError(error)) throw new TrefoilError(error.code, error.message, { ...error.location, ...location }, { cause: error });
    throw error;
  }
  if (milliseconds <= 0) {
    throw new TrefoilError('TREFOIL_ERR_SERVER_DURATION', `interval ${JSON.stringify(value)} must be greater than zero`, location);
  }
  return milliseconds;
}
