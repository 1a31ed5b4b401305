/**
 * File event listener (CloverDX Server "File Event Listeners", local file system): polls a
 * directory every `interval`, compares each check's snapshot (size + mtime per file) with what it
 * has seen, and reports files that appeared (APPEARANCE), changed (SIZE, or CHANGE_TIME when only
 * the modification time moved) or disappeared (DISAPPEARANCE).
 *
 * Semantics, following the CloverDX documentation:
 * - Files present at the first check are the baseline and produce no event: CloverDX defines
 *   appearance as "the file did not exist during the previous check and exists now", and the
 *   first check has no previous one. (A server restart therefore does not re-process old files.)
 * - `stableChecks: N` ("trigger task when file has not changed for n checks"): an appearance or
 *   change is reported only after N further checks saw the same size and mtime, so a file still
 *   being written never triggers a run; every change while waiting restarts the count. A file
 *   written in several steps gives ONE event (APPEARANCE when it was new).
 * - `ignoreEmpty`: an empty file is not reported; the stability count starts once it has data.
 * - `group: true` ("trigger one task for multiple changed files"): all files of one event type
 *   found ready by one check become one event, EVENT_FILE_URLS listing them `;`-separated.
 * - Removals are reported at the first check that misses the file (no stability wait).
 * - Only regular files (and symlinks to them) are observed; directories are walked when
 *   `recursive` is set, never reported. The pattern applies to the file name.
 * - A check that fails (the directory is missing or unreadable) changes nothing: it reports the
 *   error and the next check compares with the last good snapshot, so a flaky mount does not
 *   look like every file disappearing.
 *
 * Trefoil difference (documented in the README): EVENT_FILE_PATH is the file's absolute path; in
 * CloverDX it is the observed directory. EVENT_FILE_URLS are plain absolute paths (usable in a
 * FileReader `file`), not `file:` URLs.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { systemClock, type CancelTimer, type Clock } from './clock.ts';
import { compileFileNamePattern, type FileNamePattern } from './file-name-pattern.ts';

/** The kinds of change a listener can subscribe to (`events:` in the config). */
export type FileEventKind = 'added' | 'changed' | 'removed';

/** CloverDX event types, as passed in EVENT_FILE_EVENT_TYPE. */
export type FileEventType = 'APPEARANCE' | 'SIZE' | 'CHANGE_TIME' | 'DISAPPEARANCE';

export interface FileListenerOptions {
  /** The listener's id (EVENT_FILE_LISTENER_ID). */
  readonly id: string;
  /** The observed directory; relative paths resolve against the working directory. */
  readonly path: string;
  /** Glob on the file name (see `file-name-pattern.ts`). @default '*' */
  readonly pattern?: string;
  /** Also observe subdirectories. @default false */
  readonly recursive?: boolean;
  /** Which changes produce events. @default ['added'] */
  readonly events?: readonly FileEventKind[];
  /** Time between the end of one check and the start of the next, in ms. */
  readonly intervalMs: number;
  /** Further checks a file must stay unchanged before its event fires. @default 0 */
  readonly stableChecks?: number;
  /** Never report empty files. @default false */
  readonly ignoreEmpty?: boolean;
  /** One event per event type per check, listing all its files. @default false */
  readonly group?: boolean;
}

/** A file as the check that reported it saw it. */
export interface ObservedFile {
  /** Absolute path. */
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The run parameters a file event gives (CloverDX names). */
export interface FileEventParameters {
  /** Absolute path of the file; absent for grouped events. */
  EVENT_FILE_PATH?: string;
  /** The file's name; absent for grouped events (as in CloverDX). */
  EVENT_FILE_NAME?: string;
  /** Absolute paths of the event's files, `;`-separated. */
  EVENT_FILE_URLS: string;
  EVENT_FILE_EVENT_TYPE: FileEventType;
  EVENT_FILE_LISTENER_ID: string;
}

export interface FileEvent {
  readonly listenerId: string;
  readonly type: FileEventType;
  /** One file, or several for a grouped event; sorted by path. */
  readonly files: readonly ObservedFile[];
  readonly detectedAt: Date;
  readonly parameters: FileEventParameters;
}

export interface FileListenerHandlers {
  /** Called for every event, in detection order. */
  readonly onEvent: (event: FileEvent) => void;
  /** A failed check or a throwing `onEvent`. @default process.emitWarning */
  readonly onError?: (error: unknown) => void;
  /** @default systemClock */
  readonly clock?: Clock;
}

type FileStat = Pick<ObservedFile, 'size' | 'mtimeMs'>;

interface PendingChange {
  readonly kind: 'added' | 'changed';
  stat: FileStat;
  /** Consecutive checks that saw `stat` unchanged since it was last set. */
  unchangedChecks: number;
}

export class FileListener {
  readonly id: string;
  /** The observed directory, absolute. */
  readonly directory: string;
  readonly #pattern: FileNamePattern;
  readonly #recursive: boolean;
  readonly #subscribed: ReadonlySet<FileEventKind>;
  readonly #intervalMs: number;
  readonly #stableChecks: number;
  readonly #ignoreEmpty: boolean;
  readonly #group: boolean;
  readonly #onEvent: FileListenerHandlers['onEvent'];
  readonly #onError: (error: unknown) => void;
  readonly #clock: Clock;

