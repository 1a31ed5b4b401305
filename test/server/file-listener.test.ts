import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileListener, type FileEvent, type FileListenerOptions } from '../../engine/server/file-listener.ts';
import { ManualClock } from '../../engine/server/manual-clock.ts';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'trefoil-listener-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A listener whose timer never fires (manual clock): the test drives each check with checkNow(). */
function manualListener(options: Partial<FileListenerOptions>, errors: unknown[] = []) {
  const events: FileEvent[] = [];
  const listener = new FileListener(
    { id: 'outbox', path: directory, intervalMs: 1000, ...options },
    { onEvent: (event) => events.push(event), onError: (error) => errors.push(error), clock: new ManualClock(0) },
  );
  return { listener, events };
}

/** Moves a file's mtime so a rewrite within the same millisecond still counts as a change. */
function bumpMtime(path: string, seconds: number): void {
  const time = new Date(Date.now() + seconds * 1000);
  utimesSync(path, time, time);
}

describe('FileListener (checks driven by the test)', () => {
  it('treats files present at start as the baseline: no event for them', async () => {
    writeFileSync(join(directory, 'old.csv'), 'a\n');
    const { listener, events } = manualListener({ events: ['added', 'changed', 'removed'] });
    await listener.start();
    expect(await listener.checkNow()).toEqual([]);
    expect(await listener.checkNow()).toEqual([]);
    expect(events).toEqual([]);
    listener.stop();
  });

  it('a file written in several steps gives exactly one APPEARANCE, after stableChecks quiet checks', async () => {
    const { listener, events } = manualListener({ pattern: '*.csv', stableChecks: 2 });
    await listener.start();
    const file = join(directory, 'orders.csv');
    const counts: number[] = [];
    writeFileSync(file, 'id,amount\n');
    counts.push((await listener.checkNow()).length); // new, 0 quiet checks
    appendFileSync(file, '1,10\n');
    counts.push((await listener.checkNow()).length); // changed: count restarts
    appendFileSync(file, '2,20\n');
    counts.push((await listener.checkNow()).length); // changed again
    counts.push((await listener.checkNow()).length); // 1 quiet check
    counts.push((await listener.checkNow()).length); // 2 quiet checks → fires
    counts.push((await listener.checkNow()).length);
    expect(counts).toEqual([0, 0, 0, 0, 1, 0]);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.type).toBe('APPEARANCE');
    expect(event!.files).toEqual([{ path: file, name: 'orders.csv', size: statSync(file).size, mtimeMs: statSync(file).mtimeMs }]);
    expect(event!.parameters).toEqual({
      EVENT_FILE_PATH: file,
      EVENT_FILE_NAME: 'orders.csv',
      EVENT_FILE_URLS: file,
      EVENT_FILE_EVENT_TYPE: 'APPEARANCE',
      EVENT_FILE_LISTENER_ID: 'outbox',
    });
  });

  it('reports SIZE and CHANGE_TIME changes and DISAPPEARANCE, only for subscribed kinds', async () => {
    const file = join(directory, 'a.csv');
    writeFileSync(file, 'x');
    const { listener, events } = manualListener({ events: ['changed', 'removed'] });
    await listener.start();
    appendFileSync(file, 'y');
    await listener.checkNow();
    bumpMtime(file, 5); // same size, new modification time
    await listener.checkNow();
    writeFileSync(join(directory, 'new.csv'), 'n'); // "added" is not subscribed
    await listener.checkNow();
    rmSync(file);
    await listener.checkNow();
    expect(events.map((event) => [event.type, event.parameters.EVENT_FILE_NAME])).toEqual([
      ['SIZE', 'a.csv'],
      ['CHANGE_TIME', 'a.csv'],
      ['DISAPPEARANCE', 'a.csv'],
    ]);
  });

  it('ignoreEmpty: an empty file is not reported; it is once it has data', async () => {
    const { listener, events } = manualListener({ ignoreEmpty: true, stableChecks: 1 });
    await listener.start();
    const file = join(directory, 'late.csv');
    writeFileSync(file, '');
    await listener.checkNow();
    await listener.checkNow();
    await listener.checkNow();
    expect(events).toEqual([]);
    writeFileSync(file, 'data\n');
    await listener.checkNow();
    expect(events).toEqual([]);
    await listener.checkNow();
    expect(events.map((event) => [event.type, event.files[0]!.size])).toEqual([['APPEARANCE', 5]]);
  });

  it('group: the files one check finds ready become one event, EVENT_FILE_URLS ;-separated', async () => {
    const { listener, events } = manualListener({ group: true });
    await listener.start();
    for (const name of ['c.csv', 'a.csv', 'b.csv']) writeFileSync(join(directory, name), name);
    await listener.checkNow();
    expect(events).toHaveLength(1);
    expect(events[0]!.files.map((file) => file.name)).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(events[0]!.parameters).toEqual({
      EVENT_FILE_URLS: ['a.csv', 'b.csv', 'c.csv'].map((name) => join(directory, name)).join(';'),
      EVENT_FILE_EVENT_TYPE: 'APPEARANCE',
      EVENT_FILE_LISTENER_ID: 'outbox',
    });
  });

  it('matches the pattern on names, and walks subdirectories only when recursive', async () => {
    mkdirSync(join(directory, 'sub'));
    const flat = manualListener({ pattern: '*.{csv,tsv}' });
    const deep = manualListener({ pattern: '*.{csv,tsv}', recursive: true });
    await flat.listener.start();
    await deep.listener.start();
    writeFileSync(join(directory, 'top.csv'), '1');
    writeFileSync(join(directory, 'notes.txt'), '1');
    writeFileSync(join(directory, 'sub', 'nested.tsv'), '1');
    await flat.listener.checkNow();
    await deep.listener.checkNow();
    expect(flat.events.map((event) => event.files[0]!.path)).toEqual([join(directory, 'top.csv')]);
    expect(deep.events.map((event) => event.files[0]!.path).sort()).toEqual([join(directory, 'sub', 'nested.tsv'), join(directory, 'top.csv')]);
  });

  it('a failed check (directory gone) reports an error and no removals', async () => {
    writeFileSync(join(directory, 'keep.csv'), '1');
    const errors: unknown[] = [];
    const { listener, events } = manualListener({ events: ['added', 'removed'] }, errors);
    await listener.start();
    rmSync(directory, { recursive: true });
    await listener.checkNow();
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
    mkdirSync(directory); // back, without keep.csv
    await listener.checkNow();
    expect(events.map((event) => event.type)).toEqual(['DISAPPEARANCE']);
  });
});

