/**
 * `trefoil serve [--config FILE] [--dry-run] [--log-level LEVEL] [--log FILE]` (SPEC §9): runs
 * the server (schedules, file listeners, run history, HTTP API) until SIGTERM or SIGINT. The
 * first signal stops gracefully (running runs may finish, up to the shutdown timeout); a second
 * aborts the running runs; a third exits at once.
 *
 * `--dry-run` validates the config and every graph a schedule or listener runs (with sample
 * event parameters), prints each schedule's next 5 fire times and each listener, and exits:
 * 0 when all is valid, 2 otherwise.
 *
 * Internal: `trefoil serve --run-worker` is the process the server forks for each run
 * (engine/server/run-worker.ts); it needs the server's IPC channel.
 */
import { join, relative } from 'node:path';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import { loadGraph } from '../run-graph.ts';
import { createRunLogger, type LogLevel } from '../runtime/run-logger.ts';
import { runWorker } from '../server/run-worker.ts';
import { RUN_WORKER_FLAG } from '../server/run-worker-protocol.ts';
import { nextFireTimes, scheduleEventParameters } from '../server/schedule.ts';
import { loadServerConfig, resolveServerToken, ServerConfigError, type ServerConfig, type TriggerConfig } from '../server/server-config.ts';
import { TrefoilServer } from '../server/trefoil-server.ts';
import { expandTriggerParameters } from '../server/trigger-parameters.ts';
import { parseOptions } from './cli-options.ts';
import { UsageError } from './usage-error.ts';

/** The config file `trefoil serve` reads when `--config` is not given. */
export const DEFAULT_SERVER_CONFIG = 'trefoil.server.yaml';
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const DRY_RUN_FIRE_TIMES = 5;

export async function serveCommand(args: string[]): Promise<number> {
  if (args[0] === RUN_WORKER_FLAG) {
    if (typeof process.send !== 'function') throw new UsageError(`${RUN_WORKER_FLAG} is internal: the server starts such processes itself`);
    return runWorker();
  }
  const { values, positionals } = parseOptions(args, {
    config: { type: 'string', short: 'c', default: DEFAULT_SERVER_CONFIG },
    'dry-run': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    log: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got ${positionals.join(' ')}); use --config FILE`);
  const level = values['log-level'] as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);

  let config: ServerConfig;
  try {
    config = loadServerConfig(values.config!);
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(formatProblem(problem) + '\n');
    return 2;
  }
  if (values['dry-run']) return dryRun(config);

  const logger = createRunLogger({ level, ...(values.log === undefined ? {} : { file: values.log }) }, (text) => text, { name: 'trefoil-server' });
  const server = await TrefoilServer.start({ config, logger });
  process.stdout.write(`trefoil server listening on ${server.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    let signals = 0;
    const onSignal = (received: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        process.stderr.write(`\ntrefoil: ${received}: stopping (running runs may finish; send it again to abort them)\n`);
        void server.stop().then(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(received);
        });
      } else if (signals === 2) {
        process.stderr.write('trefoil: aborting the running runs (once more exits at once)\n');
        server.abortAllRuns();
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return signal === 'SIGINT' ? 130 : 0;
}

/** Validates the config's graphs and prints what the server would do. */
async function dryRun(config: ServerConfig): Promise<number> {
  const out = (line = ''): void => void process.stdout.write(line + '\n');
  const shown = (file: string): string => {
    const inside = relative(process.cwd(), file);
    return inside.startsWith('..') ? file : inside;
  };
  const now = new Date();
  let invalid = 0;
  const validate = async (trigger: TriggerConfig, eventParameters: Record<string, string | undefined>): Promise<void> => {
    const parameters = expandTriggerParameters(trigger.parameters, eventParameters);
    try {
      await loadGraph(trigger.graph, { parameters: parameters as Record<string, string | number | boolean> });
      out(`    graph ${shown(trigger.graph)}: valid`);
    } catch (error) {
      if (!(error instanceof GraphValidationError)) throw error;
      invalid++;
      out(`    graph ${shown(trigger.graph)}: INVALID`);
      for (const problem of error.problems) process.stderr.write(formatProblem(problem) + '\n');
    }
  };

  const { server } = config;
  out(`Config ${config.file}: valid`);
  out(`Server: http://${server.host}:${server.port}, data in ${shown(server.dataDir)}, at most ${server.maxConcurrentRuns} concurrent run(s)`);
  if (server.token === null) out('  no API token (server.token): the API would be read-only');
  else {
    try {
      resolveServerToken(server.token);
      out('  API token: resolves');
    } catch (error) {
      out(`  API token: ${(error as Error).message} (the server would not start)`);
    }
  }

  out();
  out(config.schedules.length === 0 ? 'Schedules: none' : 'Schedules:');
  for (const schedule of config.schedules) {
    out(`  ${schedule.id}: ${schedule.schedule.description}, overlap ${schedule.overlap}${schedule.enabled ? '' : ' (disabled)'}`);
    const times = nextFireTimes(schedule.schedule, DRY_RUN_FIRE_TIMES, now);
    for (const time of times) out(`    next ${time.toISOString()}`);
    if (times.length === 0) out('    never fires again');
    await validate(schedule, scheduleEventParameters(schedule.id, times[0] ?? now));
  }

  out();
  out(config.listeners.length === 0 ? 'Listeners: none' : 'Listeners:');
  for (const listener of config.listeners) {
    const options = listener.listener;
    out(
      `  ${listener.id}: ${shown(options.path)}${options.recursive ? ' (recursive)' : ''}, pattern ${options.pattern ?? '*'}, events ${(options.events ?? ['added']).join(', ')}, ` +
        `every ${options.intervalMs} ms, stable after ${options.stableChecks ?? 0} check(s)${options.group ? ', grouped' : ''}, overlap ${listener.overlap}${listener.enabled ? '' : ' (disabled)'}`,
    );
    const sample = join(options.path, 'example');
    await validate(
      listener,
      options.group
        ? { EVENT_FILE_URLS: sample, EVENT_FILE_EVENT_TYPE: 'APPEARANCE', EVENT_FILE_LISTENER_ID: listener.id }
        : { EVENT_FILE_PATH: sample, EVENT_FILE_NAME: 'example', EVENT_FILE_URLS: sample, EVENT_FILE_EVENT_TYPE: 'APPEARANCE', EVENT_FILE_LISTENER_ID: listener.id },
    );
  }
  out();
  out(invalid === 0 ? 'All graphs are valid.' : `${invalid} graph(s) are invalid.`);
  return invalid === 0 ? 0 : 2;
}
