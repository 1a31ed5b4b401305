/**
 * Shared option parsing for the commands: node:util parseArgs with repeated options and
 * `NAME=VALUE` pairs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `NAME=VALUE` pairs into a map; a missing `=` is a usage error naming the flag. */
export function parsePairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new UsageError(`${flag} takes NAME=VALUE, got ${JSON.stringify(value)}`);
    pairs[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return pairs;
}
