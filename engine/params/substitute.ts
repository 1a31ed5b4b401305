/**
 * `${NAME}` substitution over a parsed YAML value tree (SPEC §4): the loader calls it on a graph's
 * tree, after the graph's parameters are resolved, before schema validation.
 */
import { expandReferences, splitReferences, type ExpansionSink } from './parameter-references.ts';
import { PARAMETER_FAILED, type ParameterLookup, type ParamsProblem, type TreePath } from './parameter-types.ts';

/** What {@link substituteParameters} produces. */
export interface SubstitutionResult {
  /**
   * The tree with every reference replaced. Unchanged subtrees are shared with the input, which
   * is never mutated; a string whose references fail is left as it was.
   */
  readonly tree: unknown;
  /** Every reference that resolves nowhere, with the path of the string holding it. */
  readonly problems: ParamsProblem[];
  /** The texts of the secure values that were substituted (for the run's Redactor). */
  readonly secretsUsed: Set<string>;
}

/** Options of {@link substituteParameters}. */
export interface SubstitutionOptions {
  /**
   * Path of `tree` inside the document, prefixed to every problem path.
   * @default []
   */
  readonly basePath?: TreePath;
}

/**
 * Replaces `${NAME}` references in every string value of `tree` (plain objects and arrays are
 * walked; map keys and non-string scalars are left alone). A string that is exactly `${NAME}`
 * takes the parameter's typed value; `$${` becomes `${`. All problems are collected.
 *
 * @example
 * substituteParameters({ file: '${DIR}/a.csv', limit: '${LIMIT}' }, lookup)
 * // → tree { file: 'out/a.csv', limit: 100 }
 */
export function substituteParameters(
  tree: unknown,
  lookup: ParameterLookup,
  options: SubstitutionOptions = {},
): SubstitutionResult {
  const problems: ParamsProblem[] = [];
  const secretsUsed = new Set<string>();
  const path: (string | number)[] = [...(options.basePath ?? [])];
  const sink: ExpansionSink = {
    missing(name) {
      problems.push({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', message: unknownParameterMessage(name), path: [...path] });
    },
    secret(text) {
      secretsUsed.add(text);
    },
  };

  function visit(value: unknown): unknown {
    if (typeof value === 'string') {
      const parts = splitReferences(value);
      if (parts === undefined) return value;
      const expanded = expandReferences(parts, lookup, sink);
      return expanded === PARAMETER_FAILED ? value : expanded;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        const item: unknown = value[index];
        const replaced = visit(item);
        path.pop();
        if (replaced !== item) {
          copy ??= value.slice();
          copy[index] = replaced;
        }
      }
      return copy ?? value;
    }
    if (isPlainObject(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(value)) {
        path.push(key);
        const item = value[key];
        const replaced = visit(item);
        path.pop();
        if (replaced !== item) {
          copy ??= { ...value };
          // NOTE: defineProperty, not assignment, so a YAML key named `__proto__` stays a key.
          Object.defineProperty(copy, key, { value: replaced, writable: true, enumerable: true, configurable: true });
        }
      }
      return copy ?? value;
    }
    return value;
  }

  return { tree: visit(tree), problems, secretsUsed };
}

/** The message for a reference that resolves nowhere. */
function unknownParameterMessage(name: string): string {
  return `unknown parameter \${${name}}: no -P value, params file entry, default or environment variable gives it a value`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
