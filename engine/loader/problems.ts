/**
 * Problems found while loading a graph: all of a file's problems are collected and reported at
 * once, one line each as `FILE:LINE:COL CODE message` (SPEC §1), sorted by position.
 */
import type { ErrorCode } from '../errors/registry.ts';
import { TrefoilError } from '../errors/trefoil-error.ts';

export type ProblemPath = readonly (string | number)[];

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export class Problems {
  readonly #list: Problem[] = [];
  readonly #seen = new Set<string>();

  add(problem: Problem): void {
    const key = `${problem.file}:${problem.line}:${problem.column}:${problem.code}:${problem.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#list.push(problem);
  }

  get count(): number {
    return this.#list.length;
  }

  get list(): Problem[] {
    return [...this.#list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }

  /** Throws a GraphValidationError when any problem was found. */
  throwIfAny(redact: (text: string) => string = (text) => text): void {
    if (this.#list.length > 0) throw new GraphValidationError(this.list.map((p) => ({ ...p, message: redact(p.message) })));
  }
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.code} ${problem.message}`;
}

/** An invalid graph: `problems` lists every positioned problem (SPEC §8 library contract). */
export class GraphValidationError extends TrefoilError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const first = problems[0]!;
    super(first.code, problems.map(formatProblem).join('\n'), { file: first.file, line: first.line, column: first.column });
    this.name = 'GraphValidationError';
    this.problems = problems;
  }
}
