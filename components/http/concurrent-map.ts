/**
 * Runs an async task per input with up to `concurrency` tasks at once and hands the results back
 * in input order (`ordered`, the default) or as they complete.
 *
 * Memory is bounded: at most `maxInFlight` inputs are taken from the source and not yet handed
 * back (running, waiting to start, or finished and waiting for an earlier one in ordered mode).
 * When that many are out, the source is not read any further until the consumer takes a result —
 * the backpressure reaches the caller's input. Results are handed back as soon as they are ready,
 * even while the source is slow to give the next input.
 *
 * ```
 *  source ──pull (≤ maxInFlight out)──> waiting FIFO ──start (≤ concurrency running)──> slots ──yield──> consumer
 *  ordered slots: a ring indexed by input index % maxInFlight; `nextToYield` is the one to yield
 * ```
 *
 * The first task failure aborts the others (through the signal each task receives), waits for
 * them to settle and is thrown. Breaking out of the loop early does the same, quietly.
 *
 * NOTE: the scheduler is a counter and a FIFO rather than p-queue: p-queue's per-task promise
 * and events cost ~4 µs of CPU per task, a fifth of a small HTTP request
 * (test/bench/http-bench.ts).
 */
import { setMaxListeners } from 'node:events';

/**
 * A source whose `next()` answers synchronously when it can and with a promise otherwise — an
 * input port read batch by batch costs one promise per batch, not one per input.
 */
export interface PullSource<I> {
  next(): IteratorResult<I> | Promise<IteratorResult<I>>;
  return?(): unknown;
}

/** Options of `mapConcurrent`. */
export interface ConcurrentMapOptions {
  /** Tasks running at once. */
  readonly concurrency: number;
  /** Hand results back in input order. @default true */
  readonly ordered?: boolean;
  /** Inputs taken and not yet handed back, at most. @default 2 * concurrency */
  readonly maxInFlight?: number;
  /** Aborts every task; the iteration then throws the signal's reason. */
  readonly signal?: AbortSignal;
}

type Settled<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

/**
 * Maps `inputs` through `task` concurrently. `task` receives the input, its 0-based index and a
 * signal that aborts when the map is abandoned (a failure, an early exit, the caller's signal).
 */
export async function* mapConcurrent<I, O>(
  inputs: Iterable<I> | AsyncIterable<I> | PullSource<I>,
  task: (input: I, index: number, signal: AbortSignal) => Promise<O>,
  options: ConcurrentMapOptions,
): AsyncGenerator<O, void, undefined> {
  const concurrency = options.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const maxInFlight = Math.max(concurrency, options.maxInFlight ?? 2 * concurrency);
  const ordered = options.ordered ?? true;
  const outer = options.signal;
  const controller = new AbortController();
  // Every task in flight (and the requests inside it) listens on this one signal.
  setMaxListeners(4 * maxInFlight + 16, controller.signal);
  /** Tasks started and not settled. Invariant: 0 ≤ running ≤ concurrency. */
  let running = 0;
  /** Inputs taken while `concurrency` tasks ran, in arrival order (array + head, no shift()). */
  let waiting: { readonly input: I; readonly index: number }[] = [];
  let waitingHead = 0;
  /** Resolves the wait for the last running task when abandoning. */
  let whenIdle: (() => void) | undefined;

  // Ordered: results by index % maxInFlight; unordered: completion FIFO (array + head, no shift()).
  const slots: (Settled<O> | undefined)[] = new Array(maxInFlight);
  let completed: Settled<O>[] = [];
  let completedHead = 0;
  let nextToYield = 0;
  let nextIndex = 0;
  /** Inputs taken from the source and not yet yielded. Invariant: 0 ≤ inFlight ≤ maxInFlight. */
  let inFlight = 0;
  let failure: { error: unknown } | undefined;

  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onOuterAbort = (): void => {
    controller.abort(outer!.reason);
    notify();
  };
  outer?.addEventListener('abort', onOuterAbort, { once: true });

  const iterator: PullSource<I> =
    Symbol.asyncIterator in inputs
      ? (inputs as AsyncIterable<I>)[Symbol.asyncIterator]()
      : Symbol.iterator in inputs
        ? (inputs as Iterable<I>)[Symbol.iterator]()
        : (inputs as PullSource<I>);
  let sourceDone = false;
  let pulling = false;

  const settle = (index: number, result: Settled<O>): void => {
    running--;
    if (!result.ok && failure === undefined) {
      failure = { error: result.error };
      controller.abort(result.error);
    }
    if (ordered) slots[index % maxInFlight] = result;
    else completed.push(result);
    if (waitingHead < waiting.length) {
      const next = waiting[waitingHead++]!;
      if (waitingHead === waiting.length) {
        waiting = [];
        waitingHead = 0;
      }
      run(next.input, next.index);
    } else if (running === 0 && whenIdle !== undefined) {
      whenIdle();
    }
    notify();
  };

  const run = (input: I, index: number): void => {
    running++;
    let promise: Promise<O>;
    try {
      promise = controller.signal.aborted ? Promise.reject(controller.signal.reason) : task(input, index, controller.signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => settle(index, { ok: true, value }),
      (error: unknown) => settle(index, { ok: false, error }),
    );
  };

  const start = (input: I): void => {
    const index = nextIndex++;
    inFlight++;
    if (running < concurrency) run(input, index);
    else waiting.push({ input, index });
  };

  const pull = (): void => {
    pulling = true;
    let step: IteratorResult<I> | Promise<IteratorResult<I>>;
    try {
      step = iterator.next();
    } catch (error) {
      pulling = false;
      sourceDone = true;
      if (failure === undefined) {
        failure = { error };
        controller.abort(error);
      }
      return;
    }
    if (!(step instanceof Promise)) {
      pulling = false;
      if (step.done) sourceDone = true;
      else start(step.value);
      return;
    }
    step.then(
      (result) => {
        pulling = false;
        if (result.done) sourceDone = true;
        else if (failure === undefined) start(result.value);
        notify();
      },
      (error: unknown) => {
        pulling = false;
        sourceDone = true;
        if (failure === undefined) {
          failure = { error };
          controller.abort(error);
        }
        notify();
      },
    );
  };

  let finished = false;
  try {
    for (;;) {
      if (outer?.aborted) throw outer.reason;
      if (failure !== undefined) throw failure.error;
      // Hand back everything that is ready.
      let result: Settled<O> | undefined;
      if (ordered) {
        result = slots[nextToYield % maxInFlight];
        if (result !== undefined) {
          slots[nextToYield % maxInFlight] = undefined;
          nextToYield++;
        }
      } else if (completedHead < completed.length) {
        result = completed[completedHead++];
        if (completedHead === completed.length) {
          completed = [];
          completedHead = 0;
        }
      }
      if (result !== undefined) {
        inFlight--;
        if (!result.ok) throw result.error;
        yield result.value;
        continue;
      }
      if (sourceDone && inFlight === 0 && !pulling) {
        finished = true;
        return;
      }
      // Take more input while there is room; a synchronous source fills up at once.
      if (!sourceDone && !pulling && inFlight < maxInFlight) {
        pull();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    if (!finished) {
      if (!controller.signal.aborted) controller.abort(new Error('mapConcurrent: abandoned'));
      // Tasks not yet started never will be; the running ones are waited for.
      waiting = [];
      waitingHead = 0;
      if (running > 0) await new Promise<void>((resolve) => (whenIdle = resolve));
      // NOTE: not awaited: an async source may be blocked in next() and would hold us here.
      if (!sourceDone) Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}
