/**
 * `trefoil` command dispatch (SPEC §8). Exit status: 0 success, 1 run failed, 2 invalid graph
 * or usage, 130 interrupted. Users see one clear line per problem, never a stack trace
 * (set TREFOIL_DEBUG=1 to get one).
 */
import { isTrefoilError } from '../errors/trefoil-error.ts';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import { UsageError } from './usage-error.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
export const EXIT_INTERRUPTED = 130;

const USAGE = `Usage: trefoil <command> [options]

Commands:
  run GRAPH [-P NAME=VALUE]... [--params FILE]... [-D NAME=VALUE]...
            [--tracking FILE] [--log-level LEVEL] [--log FILE] [--json]
                                 Run a graph
  validate GRAPH...              Check graphs without running them
  components [TYPE]              List component types, or document one
  render GRAPH [--format svg|dot|mermaid] [-o FILE] [--tracking FILE]
                                 Draw a graph
  params set FILE NAME [--secure]
                                 Store a parameter (value from standard input)
  serve [--config FILE] [--dry-run]
                                 Run the server: schedules, file listeners, HTTP API and web UI
  gen                            Regenerate schemas/ and the README reference (maintainers)

Exit status: 0 success, 1 run failed, 2 invalid graph or usage, 130 interrupted.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  // Each command is imported when used, so start-up loads only what that command needs.
  run: async () => (await import('./run-command.ts')).runCommand,
  validate: async () => (await import('./validate-command.ts')).validateCommand,
  components: async () => (await import('./components-command.ts')).componentsCommand,
  params: async () => (await import('./params-command.ts')).paramsCommand,
  gen: async () => (await import('./gen-command.ts')).genCommand,
  render: async () => (await import('./render-command.ts')).renderCommand,
  serve: async () => (await import('./serve-command.ts')).serveCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? EXIT_INVALID : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    process.stdout.write(`${pkg.version}\n`);
    return EXIT_OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`trefoil: unknown command ${name}\n\n${USAGE}\n`);
    return EXIT_INVALID;
  }
  try {
    return await (await load())(args);
  } catch (error) {
    return reportFatal(error);
  }
}

/** Prints an error the user can act on; exit status by kind. */
export function reportFatal(error: unknown): number {
  if (error instanceof GraphValidationError) {
    for (const problem of error.problems) process.stderr.write(formatProblem(problem) + '\n');
    return EXIT_INVALID;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`trefoil: ${error.message}\n`);
    return EXIT_INVALID;
  }
  if (isTrefoilError(error)) {
    process.stderr.write(`trefoil: ${error.code} ${error.message}\n`);
    if (process.env.TREFOIL_DEBUG) process.stderr.write(`${error.stack}\n`);
    return error.code.startsWith('TREFOIL_ERR_PARAMS') || error.code.startsWith('TREFOIL_ERR_GRAPH') ? EXIT_INVALID : EXIT_FAILED;
  }
  process.stderr.write(`trefoil: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.TREFOIL_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  return EXIT_FAILED;
}
