/**
 * Which JSONPath queries the streaming extractor evaluates in bounded memory, and what the
 * others hold. Used by the extractor to choose its strategy and by the documentation.
 *
 * | query uses                                   | what is held in memory                                       |
 * |----------------------------------------------|--------------------------------------------------------------|
 * | names, wildcards, indices ≥ 0, forward slices with non-negative bounds, a filter on the last segment | each match until it closes (plus matches that RFC 9535 order makes wait for an earlier one: `$[1,0]` holds element 0 until element 1 closes) — **streams** |
 * | a descendant segment (`$..id`, `$..*`)        | matches until every result RFC 9535 orders before them is known: an enclosing object's own members come before anything inside it, so a match inside an object waits until the object closes (for `$..id`: one record of a top-level array of records, but all of `items` in `{"items": […]}`; for `$..*`, the whole document) |
 * | a filter on an earlier segment (`$[?@.ok].items[*]`) | each node the filter tests, until it closes |
 * | a negative index or a slice with a negative bound or step (`$[-1]`, `$[-3:]`, `$[::-1]`) | the array elements that may still be selected: the last \|n\| for `[-n]` and `[-n:]`, every element for a backward slice |
 * | `$` inside a filter (`$.a[?@.x == $.limit]`) | the whole document (the filter may look anywhere) |
 */
import type { JsonPathQuery, JsonPathSelector, LogicalExpression, Comparable, FunctionArgument } from './jsonpath/ast.ts';

/** What a query may hold besides its matches, worst first (see the table above). */
export type StreamingHold = 'document' | 'descendant-order' | 'array-elements' | 'filter-candidates';

export interface StreamingBehaviour {
  /** True when memory is bounded by the largest match (the first row of the table). */
  readonly streams: boolean;
  /** What else is held, worst first; empty when `streams`. */
  readonly holds: readonly StreamingHold[];
  /** One sentence for documentation and diagnostics. */
  readonly explanation: string;
}

const EXPLANATIONS: Record<StreamingHold, string> = {
  document: 'a filter refers to the document root ($), so the whole document is held in memory',
  'descendant-order': "RFC 9535 reports an object's own members before anything inside it, so a match inside an object is held until that object ends",
  'array-elements': 'a negative index or slice bound needs the array length, so array elements that may be selected are held until the array ends',
  'filter-candidates': 'a filter before the last segment holds each node it tests until that node ends',
};

/** Describes how the streaming extractor evaluates `query` (see the table above). */
export function describeStreaming(query: JsonPathQuery): StreamingBehaviour {
  const holds: StreamingHold[] = [];
  if (referencesRoot(query)) holds.push('document');
  if (query.segments.some((segment) => segment.descendant)) holds.push('descendant-order');
  if (query.segments.some((segment) => segment.selectors.some(isLengthDependent))) holds.push('array-elements');
  if (query.segments.some((segment, k) => k < query.segments.length - 1 && segment.selectors.some((s) => s.kind === 'filter'))) holds.push('filter-candidates');
  const explanation = holds.length === 0 ? 'streams: memory is bounded by the largest match' : EXPLANATIONS[holds[0]!];
  return { streams: holds.length === 0, holds, explanation };
}

/** True for selectors whose choice depends on the array length (negative index, slices with a negative bound or step). */
export function isLengthDependent(selector: JsonPathSelector): boolean {
  if (selector.kind === 'index') return selector.index < 0;
  if (selector.kind !== 'slice') return false;
  const step = selector.step ?? 1;
  if (step === 0) return false;
  return step < 0 || (selector.start ?? 0) < 0 || (selector.end ?? 0) < 0;
}

/** True when a filter anywhere in the query contains an absolute (`$`) query. */
export function referencesRoot(query: JsonPathQuery): boolean {
  return query.segments.some((segment) => segment.selectors.some((s) => s.kind === 'filter' && expressionReferencesRoot(s.expression)));
}

function expressionReferencesRoot(expression: LogicalExpression): boolean {
  switch (expression.kind) {
    case 'or':
    case 'and':
      return expression.operands.some(expressionReferencesRoot);
    case 'not':
      return expressionReferencesRoot(expression.operand);
    case 'comparison':
      return comparableReferencesRoot(expression.left) || comparableReferencesRoot(expression.right);
    case 'exists':
      return queryReferencesRoot(expression.query);
    case 'function-test':
      return expression.call.args.some(argumentReferencesRoot);
  }
}

function comparableReferencesRoot(comparable: Comparable): boolean {
  if (comparable.kind === 'singular-query') return queryReferencesRoot(comparable.query);
  if (comparable.kind === 'function') return comparable.call.args.some(argumentReferencesRoot);
  return false;
}

function argumentReferencesRoot(argument: FunctionArgument): boolean {
  switch (argument.kind) {
    case 'literal':
      return false;
    case 'query':
      return queryReferencesRoot(argument.query);
    case 'logical':
      return expressionReferencesRoot(argument.expression);
    case 'function':
      return argument.call.args.some(argumentReferencesRoot);
  }
}

function queryReferencesRoot(query: JsonPathQuery): boolean {
  return query.root === '$' || referencesRoot(query);
}