  /** Files the listener has accounted for: the baseline plus every reported change. */
  readonly #known = new Map<string, FileStat>();
  /** Appearances and changes waiting for `stableChecks` quiet checks. */
  readonly #pending = new Map<string, PendingChange>();
  #baselineTaken = false;
  #running = false;
  #cancelTimer: CancelTimer | null = null;
  /** Due time of the armed check timer; null when none is armed. */
  #nextCheckAt: number | null = null;
  #lastCheckAt: number | null = null;
  /** Serialises checks: a timer check and a `checkNow()` never interleave. */
  #lastCheck: Promise<unknown> = Promise.resolve();

  /** @throws TrefoilError TREFOIL_ERR_SERVER_FILE_PATTERN for a bad pattern. */
  constructor(options: FileListenerOptions, handlers: FileListenerHandlers) {
    this.id = options.id;
    this.directory = resolve(options.path);
    this.#pattern = compileFileNamePattern(options.pattern ?? '*');
    this.#recursive = options.recursive ?? false;
    this.#subscribed = new Set(options.events ?? ['added']);
    this.#intervalMs = options.intervalMs;
    this.#stableChecks = options.stableChecks ?? 0;
    this.#ignoreEmpty = options.ignoreEmpty ?? false;
    this.#group = options.group ?? false;
    this.#onEvent = handlers.onEvent;
    this.#onError = handlers.onError ?? ((error) => process.emitWarning(`file listener "${this.id}": ${error instanceof Error ? error.message : String(error)}`));
    this.#clock = handlers.clock ?? systemClock;
  }

  /** Takes the baseline snapshot (no events), then checks every `intervalMs` until stopped. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.#serialised(() => this.#takeBaseline());
    this.#armTimer();
  }

  /** Stops checking; no event is reported after this returns. State is kept for a restart. */
  stop(): void {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#nextCheckAt = null;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#running;
  }

  /** When the next timed check starts; null while stopped or while a check is under way. */
  get nextCheckTime(): Date | null {
    return this.#nextCheckAt === null ? null : new Date(this.#nextCheckAt);
  }

  /** When the last check (or the baseline) finished; null before the first. */
  get lastCheckTime(): Date | null {
    return this.#lastCheckAt === null ? null : new Date(this.#lastCheckAt);
  }

  /**
   * Runs one check now (the first one only takes the baseline) and returns the events it
   * reported. Used by tests, and by an API "check now" button later.
   */
  checkNow(): Promise<FileEvent[]> {
    return this.#serialised(() => this.#check(false));
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#lastCheck.then(work, work);
    this.#lastCheck = result.catch(() => {});
    return result;
  }

  #armTimer(): void {
    if (!this.#running) return;
    this.#nextCheckAt = this.#clock.now() + this.#intervalMs;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = null;
      this.#nextCheckAt = null;
      void this.#serialised(() => this.#check(true)).finally(() => this.#armTimer());
    }, this.#intervalMs);
  }

