/**
 * A Clock that only moves when told to. Tests (and `--dry-run` style previews) use it to run
 * hours of schedule in milliseconds, deterministically.
 */
import type { CancelTimer, Clock } from './clock.ts';

interface PendingTimer {
  readonly due: number;
  /** Insertion order; breaks ties between timers due at the same instant (first set, first run). */
  readonly sequence: number;
  readonly callback: () => void;
}

/** Lets promise callbacks queued by a timer's callback run before the next timer fires. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  #now: number;
  #sequence = 0;
  /** Invariant: sorted by (due, sequence). Small in practice (one per schedule or listener). */
  #timers: PendingTimer[] = [];

  /** @param start the initial time (epoch milliseconds or a Date). */
  constructor(start: number | Date = 0) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): CancelTimer {
    const timer: PendingTimer = { due: this.#now + Math.max(0, delayMs), sequence: this.#sequence++, callback };
    const index = this.#timers.findIndex((t) => t.due > timer.due);
    if (index === -1) this.#timers.push(timer);
    else this.#timers.splice(index, 0, timer);
    return () => {
      const at = this.#timers.indexOf(timer);
      if (at !== -1) this.#timers.splice(at, 1);
    };
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order, with
   * `now()` equal to each timer's due time while it runs. Promise callbacks started by a timer
   * settle before the next timer fires, and again at the end.
   */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  /**
   * Moves time forward WITHOUT firing timers, like a machine waking from sleep: timers that fell
   * due meanwhile fire late, at the next {@link advance}.
   */
  jump(ms: number): void {
    this.#now += Math.max(0, ms);
  }

  /** Like {@link advance}, to an absolute time (never backwards). */
  async advanceTo(time: number | Date): Promise<void> {
    const target = typeof time === 'number' ? time : time.getTime();
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.due);
      next.callback();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }
}
