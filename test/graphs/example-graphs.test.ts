/**
 * Every graph in graphs/examples/ loads and runs to FINISHED_OK, each from a fresh working
 * directory (so relative outputs land in a scratch folder). The Dropbox graphs are run
 * end to end against the local Dropbox API in test/dropbox/.
 *
 * graphs/examples/http/ is skipped here: those graphs call an HTTP server given as the required
 * parameter BASE_URL. test/components/http-connector/example-graphs.test.ts runs each of them
 * through the CLI against a local server (and fails when one is not covered).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../engine/run-graph.ts';
import { REPO, temporaryDirectory } from '../support/graph-runner.ts';

/** Example folders whose graphs run in a test of their own (see above). */
const RUN_ELSEWHERE = new Set([join(REPO, 'graphs/examples/http')]);

function graphFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return RUN_ELSEWHERE.has(path) ? [] : graphFiles(path);
    return /\.ya?ml$/.test(name) && /^graph\s*:/m.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

const examples = graphFiles(join(REPO, 'graphs/examples'));

describe('example graphs', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of examples) {
    it(`runs ${relative(REPO, file)}`, async () => {
      const scratch = temporaryDirectory();
      try {
        const result = await runGraph(file, { projectDir: scratch.dir, log: { level: 'silent' }, environment: {} });
        expect(result.error?.message).toBeUndefined();
        expect(result.status).toBe('FINISHED_OK');
        expect(result.tracking.components.every((c) => c.status === 'FINISHED_OK')).toBe(true);
      } finally {
        scratch.cleanup();
      }
    });
  }
});
