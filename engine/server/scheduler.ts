/**
 * Arms a timer for each enabled schedule on a Clock and reports each fire. What a fire does
 * (submit a run, respecting the trigger's overlap policy) is the caller's business: the
 * scheduler only keeps time, so it is the same for real runs, tests and previews.
 */
import { systemClock, type CancelTimer, type Clock } from './clock.ts';
import type { Schedule } from './schedule.ts';

/** One firing of a schedule. */
export interface ScheduleFire {
  readonly schedule: Schedule;
  /** The time the schedule was due (use this for EVENT_SCHEDULE_TIME). */
  readonly scheduledTime: Date;
  /** When the timer actually ran (at or shortly after `scheduledTime`). */
  readonly firedAt: Date;
}

export interface SchedulerOptions {
  /** Called synchronously at every fire. @default none — required */
  readonly onFire: (fire: ScheduleFire) => void;
  /** Called when `onFire` throws; the schedule keeps firing. @default process.emitWarning */
  readonly onError?: (error: unknown, schedule: Schedule) => void;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** A schedule's state inside the scheduler, for listings. */
export interface ScheduleState {
  readonly schedule: Schedule;
  readonly enabled: boolean;
  /** Null when disabled, not started, or the schedule has no future fire (a past `at`). */
  readonly nextFireTime: Date | null;
}

interface Entry {
  readonly schedule: Schedule;
  enabled: boolean;
  /** Start of an `every` schedule's period grid: when the entry was last armed from idle. */
  anchor: number;
  /** Due time of the armed timer; null when no timer is armed. */
  next: number | null;
  cancel: CancelTimer | null;
}

export class Scheduler {
  readonly #clock: Clock;
  readonly #onFire: SchedulerOptions['onFire'];
  readonly #onError: NonNullable<SchedulerOptions['onError']>;
  readonly #entries = new Map<string, Entry>();
  #running = false;

  constructor(options: SchedulerOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#onFire = options.onFire;
    this.#onError =
      options.onError ??
      ((error, schedule) => process.emitWarning(`schedule "${schedule.id}" fire handler failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * Adds a schedule; armed at once when the scheduler is running and the schedule is enabled.
   * @throws Error when a schedule with the same id was already added (config validation
   *   rejects duplicates earlier with a positioned error).
   */
  add(schedule: Schedule): void {
    if (this.#entries.has(schedule.id)) throw new Error(`schedule "${schedule.id}" is already added`);
    const entry: Entry = { schedule, enabled: schedule.enabled, anchor: this.#clock.now(), next: null, cancel: null };
    this.#entries.set(schedule.id, entry);
    if (this.#running) this.#armFromNow(entry);
  }

  /** Removes a schedule and its timer. Returns false when there was none with that id. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#disarm(entry);
    this.#entries.delete(id);
    return true;
  }

  /** Enables or disables a schedule at run time (CloverDX's enable/disable switch). */
  setEnabled(id: string, enabled: boolean): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    if (entry.enabled === enabled) return true;
    entry.enabled = enabled;
    if (!enabled) this.#disarm(entry);
    else if (this.#running) this.#armFromNow(entry);
    return true;
  }

  /** Arms every enabled schedule; `every` schedules count their periods from now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const entry of this.#entries.values()) this.#armFromNow(entry);
  }

  /** Cancels every timer. No fire happens after this returns; `start()` may be called again. */
  stop(): void {
    this.#running = false;
    for (const entry of this.#entries.values()) this.#disarm(entry);
  }

  /** The next time schedule `id` fires, or null (disabled, stopped, finished, or unknown id). */
  nextFireTime(id: string): Date | null {
    const next = this.#entries.get(id)?.next;
    return next == null ? null : new Date(next);
  }

  /** All schedules with their state, in the order they were added. */
  states(): ScheduleState[] {
    return [...this.#entries.values()].map((entry) => ({
      schedule: entry.schedule,
      enabled: entry.enabled,
      nextFireTime: entry.next === null ? null : new Date(entry.next),
    }));
  }

  #armFromNow(entry: Entry): void {
    if (!entry.enabled) return;
    const now = this.#clock.now();
    entry.anchor = now;
    this.#arm(entry, now);
  }

  #arm(entry: Entry, after: number): void {
    const next = entry.schedule.nextFireAfter(after, entry.anchor);
    entry.next = next;
    entry.cancel = next === null ? null : this.#clock.setTimer(() => this.#fire(entry, next), next - this.#clock.now());
  }

  #fire(entry: Entry, due: number): void {
    entry.cancel = null;
    const now = this.#clock.now();
    try {
      this.#onFire({ schedule: entry.schedule, scheduledTime: new Date(due), firedAt: new Date(now) });
    } catch (error) {
      this.#onError(error, entry.schedule);
    }
    // The handler may have stopped the scheduler or disabled/removed this schedule.
    if (!this.#running || !entry.enabled || this.#entries.get(entry.schedule.id) !== entry || entry.cancel !== null) return;
    // NOTE: a fire that ran late (a blocked event loop, a suspended machine) is not repeated for
    // every period it missed: the next fire is the first one after now. That is CloverDX's
    // default ("start skipped executions as soon as possible" unchecked), minus the one late run.
    this.#arm(entry, Math.max(due, now));
  }

  #disarm(entry: Entry): void {
    entry.cancel?.();
    entry.cancel = null;
    entry.next = null;
  }
}
