// Loads the CLI fast. Running TypeScript through tsx's loader costs a second or more at every
// start (its hooks run on a separate thread); so the CLI is bundled once with esbuild into
// node_modules/.cache/trefoil/ and rebuilt whenever a source file is newer than the bundle.
// NOTE: pure-JS packages are bundled in as well; native or self-loading ones stay external and
// resolve from node_modules. Custom TypeScript components still load through tsx's tsImport. If bundling is impossible (read-only install),
// the sources run through tsx as a fallback.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRS = ['engine', 'components'];

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the bundle if it is missing or older than any source; returns its entry's path.
 * NOTE: code splitting keeps commands' and components' lazily imported parts (the server, the
 * renderer) and their packages out of the start-up path, so `trefoil run` loads only what it uses.
 */
export async function ensureBundle() {
  const cacheDir = join(root, 'node_modules', '.cache', 'trefoil');
  const outDir = join(cacheDir, 'cli');
  const entry = join(outDir, 'main.mjs');
  const newest = Math.max(...SOURCE_DIRS.map((dir) => newestSource(join(root, dir))), statSync(join(root, 'package.json')).mtimeMs);
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest) return entry;
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `cli.${process.pid}.tmp`);
  await build({
    entryPoints: [join(root, 'engine/cli/main.ts')],
    outdir: temporary,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // NOTE: pure-JS packages are bundled too: resolving and loading dozens of package files
    // dominated start-up. Native, self-loading or optional-heavy ones stay external.
    external: ['better-sqlite3', 'tsx', 'tsx/*', 'esbuild', 'elkjs', 'elkjs/*', 'pino-pretty', 'playwright-core'],
    sourcemap: 'linked',
    logLevel: 'silent',
    // Bundled CommonJS packages call require() for Node's built-ins; ESM has none, so give it one.
    banner: { js: "import { createRequire as __trefoilCreateRequire } from 'node:module'; const require = __trefoilCreateRequire(import.meta.url);" },
  });
  // Swap the new build in; a concurrent process may have done the same a moment ago.
  const previous = join(cacheDir, `cli.${process.pid}.old`);
  if (existsSync(outDir)) renameSync(outDir, previous);
  try {
    renameSync(temporary, outDir);
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
  return entry;
}

/** The CLI's main module: the bundle, or the sources through tsx when bundling fails. */
export async function loadCli() {
  try {
    return await import(pathToFileURL(await ensureBundle()).href);
  } catch (error) {
    if (process.env.TREFOIL_DEBUG) process.stderr.write(`trefoil: running from sources (${error.message})\n`);
    const { register } = await import('tsx/esm/api');
    register();
    return import('./main.ts');
  }
}
