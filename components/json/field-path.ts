/**
 * A JSONExtract field path: an RFC 9535 query evaluated relative to a match (`$` is the match),
 * compiled once. Singular queries (names and indices only: `$.customer.name`, `$['.tag']`,
 * `$.items[0]`, `$`) read one value by walking the match directly, with no nodelist built;
 * any other query (`$.tags[*]`, `$..id`, `$.items[?@.qty > 1]`) returns its nodelist values.
 */
import { isSingularQuery, type JsonPathQuery } from './jsonpath/ast.ts';
import { evaluate } from './jsonpath/evaluate.ts';
import { parseJsonPath } from './jsonpath/parse-json-path.ts';
import { isJsonObject, type JsonValue } from './json-value.ts';

/** One step of a singular query. */
type Step = { readonly name: string } | { readonly index: number };

export interface FieldPath {
  /** The query as written. */
  readonly text: string;
  /** True when the query selects at most one node (then use `read`), else use `values`. */
  readonly singular: boolean;
  /**
   * The member of the match the query starts with (`id` for `$.id` and `$.id.x`), or null when
   * it may read anything else of the match (`$`, `$[0]`, `$.*`, `$..id`).
   */
  readonly firstName: string | null;
  /** Singular queries: the selected value, or undefined when the match has no such node. */
  read(match: JsonValue): JsonValue | undefined;
  /** Every value the query selects from the match, in RFC 9535 nodelist order. */
  values(match: JsonValue): JsonValue[];
}

/**
 * Compiles a field path.
 * @throws JsonPathSyntaxError (`TREFOIL_ERR_JSON_PATH_INVALID`) for a query that is not RFC 9535
 */
export function compileFieldPath(text: string): FieldPath {
  const query = parseJsonPath(text);
  if (!isSingularQuery(query)) {
    const first = query.segments[0];
    const firstName = first !== undefined && !first.descendant && first.selectors.every((s) => s.kind === 'name') && first.selectors.length === 1 ? (first.selectors[0] as { name: string }).name : null;
    return {
      text,
      singular: false,
      firstName,
      read: () => undefined,
      values: (match) => evaluate(query, match).map((node) => node.value),
    };
  }
  const steps = stepsOf(query);
  const read = steps.length === 0 ? (match: JsonValue) => match : steps.length === 1 ? oneStep(steps[0]!) : (match: JsonValue) => walk(steps, match);
  const first = steps[0];
  return {
    text,
    singular: true,
    firstName: first !== undefined && 'name' in first ? first.name : null,
    read,
    values: (match) => {
      const value = read(match);
      return value === undefined ? [] : [value];
    },
  };
}

function stepsOf(query: JsonPathQuery): Step[] {
  return query.segments.map((segment) => {
    const selector = segment.selectors[0]!;
    return selector.kind === 'name' ? { name: selector.name } : { index: (selector as { index: number }).index };
  });
}

const hasOwn = Object.prototype.hasOwnProperty;

function stepInto(value: JsonValue | undefined, step: Step): JsonValue | undefined {
  if ('name' in step) {
    return value !== undefined && value !== null && typeof value === 'object' && isJsonObject(value) && hasOwn.call(value, step.name) ? value[step.name] : undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const index = step.index < 0 ? value.length + step.index : step.index;
  return index >= 0 && index < value.length ? value[index] : undefined;
}

/** NOTE: the common one-name path (`$.id`) gets its own closure: one own-property test and one load per record. */
function oneStep(step: Step): (match: JsonValue) => JsonValue | undefined {
  if (!('name' in step)) return (match) => stepInto(match, step);
  const name = step.name;
  return (match) => (match !== null && typeof match === 'object' && isJsonObject(match) && hasOwn.call(match, name) ? match[name] : undefined);
}

function walk(steps: readonly Step[], match: JsonValue): JsonValue | undefined {
  let value: JsonValue | undefined = match;
  for (let k = 0; k < steps.length && value !== undefined; k++) value = stepInto(value, steps[k]!);
  return value;
}
