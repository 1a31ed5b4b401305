/**
 * Helpers for the JSONExtract tests: a scratch project directory per test, and graphs that read
 * a JSON file through JSONExtract into TestCollect sinks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory, type GraphOutcome } from '../../support/graph-runner.ts';

export { COLLECT };

/** A scratch project directory per test, removed afterwards. */
export function useScratch(): { readonly dir: string; file(name: string, content: string | Uint8Array): string } {
  let current = temporaryDirectory('trefoil-json-extract-');
  afterEach(() => {
    current.cleanup();
    current = temporaryDirectory('trefoil-json-extract-');
  });
  return {
    get dir() {
      return current.dir;
    },
    file(name, content) {
      const path = join(current.dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Runs graph YAML with `dir` as the project directory (relative paths resolve there). */
export function runIn(dir: string, yaml: string): Promise<GraphOutcome> {
  return runYaml(yaml, { projectDir: dir });
}

/**
 * A graph: JSONExtract reading `file` with `mapping` (YAML flow text), port N into a collector
 * `outN` with metadata `metadata[N]` (inline field maps in YAML flow text).
 */
export function extractGraph(options: { file?: string; mapping: string; metadata: readonly string[]; extra?: string; errorPort?: { port: number } }): string {
  const ports = options.metadata.map((fields, port) => `  - { from: "extract:${port}", to: out${port}, metadata: { fields: ${fields} } }`);
  const sinks = options.metadata.map((_, port) => `  out${port}: { type: ${COLLECT} }`);
  if (options.errorPort !== undefined) {
    ports.push(`  - { from: "extract:${options.errorPort.port}", to: errors }`);
    sinks.push(`  errors: { type: ${COLLECT} }`);
  }
  return `
graph: json-extract-test
components:
  extract:
    type: JSONExtract
    file: ${options.file ?? 'in.json'}
    mapping: ${options.mapping}
${options.extra ?? ''}
${sinks.join('\n')}
edges:
${ports.join('\n')}
`;
}
