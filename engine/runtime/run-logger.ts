/**
 * Logging (SPEC §8): pino, JSON lines, one child logger per component with `runId`, `graph`,
 * `component` and `phase`; human-readable when the output is a terminal. Every line passes
 * through the run's redactor before it is written, so a secure value never reaches a log.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface RunLogOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Write JSON lines to this file instead of stderr. */
  file?: string;
  /** Human-readable output; default: when stderr is a terminal and no file is given. */
  pretty?: boolean;
  /** Any writable stream (tests); takes precedence over `file`. */
  stream?: NodeJS.WritableStream;
}

export function createRunLogger(options: RunLogOptions, redact: (text: string) => string, base: Record<string, unknown>): Logger {
  const level = options.level ?? 'info';
  if (level === 'silent') return pino({ level: 'silent' });
  let destination: NodeJS.WritableStream;
  if (options.stream) destination = options.stream;
  else if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    destination = createWriteStream(options.file, { flags: 'a' });
  } else if (options.pretty ?? process.stderr.isTTY) {
    // pino-pretty is loaded only for terminals: it is sizeable and most runs log JSON.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    destination = pretty({ colorize: process.stderr.isTTY, destination: 2, sync: true, ignore: 'pid,hostname,runId,graph' });
  } else destination = process.stderr;
  return pino(
    {
      level,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      // NOTE: redaction by value, not by key: a token can end up in any message or field.
      hooks: { streamWrite: redact },
    },
    destination,
  );
}