  async #takeBaseline(): Promise<void> {
    const snapshot = await this.#scanOrReport();
    this.#baselineTaken = true;
    if (snapshot === null) return;
    for (const [path, fileStat] of snapshot) this.#known.set(path, fileStat);
  }

  /** One check. A timer check that finds the listener stopped (before or during the scan) changes nothing. */
  async #check(fromTimer: boolean): Promise<FileEvent[]> {
    if (fromTimer && !this.#running) return [];
    if (!this.#baselineTaken) {
      await this.#takeBaseline();
      return [];
    }
    const snapshot = await this.#scanOrReport();
    if (snapshot === null || (fromTimer && !this.#running)) return [];
    const ready: Array<{ type: FileEventType; path: string; stat: FileStat }> = [];

    for (const [path, current] of snapshot) {
      const known = this.#known.get(path);
      let pending = this.#pending.get(path);
      if (this.#ignoreEmpty && current.size === 0) {
        // Not a candidate while empty; for a change, `known` keeps the last reported state.
        this.#pending.delete(path);
        continue;
      }
      if (pending !== undefined) {
        if (sameStat(pending.stat, current)) pending.unchangedChecks++;
        else {
          pending.stat = current;
          pending.unchangedChecks = 0;
        }
      } else if (known === undefined) {
        pending = { kind: 'added', stat: current, unchangedChecks: 0 };
        this.#pending.set(path, pending);
      } else if (!sameStat(known, current)) {
        pending = { kind: 'changed', stat: current, unchangedChecks: 0 };
        this.#pending.set(path, pending);
      }
      if (pending === undefined || pending.unchangedChecks < this.#stableChecks) continue;

      this.#pending.delete(path);
      this.#known.set(path, current);
      if (!this.#subscribed.has(pending.kind)) continue;
      const type: FileEventType = pending.kind === 'added' ? 'APPEARANCE' : known!.size !== current.size ? 'SIZE' : 'CHANGE_TIME';
      ready.push({ type, path, stat: current });
    }

    for (const [path, last] of this.#known) {
      if (snapshot.has(path)) continue;
      this.#known.delete(path);
      this.#pending.delete(path);
      if (this.#subscribed.has('removed')) ready.push({ type: 'DISAPPEARANCE', path, stat: last });
    }
    for (const path of this.#pending.keys()) if (!snapshot.has(path)) this.#pending.delete(path);

    const events = this.#toEvents(ready);
    for (const event of events) {
      try {
        this.#onEvent(event);
      } catch (error) {
        this.#onError(error);
      }
    }
    return events;
  }

  #toEvents(ready: Array<{ type: FileEventType; path: string; stat: FileStat }>): FileEvent[] {
    if (ready.length === 0) return [];
    const detectedAt = new Date(this.#clock.now());
    ready.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const observed = (entry: (typeof ready)[number]): ObservedFile => ({
      path: entry.path,
      name: basename(entry.path),
      size: entry.stat.size,
      mtimeMs: entry.stat.mtimeMs,
    });
    if (!this.#group) {
      return ready.map((entry) => {
        const file = observed(entry);
        return {
          listenerId: this.id,
          type: entry.type,
          files: [file],
          detectedAt,
          parameters: {
            EVENT_FILE_PATH: file.path,
            EVENT_FILE_NAME: file.name,
            EVENT_FILE_URLS: file.path,
            EVENT_FILE_EVENT_TYPE: entry.type,
            EVENT_FILE_LISTENER_ID: this.id,
          },
        };
      });
    }
    const byType = new Map<FileEventType, ObservedFile[]>();
    for (const entry of ready) {
      const files = byType.get(entry.type) ?? [];
      files.push(observed(entry));
      byType.set(entry.type, files);
    }
    return [...byType].map(([type, files]) => ({
      listenerId: this.id,
      type,
      files,
      detectedAt,
      parameters: {
        EVENT_FILE_URLS: files.map((file) => file.path).join(';'),
        EVENT_FILE_EVENT_TYPE: type,
        EVENT_FILE_LISTENER_ID: this.id,
      },
    }));
  }

  async #scanOrReport(): Promise<Map<string, FileStat> | null> {
    try {
      const snapshot = new Map<string, FileStat>();
      await this.#scanDirectory(this.directory, snapshot);
      return snapshot;
    } catch (error) {
      this.#onError(error);
      return null;
    } finally {
      this.#lastCheckAt = this.#clock.now();
    }
  }

  async #scanDirectory(directory: string, snapshot: Map<string, FileStat>): Promise<void> {
    const entries = await readdir(directory, { withFileTypes: true });
    const stats: Array<Promise<void>> = [];
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        // NOTE: symlinked directories are not followed (no cycles); a vanished subdirectory is
        // skipped, not a failed check.
        if (this.#recursive) stats.push(this.#scanDirectory(path, snapshot).catch(ignoreVanished));
        continue;
      }
      if (!this.#pattern.matches(entry.name)) continue;
      stats.push(
        stat(path).then((fileStat) => {
          if (fileStat.isFile()) snapshot.set(path, { size: fileStat.size, mtimeMs: fileStat.mtimeMs });
        }, ignoreVanished),
      );
    }
    await Promise.all(stats);
  }
}

function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A file or directory removed between listing and stat is simply absent from this snapshot. */
function ignoreVanished(error: unknown): void {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
}
