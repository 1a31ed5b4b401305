/**
 * Requests per interval, shared by every request of one component — retries, redirects and
 * pages included. A sliding window over actual start times: a request starts only when the
 * `requests`-th start before it is at least `interval` ago, so no `interval`-long window ever
 * holds more than `requests` starts.
 *
 * ```
 *   starts: ring of the last `requests` start times      waiters: FIFO (array + head index)
 *   [ t3 | t4 | t0 | t1 | t2 ]                             [ w0 | w1 | w2 ... ]
 *              ^ oldest: the next start may happen at oldest + interval
 * ```
 *
 * NOTE: start times are recorded when a request is actually released, not when it asks: a
 * timer that fires late then only widens the gap, never narrows the window. One timer serves
 * the whole queue. When nobody waits and a slot is free, `acquire` returns undefined at once
 * (no promise, no allocation).
 */

/** `requests` request starts per `interval` milliseconds. */
export interface RateLimit {
  readonly requests: number;
  readonly interval: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
  /** Set when aborted while queued; the pump skips it. */
  cancelled: boolean;
}

export class RateLimiter {
  readonly #interval: number;
  /** Actual start times (performance.now() ms) of the last `requests` releases; `#oldest` indexes the oldest. */
  readonly #starts: Float64Array;
  #oldest = 0;
  #waiters: Waiter[] = [];
  #waitersHead = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(limit: RateLimit) {
    if (!(limit.requests >= 1) || !(limit.interval > 0)) {
      throw new RangeError(`rateLimit needs requests >= 1 and interval > 0, got ${limit.requests} per ${limit.interval} ms`);
    }
    this.#interval = limit.interval;
    this.#starts = new Float64Array(Math.floor(limit.requests)).fill(-Infinity);
  }

  /** Milliseconds until the next start is allowed (0 = now). */
  #delayAt(now: number): number {
    return Math.max(0, this.#starts[this.#oldest]! + this.#interval - now);
  }

  #record(now: number): void {
    this.#starts[this.#oldest] = now;
    this.#oldest = this.#oldest + 1 === this.#starts.length ? 0 : this.#oldest + 1;
  }

  /**
   * Waits for a start slot. Returns undefined when the request may start right away; otherwise a
   * promise that resolves at its turn (first come, first served) or rejects with the signal's
   * reason when aborted while waiting.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = performance.now();
    if (this.#waitersHead === this.#waiters.length && this.#delayAt(now) === 0) {
      this.#record(now);
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        cancelled: false,
        onAbort:
          signal === undefined
            ? undefined
            : () => {
                waiter.cancelled = true;
                reject(signal.reason);
              },
      };
      if (signal !== undefined) signal.addEventListener('abort', waiter.onAbort!, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const delay = this.#delayAt(performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.ceil(delay));
    // NOTE: not unref'd: a waiting request may be all that keeps a run going (see abortable-delay.ts).
  }

  #pump(): void {
    while (this.#waitersHead < this.#waiters.length) {
      const waiter = this.#waiters[this.#waitersHead]!;
      if (waiter.cancelled) {
        this.#waitersHead++;
        continue;
      }
      const now = performance.now();
      if (this.#delayAt(now) > 0) break;
      this.#waitersHead++;
      waiter.signal?.removeEventListener('abort', waiter.onAbort!);
      this.#record(now);
      waiter.resolve();
    }
    if (this.#waitersHead === this.#waiters.length) {
      this.#waiters = [];
      this.#waitersHead = 0;
    } else {
      this.#schedule();
    }
  }
}
