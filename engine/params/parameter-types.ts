/**
 * The shapes shared by the parameter modules: values, the lookup substitution uses, and the
 * problems they report for the loader to print as `FILE:LINE:COL CODE message`.
 */
import type { ErrorCode } from '../errors/registry.ts';

/** A parameter's typed value. YAML scalars keep their type; `null` means "no value" and never appears here. */
export type ParameterScalar = string | number | boolean;

/** The declared types a parameter may have (`type:` in its long form). */
export type ParameterType = 'string' | 'integer' | 'number' | 'boolean';

/** Where a parameter's value came from, highest precedence first. */
export type ParameterOrigin = 'parameters' | 'paramsFile' | 'default' | 'builtIn' | 'environment';

/** What a lookup returns for a parameter that has a value. */
export interface ParameterValue {
  /** The typed value; a whole-scalar `${NAME}` takes exactly this. */
  readonly value: ParameterScalar;
  /**
   * The value as text, spliced into longer strings. Defaults to `String(value)`; a params file
   * keeps the source text (`1.50` stays `1.50`, a 20-digit integer keeps every digit).
   */
  readonly text?: string;
  /** A secret: its text goes to the Redactor and never into messages. */
  readonly secure: boolean;
}

/**
 * Returned by a lookup for a parameter that exists but whose value failed (a wrong master
 * password, a type error, a cycle): its problem was already reported, so references to it add
 * no second problem.
 */
export const PARAMETER_FAILED: unique symbol = Symbol('trefoil.parameterFailed');

/** Looks a parameter up by name; `undefined` when no source gives it a value. */
export type ParameterLookup = (name: string) => ParameterValue | typeof PARAMETER_FAILED | undefined;

/** A step into a parsed YAML tree: a map key or a sequence index. */
export type TreePath = readonly (string | number)[];

/**
 * A problem found in parameters. Exactly one way of locating it is set: `path` for a node of the
 * graph tree (the loader maps it to FILE:LINE:COL), `file`/`line`/`column` for a params file, or
 * neither for a value from `-P` or the environment (the message names it).
 */
export interface ParamsProblem {
  readonly code: ErrorCode;
  /** One line; never contains a secure value. */
  readonly message: string;
  readonly path?: TreePath;
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

/** The name grammar of parameters and of `${NAME}` references. */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The text a value is spliced in as: its `text`, else its value as a string. */
export function parameterText(parameter: ParameterValue): string {
  return parameter.text ?? String(parameter.value);
}
