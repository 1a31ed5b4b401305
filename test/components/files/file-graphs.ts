/**
 * Helpers for the file component tests: run a YAML graph with relative paths resolved in a
 * scratch project directory, and look at what is on disk afterwards.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory, type GraphOutcome } from '../../support/graph-runner.ts';

export { COLLECT };

/** A scratch project directory per test, removed afterwards. */
export function useScratch(): { readonly dir: string } {
  const holder = { dir: '' };
  let cleanup: (() => void) | undefined;
  const fresh = () => {
    const scratch = temporaryDirectory('trefoil-files-');
    holder.dir = scratch.dir;
    cleanup = scratch.cleanup;
  };
  fresh();
  afterEach(() => {
    cleanup?.();
    fresh();
  });
  return holder;
}

/** Runs graph YAML with `dir` as the project directory (relative paths resolve there). */
export function runIn(dir: string, yaml: string, parameters: Record<string, string> = {}): Promise<GraphOutcome> {
  return runYaml(yaml, { projectDir: dir, parameters });
}

/** Every file below `dir` (relative paths, sorted), hidden temporary files included. */
export function filesBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}
