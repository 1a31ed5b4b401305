/**
 * A node of a JSONPath result (RFC 9535 §2.1: a value and its location), with its location
 * kept as a parent chain so that producing nodes costs one small object and paths are built
 * only when asked for.
 */
import type { JsonValue } from '../json-value.ts';

/** One step of a location: a member name or an array index. */
export type PathSegment = string | number;

export class JsonPathNode {
  /** The node's value (shared with the document: treat it as read-only). */
  readonly value: JsonValue;
  /** The node this one is a child of; null for the query's root node. */
  readonly parent: JsonPathNode | null;
  /** The member name or index under `parent`; null for the root. */
  readonly segment: PathSegment | null;

  constructor(value: JsonValue, parent: JsonPathNode | null, segment: PathSegment | null) {
    this.value = value;
    this.parent = parent;
    this.segment = segment;
  }

  /** The location as member names and indices from the query's root. */
  get path(): PathSegment[] {
    const segments: PathSegment[] = [];
    for (let node: JsonPathNode | null = this; node !== null && node.segment !== null; node = node.parent) segments.push(node.segment);
    return segments.reverse();
  }

  /** The Normalized Path (RFC 9535 §2.7), e.g. `$['orders'][0]['id']`. */
  get normalizedPath(): string {
    return formatNormalizedPath(this.path);
  }
}

/** Formats a location as a Normalized Path (RFC 9535 §2.7). */
export function formatNormalizedPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) out += typeof segment === 'number' ? `[${segment}]` : `['${escapeName(segment)}']`;
  return out;
}

function escapeName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += name[i];
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}
