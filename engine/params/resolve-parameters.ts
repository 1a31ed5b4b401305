/**
 * Resolution of a run's parameters (SPEC §4): which source gives each parameter its value,
 * references between parameter values, typed conversion, required parameters.
 *
 * Precedence, highest first:
 *
 * 1. `parameters` — `-P NAME=VALUE` on the command line, `parameters` in the library call, and
 *    the parameters a trigger adds (the server passes those here so they beat graph defaults);
 * 2. `paramsFiles` — `--params FILE` files, a later file winning over an earlier one;
 * 3. the graph's declared defaults;
 * 4. `builtIns` — GRAPH_DIR, PROJECT_DIR, RUN_ID, TMP_DIR, supplied by the caller;
 * 5. `environment` — a variable of the same name.
 *
 * NOTE: built-ins rank below the user's sources because CloverDX's PROJECT_DIR is an ordinary
 * parameter users override (workspace.prm), and above the environment so an exported TMP_DIR
 * does not replace the run's own temporary directory.
 *
 * String values from `parameters`, params files and defaults may refer to other parameters
 * (`OUT: ${BASE}/out`) and may be `enc:v1:` secure values. Built-ins and environment variables
 * are taken verbatim. A value that embeds a secure value is secure itself.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import { convertParameterValue } from './convert-parameter-value.ts';
import { readParameterDeclarations, type ParameterDeclaration } from './parameter-declarations.ts';
import { expandReferences, splitReferences } from './parameter-references.ts';
import {
  PARAMETER_FAILED,
  PARAMETER_NAME,
  type ParameterLookup,
  type ParameterOrigin,
  type ParameterScalar,
  type ParameterValue,
  type ParamsProblem,
  type TreePath,
} from './parameter-types.ts';
import type { ParamsFile } from './params-file.ts';
import { decryptSecureValue, isSecureValue } from './secure-value.ts';

/** The sources parameters take their values from; all optional. */
export interface ParameterSources {
  /** `-P` values (text) or library `parameters` (typed values kept). Highest precedence. */
  readonly parameters?: Readonly<Record<string, ParameterScalar>>;
  /**
   * `--params` files as read by `readParamsFile`, in command-line order. Their own problems
   * (`ParamsFile.problems`) are the caller's to report; they are not repeated in the resolution.
   */
  readonly paramsFiles?: readonly ParamsFile[];
  /** GRAPH_DIR, PROJECT_DIR, RUN_ID, TMP_DIR. */
  readonly builtIns?: Readonly<Record<string, string>>;
  /** Usually `process.env`; omitted means no environment fallback. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** For `enc:v1:` values in `parameters` and defaults (params files are decrypted when read). */
  readonly masterPassword?: string | undefined;
  /**
   * Path of the `parameters:` section in the graph tree, for problem paths.
   * @default ['parameters']
   */
  readonly declaredAt?: TreePath;
}

/** A parameter with its final value. */
export interface ResolvedParameter extends ParameterValue {
  readonly text: string;
  readonly origin: ParameterOrigin;
}

/** What {@link resolveParameters} produces. */
export interface ParameterResolution {
  /**
   * Every parameter that has a value: all declared ones and all given by `parameters`, params
   * files and built-ins (declared first, in order), plus environment variables once looked up.
   * Failed and missing parameters are absent.
   */
  readonly values: ReadonlyMap<string, ResolvedParameter>;
  /** The lookup to pass to `substituteParameters`; falls back to the environment for any name. */
  readonly lookup: ParameterLookup;
  /** Declaration, type, reference, cycle, decryption and required problems. */
  readonly problems: ParamsProblem[];
  /** The text of every secure value resolved, for the run's Redactor. */
  readonly secrets: ReadonlySet<string>;
  readonly declarations: ReadonlyMap<string, ParameterDeclaration>;
}

