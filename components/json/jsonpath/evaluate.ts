/**
 * Evaluates a parsed JSONPath query against an in-memory JSON value (RFC 9535 §2), producing
 * the nodelist in RFC order, duplicates included.
 *
 * Object members are visited in the value's own key order (`Object.keys`), which for a value
 * materialized by the JSON parser is document order, except that V8 lists integer-like names
 * (`"1"`, `"42"`) first in ascending order; RFC 9535 leaves member order unspecified. Descendant
 * segments visit nodes depth-first in pre-order without recursion, so any nesting depth works.
 */
import { isJsonObject, type JsonValue } from '../json-value.ts';
import type { Comparable, FunctionArgument, FunctionCall, JsonPathQuery, JsonPathSegment, JsonPathSelector, LogicalExpression } from './ast.ts';
import { jsonValueLessThan, jsonValuesEqual } from './compare-json-values.ts';
import type { FunctionArgumentValue, FunctionResult, JsonPathType } from './function-extensions.ts';
import { JsonPathNode } from './json-path-node.ts';
import { NOTHING, type ValueOrNothing } from './nothing.ts';
import { forEachSliceIndex } from './slice-indices.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The nodelist `query` selects from `value` (which is both `$` and, for a relative query, `@`).
 * @example evaluate(parseJsonPath('$.a[*]'), { a: [1, 2] }).map((n) => n.value) // [1, 2]
 */
export function evaluate(query: JsonPathQuery, value: JsonValue): JsonPathNode[] {
  return applySegments(query.segments, 0, [new JsonPathNode(value, null, null)], value);
}

/**
 * Applies `segments[from…]` to each input node in turn (the nodelist semantics of RFC 9535
 * §2.1.2); `root` is what `$` means inside filters.
 */
export function applySegments(segments: readonly JsonPathSegment[], from: number, inputs: JsonPathNode[], root: JsonValue): JsonPathNode[] {
  let nodes = inputs;
  for (let k = from; k < segments.length; k++) {
    const segment = segments[k]!;
    const out: JsonPathNode[] = [];
    for (const node of nodes) {
      if (segment.descendant) applyDescendant(segment.selectors, node, root, out);
      else applySelectors(segment.selectors, node, root, out);
    }
    nodes = out;
  }
  return nodes;
}

/** Visits `node` and its descendants in pre-order (arrays in order), applying the selectors to each. */
function applyDescendant(selectors: readonly JsonPathSelector[], start: JsonPathNode, root: JsonValue, out: JsonPathNode[]): void {
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    applySelectors(selectors, node, root, out);
    const value = node.value;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const child = value[i]!;
        if (typeof child === 'object' && child !== null) stack.push(new JsonPathNode(child, node, i));
      }
    } else if (isJsonObject(value)) {
      const names = Object.keys(value);
      for (let i = names.length - 1; i >= 0; i--) {
        const child = value[names[i]!]!;
        if (typeof child === 'object' && child !== null) stack.push(new JsonPathNode(child, node, names[i]!));
      }
    }
  }
}

/** Applies each selector in order to `node`'s children (RFC 9535 §2.5.1.2). */
export function applySelectors(selectors: readonly JsonPathSelector[], node: JsonPathNode, root: JsonValue, out: JsonPathNode[]): void {
  const value = node.value;
  if (Array.isArray(value)) {
    for (const selector of selectors) {
      switch (selector.kind) {
        case 'index': {
          const i = selector.index >= 0 ? selector.index : value.length + selector.index;
          if (i >= 0 && i < value.length) out.push(new JsonPathNode(value[i]!, node, i));
          break;
        }
        case 'slice':
          forEachSliceIndex(selector, value.length, (i) => out.push(new JsonPathNode(value[i]!, node, i)));
          break;
        case 'wildcard':
          for (let i = 0; i < value.length; i++) out.push(new JsonPathNode(value[i]!, node, i));
          break;
        case 'filter':
          for (let i = 0; i < value.length; i++) {
            if (testFilter(selector.expression, value[i]!, root)) out.push(new JsonPathNode(value[i]!, node, i));
          }
          break;
        case 'name':
          break;
      }
    }
  } else if (isJsonObject(value)) {
    for (const selector of selectors) {
      switch (selector.kind) {
        case 'name':
          if (hasOwn.call(value, selector.name)) out.push(new JsonPathNode(value[selector.name]!, node, selector.name));
          break;
        case 'wildcard':
          for (const name of Object.keys(value)) out.push(new JsonPathNode(value[name]!, node, name));
          break;
        case 'filter':
          for (const name of Object.keys(value)) {
            if (testFilter(selector.expression, value[name]!, root)) out.push(new JsonPathNode(value[name]!, node, name));
          }
          break;
        case 'index':
        case 'slice':
          break;
      }
    }
  }
}

