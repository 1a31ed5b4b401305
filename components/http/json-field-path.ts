/**
 * Addresses one field of a parsed JSON document, for pagination settings. Two spellings:
 *
 * - a JSON Pointer (RFC 6901), recognised by its leading `/`: `/data/next_cursor`, `/items/0`,
 *   `/a~1b` for a key containing `/`; the empty string is the whole document;
 * - a dotted path: `data.next_cursor`, `items[0].id` or `items.0.id`; a leading `$.` is
 *   accepted (`$.data.cursor`), and `$` alone is the whole document.
 *
 * Paths are compiled once into a list of keys; reading a missing step gives undefined.
 */

/** A compiled path: reads its field from a document. */
export interface FieldPath {
  /** The path as written. */
  readonly source: string;
  /** The keys stepped through, in order. */
  readonly keys: readonly string[];
  read(document: unknown): unknown;
}

function parseKeys(path: string): string[] {
  if (path === '' || path === '$') return [];
  if (path.startsWith('/')) {
    return path
      .slice(1)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  const dotted = path.startsWith('$.') ? path.slice(2) : path;
  const keys: string[] = [];
  for (const segment of dotted.split('.')) {
    // `items[0][1]` → items, 0, 1
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (match === null || (match[1] === '' && match[2] === '')) {
      throw new SyntaxError(`${JSON.stringify(path)} is not a valid field path (use a.b[0].c or a JSON Pointer /a/b/0/c)`);
    }
    if (match[1] !== '') keys.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) keys.push(index[1]!);
  }
  return keys;
}

/** Compiles `path`; throws a SyntaxError for a malformed dotted path. */
export function compileFieldPath(path: string): FieldPath {
  const keys = parseKeys(path);
  return {
    source: path,
    keys,
    read(document: unknown): unknown {
      let value = document;
      for (const key of keys) {
        if (value === null || typeof value !== 'object') return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    },
  };
}

/** Returns a copy of `object` with `value` set at `path` (intermediate objects created). */
export function withField(object: Readonly<Record<string, unknown>>, path: FieldPath, value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = { ...object };
  let node = root;
  const keys = path.keys;
  for (let i = 0; i < keys.length - 1; i++) {
    const child = node[keys[i]!];
    const copy: Record<string, unknown> = child !== null && typeof child === 'object' ? { ...(child as Record<string, unknown>) } : {};
    node[keys[i]!] = copy;
    node = copy;
  }
  if (keys.length > 0) node[keys[keys.length - 1]!] = value;
  return root;
}
