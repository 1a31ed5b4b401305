/**
 * A graph's `parameters:` section (SPEC §1, §4) read into declarations:
 *
 * ```yaml
 * parameters:
 *   IN_FILE: data/orders.csv                         # short form: the default
 *   LIMIT: { default: 100, type: integer }
 *   API_TOKEN: { secure: true, required: true, description: … }
 *   LATER:                                           # declared, no default
 * ```
 */
import { PARAMETER_TYPES, typeOfDefault } from './convert-parameter-value.ts';
import { PARAMETER_NAME, type ParameterScalar, type ParameterType, type ParamsProblem, type TreePath } from './parameter-types.ts';

/** One declared parameter. */
export interface ParameterDeclaration {
  readonly name: string;
  /** The graph's default; `undefined` when there is none (`NAME:` with no value, or no `default:`). */
  readonly default: ParameterScalar | undefined;
  readonly description: string | undefined;
  /**
   * The type values convert to: `type:` when given, else that of a number or boolean default,
   * else `undefined` (the value keeps its own type: text from -P, YAML types from files).
   */
  readonly type: ParameterType | undefined;
  readonly secure: boolean;
  readonly required: boolean;
  /** Path of the declaration in the graph tree. */
  readonly path: TreePath;
  /** Path of the default value (the declaration itself in the short form). */
  readonly defaultPath: TreePath;
}

/** What {@link readParameterDeclarations} produces. */
export interface ParameterDeclarations {
  /** In declaration order. Malformed declarations are left out (their problem is reported). */
  readonly declarations: ReadonlyMap<string, ParameterDeclaration>;
  readonly problems: ParamsProblem[];
}

const LONG_FORM_KEYS: ReadonlySet<string> = new Set(['default', 'description', 'type', 'secure', 'required']);

/**
 * Reads the parsed `parameters:` value (a plain object, or undefined/null for none). `at` is its
 * path in the graph tree, used for problem paths.
 */
export function readParameterDeclarations(declared: unknown, at: TreePath = ['parameters']): ParameterDeclarations {
  const declarations = new Map<string, ParameterDeclaration>();
  const problems: ParamsProblem[] = [];
  if (declared === undefined || declared === null) return { declarations, problems };
  if (!isRecord(declared)) {
    problems.push(declarationProblem([...at], '`parameters` must be a map of NAME: default or NAME: { default, type, … }'));
    return { declarations, problems };
  }
  for (const [name, form] of Object.entries(declared)) {
    const path = [...at, name];
    if (!PARAMETER_NAME.test(name)) {
      problems.push({
        code: 'TREFOIL_ERR_PARAMS_NAME_INVALID',
        message: `invalid parameter name ${JSON.stringify(name)}: use letters, digits and underscores, not starting with a digit`,
        path,
      });
      continue;
    }
    const declaration = isRecord(form) ? readLongForm(name, form, path, problems) : readShortForm(name, form, path, problems);
    if (declaration !== undefined) declarations.set(name, declaration);
  }
  return { declarations, problems };
}

function readShortForm(name: string, form: unknown, path: TreePath, problems: ParamsProblem[]): ParameterDeclaration | undefined {
  const value = toScalar(form);
  if (value === INVALID) {
    problems.push(declarationProblem(path, `parameter ${name}: a default must be a string, number or boolean; use { default, type, … } for options`));
    return undefined;
  }
  return {
    name,
    default: value,
    description: undefined,
    type: value === undefined ? undefined : typeOfDefault(value),
    secure: false,
    required: false,
    path,
    defaultPath: path,
  };
}

function readLongForm(name: string, form: Record<string, unknown>, path: TreePath, problems: ParamsProblem[]): ParameterDeclaration | undefined {
  const before = problems.length;
  for (const key of Object.keys(form)) {
    if (!LONG_FORM_KEYS.has(key)) {
      problems.push(declarationProblem([...path, key], `parameter ${name}: unknown option "${key}" (allowed: ${[...LONG_FORM_KEYS].join(', ')})`));
    }
  }
  const value = toScalar(form.default);
  if (value === INVALID) problems.push(declarationProblem([...path, 'default'], `parameter ${name}: default must be a string, number or boolean`));
  const { description, type, secure, required } = form;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    problems.push(declarationProblem([...path, 'description'], `parameter ${name}: description must be text`));
  }
  if (type !== undefined && (typeof type !== 'string' || !PARAMETER_TYPES.has(type))) {
    problems.push(declarationProblem([...path, 'type'], `parameter ${name}: type must be one of ${[...PARAMETER_TYPES].join(', ')}`));
  }
  for (const [flag, flagValue] of [['secure', secure], ['required', required]] as const) {
    if (flagValue !== undefined && typeof flagValue !== 'boolean') {
      problems.push(declarationProblem([...path, flag], `parameter ${name}: ${flag} must be true or false`));
    }
  }
  if (problems.length > before || value === INVALID) return undefined;
  const declaredType = type as ParameterType | undefined;
  return {
    name,
    default: value,
    description: typeof description === 'string' ? description : undefined,
    type: declaredType ?? (value === undefined ? undefined : typeOfDefault(value)),
    secure: secure === true,
    required: required === true,
    path,
    defaultPath: [...path, 'default'],
  };
}

const INVALID = Symbol('invalid');

/** A default as a scalar; `undefined` for none; bigint (from `intAsBigInt` parsing) kept exact. */
function toScalar(value: unknown): ParameterScalar | undefined | typeof INVALID {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return INVALID;
}

function declarationProblem(path: TreePath, message: string): ParamsProblem {
  return { code: 'TREFOIL_ERR_PARAMS_DECLARATION', message, path };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
