/**
 * Which JSONPath queries the streaming extractor evaluates in bounded memory, and what the
 * others hold. Used by the extractor to choose its strategy and by the documentation.
 *
 * | query uses                                   | what is held in memory                                       |
 * |----------------------------------------------|--------------------------------------------------------------|
 * | names, wildcards, indices ≥ 0, forward slices with non-negative bounds, descendant segments, a filter on the last segment | each match until it closes (plus matches that RFC 9535 order makes wait for an earlier one: `$[1,0]`, or `$..a` finding a deeper `a` before a shallower one) — **streams** |
 * | a filter on an earlier segment (`$[?@.ok].items[*]`) | each node the filter tests, until it closes |
 * | a negative index or a slice with a negative bound or step (`$[-1]`, `$[-3:]`, `$[::-1]`) | the array elements that may still be selected: the last \|n\| for `[-n]` and `[-n:]`, every element for a backward slice |
 * | `$` inside a filter (`$.a[?@.x == $.limit]`) | the whole document (the filter may look anywhere) |
 */
import type { JsonPathQuery, JsonPathSelector, LogicalExpression, Comparable, FunctionArgument } from './jsonpath/ast.ts';

export interface StreamingBehaviour {
  /** True when memory is bounded by the largest match (the first row of the table). */
  readonly streams: boolean;
  /** What else is held, worst first; empty when `streams`. */
  readonly holds: readonly ('document' | 'array-elements' | 'filter-candidates')[];
  /** One sentence for documentation and diagnostics. */
  readonly explanation: string;
}

/** Describes how the streaming extractor evaluates `query` (see the table above). */
export function describeStreaming(query: JsonPathQuery): StreamingBehaviour {
  const holds: ('document' | 'array-elements' | 'filter-candidates')[] = [];
  if (referencesRoot(query)) holds.push('document');
  if (query.segments.some((segment) => segment.selectors.some(isLengthDependent))) holds.push('array-elements');
  if (query.segments.some((segment, k) => k < query.segments.length - 1 && segment.selectors.some((s) => s.kind === 'filter'))) holds.push('filter-candidates');
  const explanation = holds.includes('document')
    ? 'a filter refers to the document root ($), so the whole document is held in memory'
    : holds.includes('array-elements')
      ? 'a negative index or slice bound needs the array length, so array elements that may be selected are held until the array ends'
      : holds.includes('filter-candidates')
        ? 'a filter before the last segment holds each node it tests until that node ends'
        : 'streams: memory is bounded by the largest match';
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