/** A value offered by one source, before expansion and conversion. */
interface Candidate {
  readonly origin: ParameterOrigin;
  /** `undefined` for a params-file entry that failed to read. */
  readonly value: ParameterScalar | undefined;
  readonly text: string | undefined;
  readonly secure: boolean;
  /** How messages name the source. */
  readonly label: string;
  readonly location: Pick<ParamsProblem, 'path' | 'file' | 'line' | 'column'>;
}

const RESOLVING = Symbol('resolving');
const MISSING = Symbol('missing');
type MemoState = ResolvedParameter | typeof PARAMETER_FAILED | typeof RESOLVING | typeof MISSING;

/**
 * Resolves the parameters declared by a graph (`declared` = its parsed `parameters:` value)
 * against `sources`. Never throws for bad values: everything wrong is in `problems`, all of it
 * collected in one pass.
 */
export function resolveParameters(declared: unknown, sources: ParameterSources = {}): ParameterResolution {
  const { declarations, problems } = readParameterDeclarations(declared, sources.declaredAt ?? ['parameters']);
  const given = sources.parameters ?? {};
  const files = sources.paramsFiles ?? [];
  const builtIns = sources.builtIns ?? {};
  const environment = sources.environment ?? {};
  const memo = new Map<string, MemoState>();
  const values = new Map<string, ResolvedParameter>();
  const secrets = new Set<string>();
  const stack: string[] = [];

  function candidateFor(name: string): Candidate | undefined {
    const declaration = declarations.get(name);
    const declarationLocation = declaration === undefined ? {} : { path: declaration.path };
    if (Object.hasOwn(given, name)) {
      const value = given[name]!;
      return { origin: 'parameters', value, text: undefined, secure: false, label: `-P ${name}`, location: declarationLocation };
    }
    for (let index = files.length - 1; index >= 0; index--) {
      const paramsFile = files[index]!;
      // NOTE: the last entry of a name wins inside a file too (YAML forbids duplicates anyway).
      const entry = paramsFile.entries.findLast((candidate) => candidate.name === name);
      if (entry !== undefined) {
        return {
          origin: 'paramsFile',
          value: entry.value,
          text: entry.text,
          secure: entry.secure,
          label: `params file ${paramsFile.file}`,
          location: { file: entry.file, line: entry.line, column: entry.column },
        };
      }
    }
    if (declaration?.default !== undefined) {
      return { origin: 'default', value: declaration.default, text: undefined, secure: false, label: 'the default', location: { path: declaration.defaultPath } };
    }
    if (Object.hasOwn(builtIns, name)) {
      return { origin: 'builtIn', value: builtIns[name]!, text: undefined, secure: false, label: `built-in ${name}`, location: declarationLocation };
    }
    const variable = Object.hasOwn(environment, name) ? environment[name] : undefined;
    if (variable !== undefined) {
      return { origin: 'environment', value: variable, text: undefined, secure: false, label: `environment variable ${name}`, location: declarationLocation };
    }
    return undefined;
  }

  function resolveName(name: string): ResolvedParameter | typeof PARAMETER_FAILED | undefined {
    const state = memo.get(name);
    if (state === RESOLVING) {
      reportCycle(name);
      return PARAMETER_FAILED;
    }
    if (state === MISSING) return undefined;
    if (state !== undefined) return state;
    memo.set(name, RESOLVING);
    stack.push(name);
    const candidate = candidateFor(name);
    const result = candidate === undefined ? undefined : evaluate(name, candidate);
    stack.pop();
    memo.set(name, result ?? MISSING);
    if (result !== undefined && result !== PARAMETER_FAILED) {
      values.set(name, result);
      if (result.secure) secrets.add(result.text);
    }
    return result;
  }

  function reportCycle(name: string): void {
    const cycle = [...stack.slice(stack.indexOf(name)), name];
    const closing = candidateFor(stack[stack.length - 1]!);
    problems.push({
      code: 'TREFOIL_ERR_PARAMS_CYCLE',
      message: `parameters refer to each other in a cycle: ${cycle.join(' → ')}`,
      ...closing?.location,
    });
  }

  function evaluate(name: string, candidate: Candidate): ResolvedParameter | typeof PARAMETER_FAILED {
    if (candidate.value === undefined) return PARAMETER_FAILED; // its params-file problem is already reported
    const declaration = declarations.get(name);
    let value: ParameterScalar = candidate.value;
    let text = candidate.text;
    let secure = candidate.secure || declaration?.secure === true;
    const verbatim = candidate.origin === 'builtIn' || candidate.origin === 'environment' || candidate.secure;

    if (typeof value === 'string' && !verbatim) {
      if (isSecureValue(value)) {
        try {
          value = decryptSecureValue(value, sources.masterPassword);
        } catch (error) {
          if (!(error instanceof TrefoilError)) throw error;
          problems.push({ code: error.code, message: `${name} (${candidate.label}): ${error.message}`, ...candidate.location });
          return PARAMETER_FAILED;
        }
        text = value;
        secure = true;
      } else {
        const parts = splitReferences(value);
        if (parts !== undefined) {
          const expanded = expandReferences(parts, lookup, {
            missing(missingName) {
              problems.push({
                code: 'TREFOIL_ERR_PARAMS_UNKNOWN',
                message: `unknown parameter \${${missingName}} in the value of ${name} (${candidate.label})`,
                ...candidate.location,
              });
            },
            secret() {
              secure = true;
            },
          });
          if (expanded === PARAMETER_FAILED) return PARAMETER_FAILED;
          value = expanded;
          // A whole-value reference also takes the referenced text (`1.50`, not `1.5`).
          const whole = parts.length === 1 && typeof parts[0] !== 'string' ? resolveName(parts[0]!.name) : undefined;
          text = typeof whole === 'object' ? whole.text : undefined;
        }
      }
    }
    text ??= String(value);

    if (declaration?.type !== undefined) {
      const converted = convertParameterValue(value, text, declaration.type);
      if (converted === undefined) {
        const shown = secure ? 'a value' : JSON.stringify(text);
        problems.push({
          code: 'TREFOIL_ERR_PARAMS_TYPE',
          message: `parameter ${name} is declared ${declaration.type}, but ${candidate.label} gives ${shown}, which is not ${article(declaration.type)}`,
          ...candidate.location,
        });
        return PARAMETER_FAILED;
      }
      value = converted;
      if (declaration.type === 'string') text = converted as string;
    }
    return { value, text, secure, origin: candidate.origin };
  }

  // A required parameter without a value is reported once, where it is declared; references
  // to it then count as failed rather than adding an "unknown parameter" problem each.
  const missingRequired = new Set<string>();
  const lookup: ParameterLookup = (name) => {
    const result = resolveName(name);
    return result === undefined && missingRequired.has(name) ? PARAMETER_FAILED : result;
  };

  for (const name of Object.keys(given)) {
    if (!PARAMETER_NAME.test(name)) {
      problems.push({
        code: 'TREFOIL_ERR_PARAMS_NAME_INVALID',
        message: `-P ${name}: invalid parameter name; use letters, digits and underscores, not starting with a digit`,
      });
    }
  }
  for (const declaration of declarations.values()) {
    const result = resolveName(declaration.name);
    if (declaration.required && (result === undefined || (result !== PARAMETER_FAILED && result.text === ''))) {
      missingRequired.add(declaration.name);
      problems.push({
        code: 'TREFOIL_ERR_PARAMS_REQUIRED',
        message: `parameter ${declaration.name} is required but has no value: pass -P ${declaration.name}=…, add it to a --params file, or set the environment variable ${declaration.name}`,
        path: declaration.path,
      });
    }
  }
  const givenNames = [...Object.keys(given), ...files.flatMap((file) => file.entries.map((entry) => entry.name)), ...Object.keys(builtIns)];
  for (const name of givenNames) if (PARAMETER_NAME.test(name)) resolveName(name);

  return { values, lookup, problems, secrets, declarations };
}

function article(type: string): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}
