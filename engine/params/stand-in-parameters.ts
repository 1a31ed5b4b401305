/**
 * Values for the parameters a graph declares without a default, for loading a graph only to
 * look at it (pictures, the server's graph catalog): the real values arrive with a run.
 *
 * NOTE: a string stand-in is shaped like a URL because such a parameter is most often a base URL
 * (which components check when the graph loads) or a path (which nothing checks before a run).
 */
import type { ParameterScalar } from './parameter-types.ts';

export const STRING_STAND_IN = 'http://placeholder.invalid';

/** What a stand-in needs to know of a declared parameter. */
export interface DeclaredParameter {
  readonly name: string;
  readonly default?: unknown;
  readonly type?: string | undefined;
}

export function standInParameters(declarations: Iterable<DeclaredParameter>): Record<string, ParameterScalar> {
  const values: Record<string, ParameterScalar> = {};
  for (const declaration of declarations) {
    if (declaration.default !== undefined) continue;
    values[declaration.name] = declaration.type === 'integer' || declaration.type === 'number' ? 1 : declaration.type === 'boolean' ? false : STRING_STAND_IN;
  }
  return values;
}
