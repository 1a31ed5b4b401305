/** A timer promise that an AbortSignal cancels, rejecting with the signal's own reason. */

/**
 * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts
 * (immediately when it already has). The timer does not keep the process alive.
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
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
