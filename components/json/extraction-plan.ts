/**
 * The compiled form of a JSONExtract `mapping` tree for the streaming extractor: each select
 * parsed once (at graph validation) with its children, and what the caller attached to it.
 */
import type { JsonPathQuery } from './jsonpath/ast.ts';
import { parseJsonPath } from './jsonpath/parse-json-path.ts';
import { describeStreaming, type StreamingBehaviour } from './streaming-behaviour.ts';

/** One select of the mapping tree as the caller writes it. */
export interface ExtractionSelect<T> {
  /**
   * RFC 9535 JSONPath: from the document root for a top-level select, from the parent's match
   * (its `$`) for a child. Text is parsed here; a parsed query is used as is.
   */
  readonly select: string | JsonPathQuery;
  /** Selects evaluated inside each match of this one. */
  readonly children?: readonly ExtractionSelect<T>[];
  /** Handed back with every match of this select (e.g. the port, fields and keys to map). */
  readonly tag: T;
  /**
   * The members of an object match the caller reads (its record's fields, its children's first
   * names). When set, a top-level match that is an object may be reported without its other
   * members: the parser skips them (validated, not decoded), which saves time and memory on
   * wide objects. Unset: matches are complete. Applies where the match is the outermost value
   * being materialized; a match inside another one, or needed by another select, stays complete.
   */
  readonly members?: readonly string[];
}

/** A select, parsed. */
export interface CompiledSelect<T> {
  readonly query: JsonPathQuery;
  readonly children: readonly CompiledSelect<T>[];
  readonly tag: T;
  /** How the top-level streaming pass evaluates this select (children are evaluated on their parent's materialized match). */
  readonly behaviour: StreamingBehaviour;
  /** `members` as a set, or null when matches are complete. */
  readonly members: ReadonlySet<string> | null;
}

export interface CompiledExtraction<T> {
  readonly selects: readonly CompiledSelect<T>[];
}

/**
 * Parses every select of the tree.
 * @throws JsonPathSyntaxError for the first invalid select (its `query` and `column` say which
 * and where).
 */
export function compileExtraction<T>(selects: readonly ExtractionSelect<T>[]): CompiledExtraction<T> {
  return { selects: selects.map(compileSelect) };
}

function compileSelect<T>(spec: ExtractionSelect<T>): CompiledSelect<T> {
  const query = typeof spec.select === 'string' ? parseJsonPath(spec.select) : spec.select;
  return {
    query,
    children: (spec.children ?? []).map(compileSelect),
    tag: spec.tag,
    behaviour: describeStreaming(query),
    members: spec.members === undefined ? null : new Set(spec.members),
  };
}
