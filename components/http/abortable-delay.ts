/** A timer promise that an AbortSignal cancels, rejecting with the signal's own reason. */

/**
 * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts
 * (immediately when it already has).
 *
 * NOTE: the timer keeps the process alive (no `unref`): while a request waits for its retry or
 * `Retry-After`, it may be the only thing pending — unref'd, a CLI run would end mid-wait with
 * Node's "unsettled top-level await" (exit 13).
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
