/**
 * Runs an async task per input with up to `concurrency` tasks at once (p-queue) and hands the
 * results back in input order (`ordered`, the default) or as they complete.
 *
 * Memory is bounded: at most `maxInFlight` inputs are taken from the source and not yet handed
 * back (running, queued, or finished and waiting for an earlier one in ordered mode). When that
 * many are out, the source is not read any further until the consumer takes a result — the
 * backpressure reaches the caller's input. Results are handed back as soon as they are ready,
 * even while the source is slow to give the next input.
 *
 * ```
 *  source ──pull (≤ maxInFlight out)──> p-queue (≤ concurrency running) ──> slots ──yield──> consumer
 *  ordered slots: a ring indexed by input index % maxInFlight; `#next` is the one to yield
 * ```
 *
 * The first task failure aborts the others (through the signal each task receives), waits for
 * them to settle and is thrown. Breaking out of the loop early does the same, quietly.
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';

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
  inputs: Iterable<I> | AsyncIterable<I>,
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
  const queue = new PQueue({ concurrency });

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

  const iterator: Iterator<I> | AsyncIterator<I> =
    Symbol.asyncIterator in inputs ? (inputs as AsyncIterable<I>)[Symbol.asyncIterator]() : (inputs as Iterable<I>)[Symbol.iterator]();
  let sourceDone = false;
  let pulling = false;

  const settle = (index: number, result: Settled<O>): void => {
    if (!result.ok && failure === undefined) {
      failure = { error: result.error };
      controller.abort(result.error);
    }
    if (ordered) slots[index % maxInFlight] = result;
    else completed.push(result);
    notify();
  };

  const start = (input: I): void => {
    const index = nextIndex++;
    inFlight++;
    queue
      // NOTE: p-queue's own `signal` option leaves one abort listener per task on the signal
      // (never removed); over a long stream that is a leak. A queued task checks it instead.
      .add(() => (controller.signal.aborted ? Promise.reject(controller.signal.reason) : task(input, index, controller.signal)))
      .then(
        (value) => settle(index, { ok: true, value: value as O }),
        (error: unknown) => settle(index, { ok: false, error }),
      );
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
      await queue.onIdle();
      // NOTE: not awaited: an async source may be blocked in next() and would hold us here.
      if (!sourceDone) Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}
