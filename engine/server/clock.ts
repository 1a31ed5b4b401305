/**
 * The time source of the server's time-driven parts (schedules, file listeners, run times).
 * Each takes a Clock so tests can drive time by hand (see `manual-clock.ts`) instead of waiting.
 */

/** Cancels a timer set with {@link Clock.setTimer}; calling it after the timer fired is harmless. */
export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `callback` once, no earlier than `delayMs` from now (a negative delay means now).
   * Any delay is allowed, including more than the 24.8 days a single `setTimeout` can wait.
   */
  setTimer(callback: () => void, delayMs: number): CancelTimer;
}

/** The longest delay one `setTimeout` accepts; longer waits are re-armed in steps. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const due = Date.now() + Math.max(0, delayMs);
    let handle: NodeJS.Timeout;
    const arm = (wait: number): void => {
      handle = setTimeout(() => {
        // NOTE: Node may fire a timer a millisecond early (it rounds); re-arming until `due`
        // keeps the contract "no earlier than", which cron times rely on.
        const left = due - Date.now();
        if (left > 0) arm(left);
        else callback();
      }, Math.min(wait, MAX_TIMEOUT_MS));
    };
    arm(due - Date.now());
    return () => clearTimeout(handle);
  },
};
