/**
 * Requests per interval, shared by every request of one component — retries, redirects and
 * pages included. A sliding window: no `interval`-long window ever holds more than `requests`
 * request starts.
 *
 * ```
 *   starts (ring of the last `requests` reserved start times)
 *   [ t3 | t4 | t0 | t1 | t2 ]
 *              ^ head = oldest reservation; the next request starts at max(now, oldest + interval)
 * ```
 *
 * NOTE: a start time is reserved synchronously when a request asks, so waiters are served in
 * arrival order without a queue, and the check costs no allocation when no wait is needed. A
 * request aborted while waiting keeps its reservation (the window errs on the safe side).
 */
import { abortableDelay } from './abortable-delay.ts';

/** `requests` request starts per `interval` milliseconds. */
export interface RateLimit {
  readonly requests: number;
  readonly interval: number;
}

export class RateLimiter {
  readonly #interval: number;
  /** Reserved start times (performance.now() ms), a ring; `#head` is the oldest. */
  readonly #starts: Float64Array;
  #head = 0;

  constructor(limit: RateLimit) {
    if (!(limit.requests >= 1) || !(limit.interval > 0)) {
      throw new RangeError(`rateLimit needs requests >= 1 and interval > 0, got ${limit.requests} per ${limit.interval} ms`);
    }
    this.#interval = limit.interval;
    this.#starts = new Float64Array(Math.floor(limit.requests)).fill(-Infinity);
  }

  /** Reserves the next start time; returns how many ms to wait until it (0 = go now). */
  reserve(now: number = performance.now()): number {
    const startAt = Math.max(now, this.#starts[this.#head]! + this.#interval);
    this.#starts[this.#head] = startAt;
    this.#head = this.#head + 1 === this.#starts.length ? 0 : this.#head + 1;
    return startAt - now;
  }

  /** Waits for a start slot; rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    const wait = this.reserve();
    return wait > 0 ? abortableDelay(Math.ceil(wait), signal) : undefined;
  }
}
