/**
 * Dropbox path strings after the Stone pattern check: `/a/b`, `id:…`, `rev:…`, `ns:<id>[/…]`,
 * and `""` (the root, where the route allows it). Paths compare case-insensitively through
 * their lowercased form.
 */

/** A parsed path: components of a `/…` path (root = []), a file/folder id, or a revision. */
export type DropboxPathRef =
  | { readonly kind: 'path'; readonly components: readonly string[] }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'rev'; readonly rev: string }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'unknown-namespace' };

const MALFORMED: DropboxPathRef = { kind: 'malformed' };

/**
 * Parses a path the route's Stone pattern already accepted. `ns:<rootNamespaceId>` is the root;
 * other namespaces are unknown. A `/…` path with an empty component (`//`, a trailing `/` other
 * than the root) or a `.`/`..` component is malformed, as on the real server.
 */
export function parseDropboxPath(raw: string, rootNamespaceId: string): DropboxPathRef {
  if (raw === '') return { kind: 'path', components: [] };
  if (raw.startsWith('id:')) return { kind: 'id', id: raw };
  if (raw.startsWith('rev:')) return { kind: 'rev', rev: raw.slice(4) };
  if (raw.startsWith('ns:')) {
    const slash = raw.indexOf('/');
    const namespace = slash < 0 ? raw.slice(3) : raw.slice(3, slash);
    if (namespace !== rootNamespaceId) return { kind: 'unknown-namespace' };
    return slash < 0 ? { kind: 'path', components: [] } : parseSlashPath(raw.slice(slash));
  }
  return parseSlashPath(raw);
}

function parseSlashPath(raw: string): DropboxPathRef {
  if (!raw.startsWith('/')) return MALFORMED;
  if (raw === '/') return { kind: 'path', components: [] };
  const components = raw.slice(1).split('/');
  for (const component of components) {
    if (component === '' || component === '.' || component === '..') return MALFORMED;
  }
  return { kind: 'path', components };
}

/** The `path_lower` form of a component list (`""` for the root). */
export function lowerPathOf(components: readonly string[]): string {
  return components.length === 0 ? '' : '/' + components.join('/').toLowerCase();
}

/** The lowercased parent path of a non-root `path_lower` (`""` for a top-level item). */
export function parentOfLowerPath(pathLower: string): string {
  return pathLower.slice(0, pathLower.lastIndexOf('/'));
}

/** Whether `pathLower` lies strictly inside the folder `scopeLower` (`""` = root). */
export function isInsideLowerPath(pathLower: string, scopeLower: string): boolean {
  return pathLower.length > scopeLower.length && pathLower.startsWith(scopeLower) && pathLower[scopeLower.length] === '/';
}