/** Whether a filter expression holds for `current` (`@`), with `root` as `$`. */
export function testFilter(expression: LogicalExpression, current: JsonValue, root: JsonValue): boolean {
  switch (expression.kind) {
    case 'or':
      return expression.operands.some((operand) => testFilter(operand, current, root));
    case 'and':
      return expression.operands.every((operand) => testFilter(operand, current, root));
    case 'not':
      return !testFilter(expression.operand, current, root);
    case 'comparison':
      return compare(expression.operator, comparableValue(expression.left, current, root), comparableValue(expression.right, current, root));
    case 'exists':
      return queryValues(expression.query, current, root).length > 0;
    case 'function-test': {
      const result = callFunction(expression.call, current, root);
      return typeof result === 'boolean' ? result : (result as readonly JsonValue[]).length > 0;
    }
  }
}

function compare(operator: string, left: ValueOrNothing, right: ValueOrNothing): boolean {
  switch (operator) {
    case '==':
      return jsonValuesEqual(left, right);
    case '!=':
      return !jsonValuesEqual(left, right);
    case '<':
      return jsonValueLessThan(left, right);
    case '<=':
      return jsonValueLessThan(left, right) || jsonValuesEqual(left, right);
    case '>':
      return jsonValueLessThan(right, left);
    default: // '>='
      return jsonValueLessThan(right, left) || jsonValuesEqual(left, right);
  }
}

function comparableValue(comparable: Comparable, current: JsonValue, root: JsonValue): ValueOrNothing {
  switch (comparable.kind) {
    case 'literal':
      return comparable.value;
    case 'singular-query':
      return singularValue(comparable.query, current, root);
    case 'function':
      return callFunction(comparable.call, current, root) as ValueOrNothing;
  }
}

/** The value a singular query selects, or Nothing; walks names and indices without allocating. */
function singularValue(query: JsonPathQuery, current: JsonValue, root: JsonValue): ValueOrNothing {
  let value: JsonValue = query.root === '$' ? root : current;
  for (const segment of query.segments) {
    const selector = segment.selectors[0]!;
    if (selector.kind === 'name') {
      if (!isJsonObject(value) || !hasOwn.call(value, selector.name)) return NOTHING;
      value = value[selector.name]!;
    } else if (selector.kind === 'index') {
      if (!Array.isArray(value)) return NOTHING;
      const i = selector.index >= 0 ? selector.index : value.length + selector.index;
      if (i < 0 || i >= value.length) return NOTHING;
      value = value[i]!;
    }
  }
  return value;
}

function queryValues(query: JsonPathQuery, current: JsonValue, root: JsonValue): JsonValue[] {
  const start = query.root === '$' ? root : current;
  return applySegments(query.segments, 0, [new JsonPathNode(start, null, null)], root).map((node) => node.value);
}

function callFunction(call: FunctionCall, current: JsonValue, root: JsonValue): FunctionResult {
  const parameters = call.extension.parameters;
  const args: FunctionArgumentValue[] = call.args.map((argument, i) => argumentValue(argument, parameters[i]!, current, root));
  return call.extension.call(args);
}

function argumentValue(argument: FunctionArgument, type: JsonPathType, current: JsonValue, root: JsonValue): FunctionArgumentValue {
  switch (argument.kind) {
    case 'literal':
      return argument.value;
    case 'query':
      if (type === 'ValueType') return singularValue(argument.query, current, root);
      if (type === 'NodesType') return queryValues(argument.query, current, root);
      return queryValues(argument.query, current, root).length > 0;
    case 'logical':
      return testFilter(argument.expression, current, root);
    case 'function': {
      const result = callFunction(argument.call, current, root);
      if (type === 'LogicalType' && Array.isArray(result)) return result.length > 0;
      return result;
    }
  }
}
