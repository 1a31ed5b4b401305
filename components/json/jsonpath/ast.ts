/**
 * The parsed form of an RFC 9535 JSONPath query. Produced once by `parseJsonPath` (which has
 * already checked well-formedness and the function well-typedness rules), then read by the
 * in-memory evaluator and the streaming extractor. All nodes are immutable.
 */
import type { JsonValue } from '../json-value.ts';
import type { FunctionExtension } from './function-extensions.ts';

/** A query: `$` (the root) or `@` (the current node, inside filters) followed by segments. */
export interface JsonPathQuery {
  readonly root: '$' | '@';
  readonly segments: readonly JsonPathSegment[];
}

/** A child segment (`.a`, `[0, 'b']`) or a descendant segment (`..a`, `..[*]`). */
export interface JsonPathSegment {
  readonly descendant: boolean;
  /** Never empty. Applied in this order to each input node (RFC 9535 §2.5). */
  readonly selectors: readonly JsonPathSelector[];
}

export type JsonPathSelector = NameSelector | WildcardSelector | IndexSelector | SliceSelector | FilterSelector;

export interface NameSelector {
  readonly kind: 'name';
  readonly name: string;
}

export interface WildcardSelector {
  readonly kind: 'wildcard';
}

/** `[n]`; negative counts from the end. Within ±(2^53−1). */
export interface IndexSelector {
  readonly kind: 'index';
  readonly index: number;
}

/** `[start:end:step]`; null where omitted. Within ±(2^53−1). */
export interface SliceSelector {
  readonly kind: 'slice';
  readonly start: number | null;
  readonly end: number | null;
  readonly step: number | null;
}

/** `[?expression]`: selects the children for which the expression is true. */
export interface FilterSelector {
  readonly kind: 'filter';
  readonly expression: LogicalExpression;
}

export type LogicalExpression =
  | { readonly kind: 'or'; readonly operands: readonly LogicalExpression[] }
  | { readonly kind: 'and'; readonly operands: readonly LogicalExpression[] }
  | { readonly kind: 'not'; readonly operand: LogicalExpression }
  | { readonly kind: 'comparison'; readonly operator: ComparisonOperator; readonly left: Comparable; readonly right: Comparable }
  /** An existence test: true when the query selects at least one node. */
  | { readonly kind: 'exists'; readonly query: JsonPathQuery }
  /** A function used as a test (its result type is LogicalType or NodesType). */
  | { readonly kind: 'function-test'; readonly call: FunctionCall };

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One side of a comparison: a literal, a singular query or a ValueType function. */
export type Comparable =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'singular-query'; readonly query: JsonPathQuery }
  | { readonly kind: 'function'; readonly call: FunctionCall };

/** A function argument, classified by the grammar production it came from. */
export type FunctionArgument =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'query'; readonly query: JsonPathQuery; readonly singular: boolean }
  | { readonly kind: 'logical'; readonly expression: LogicalExpression }
  | { readonly kind: 'function'; readonly call: FunctionCall };

export interface FunctionCall {
  readonly extension: FunctionExtension;
  readonly args: readonly FunctionArgument[];
}

/** True when the query selects at most one node by construction (names and indices only). */
export function isSingularQuery(query: JsonPathQuery): boolean {
  return query.segments.every(
    (segment) => !segment.descendant && segment.selectors.length === 1 && (segment.selectors[0]!.kind === 'name' || segment.selectors[0]!.kind === 'index'),
  );
}
