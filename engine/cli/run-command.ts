/**
 * `trefoil run GRAPH [-P NAME=VALUE]… [--params FILE]… [-D NAME=VALUE]… [--tracking FILE]
 * [--log-level LEVEL] [--log FILE] [--json]`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadGraph, runPlan } from '../run-graph.ts';
import type { LogLevel } from '../runtime/run-logger.ts';
import type { RunTracker } from '../runtime/tracking.ts';
import { parseOptions, parsePairs } from './cli-options.ts';
import { formatTrackingTable } from './tracking-table.ts';
import { UsageError } from './usage-error.ts';

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
/** The live view appears only for runs longer than this, so short runs print once. */
const LIVE_VIEW_DELAY_MS = 1000;
const LIVE_VIEW_INTERVAL_MS = 500;

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    param: { type: 'string', short: 'P', multiple: true },
    params: { type: 'string', multiple: true },
    dict: { type: 'string', short: 'D', multiple: true },
    tracking: { type: 'string' },
    'log-level': { type: 'string' },
    log: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('run takes exactly one graph: trefoil run GRAPH [options]');
  const level = (values['log-level'] ?? (values.log ? 'info' : 'warn')) as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);

  const runId = randomUUID();
  const plan = await loadGraph(positionals[0]!, {
    parameters: parsePairs(values.param, '-P'),
    params: values.params ?? [],
    runId,
  });

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ntrefoil: interrupted, stopping the run (press Ctrl+C again to exit at once)\n');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const live = new LiveView();
  try {
    const result = await runPlan(plan, {
      runId,
      dictionary: parsePairs(values.dict, '-D'),
      signal: controller.signal,
      log: { level, ...(values.log ? { file: values.log } : {}) },
      onStart: (tracker) => live.start(tracker),
    });
    live.stop();
    if (values.tracking) {
      mkdirSync(dirname(values.tracking), { recursive: true });
      writeFileSync(values.tracking, JSON.stringify(result.tracking, null, 2) + '\n');
    }
    process.stderr.write(formatTrackingTable(result.tracking));
    if (values.json) process.stdout.write(JSON.stringify(result, jsonReplacer, 2) + '\n');
    if (result.status === 'FINISHED_OK') return 0;
    if (result.error) process.stderr.write(`trefoil: ${result.status} ${result.error.code} ${result.error.message}\n`);
    return result.status === 'ABORTED' ? 130 : 1;
  } finally {
    live.stop();
    process.off('SIGINT', onSigint);
  }
}

/** bigint and Decimal values in the dictionary print as exact text. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Redraws the tracking table in place on a terminal while a run is long. */
class LiveView {
  #timer: NodeJS.Timeout | undefined;
  #lines = 0;

  start(tracker: RunTracker): void {
    if (!process.stderr.isTTY) return;
    this.#timer = setTimeout(() => {
      this.#timer = setInterval(() => this.#draw(tracker), LIVE_VIEW_INTERVAL_MS);
      this.#draw(tracker);
    }, LIVE_VIEW_DELAY_MS);
  }

  #draw(tracker: RunTracker): void {
    const text = formatTrackingTable(tracker.snapshot());
    const clear = this.#lines > 0 ? `\x1b[${this.#lines}A\x1b[J` : '';
    process.stderr.write(clear + text);
    this.#lines = text.split('\n').length - 1;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lines > 0) process.stderr.write(`\x1b[${this.#lines}A\x1b[J`);
    this.#lines = 0;
  }
}