describe('FileListener (real timers)', () => {
  it('a file written slowly triggers exactly one event, only after it is complete', async () => {
    const events: FileEvent[] = [];
    const listener = new FileListener(
      { id: 'slow', path: directory, pattern: '*.csv', intervalMs: 25, stableChecks: 4 },
      { onEvent: (event) => events.push(event) },
    );
    await listener.start();
    const file = join(directory, 'big.csv');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    writeFileSync(file, 'header\n');
    for (let step = 0; step < 6; step++) {
      await sleep(30);
      appendFileSync(file, `row ${step}\n`);
    }
    const finalSize = statSync(file).size;
    const deadline = Date.now() + 3000;
    while (events.length === 0 && Date.now() < deadline) await sleep(10);
    await sleep(200); // more checks: no second event
    listener.stop();
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('APPEARANCE');
    expect(events[0]!.files[0]!.size).toBe(finalSize);
    expect(events[0]!.parameters.EVENT_FILE_PATH).toBe(file);
  });

  it('stop() ends the checks', async () => {
    const events: FileEvent[] = [];
    const listener = new FileListener({ id: 'x', path: directory, intervalMs: 20 }, { onEvent: (event) => events.push(event) });
    await listener.start();
    listener.stop();
    writeFileSync(join(directory, 'after-stop.csv'), '1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]);
  });
});
