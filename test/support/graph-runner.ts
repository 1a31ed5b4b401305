/**
 * Runs YAML graphs in tests: from text (relative paths against a temporary project directory)
 * or from a file, and collects what TestCollect sinks received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runGraph, type RunGraphOptions } from '../../engine/run-graph.ts';
import type { RunResult } from '../../engine/runtime/graph-run.ts';
import { collected } from './collect-component.ts';

export const COLLECT = resolve(import.meta.dirname, 'collect-component.ts');
export const REPO = resolve(import.meta.dirname, '../..');

export interface GraphOutcome {
  result: RunResult;
  collected: typeof collected;
}

/** Runs YAML text (use `${COLLECT}` in a type to collect). */
export async function runYaml(yaml: string, options: RunGraphOptions = {}): Promise<GraphOutcome> {
  for (const key of Object.keys(collected)) delete collected[key];
  const result = await runGraph(yaml, { log: { level: 'silent' }, ...options });
  return { result, collected };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function temporaryDirectory(prefix = 'trefoil-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
