/**
 * The package's root directory (where package.json, graphs/ and schemas/ are), found by walking
 * up from this module: the same answer whether the engine runs from its sources or from the
 * CLI bundle under node_modules/.cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'trefoil') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the trefoil package root');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();
