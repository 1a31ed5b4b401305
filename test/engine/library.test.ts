/** The library API from plain Node.js: `import { runGraph, loadGraph } from 'trefoil'` (SPEC §8). */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/graph-runner.ts';

describe('library entry point', () => {
  it('runs a graph and reports invalid graphs with positioned problems', () => {
    const output = execFileSync(process.execPath, [resolve(REPO, 'test/support/library-smoke.mjs'), resolve(REPO, 'graphs/examples/generate-filter.yaml')], { encoding: 'utf8' });
    const parsed = JSON.parse(output);
    expect(parsed.status).toBe('FINISHED_OK');
    expect(parsed.components).toBe(4);
    expect(parsed.problem).toMatchObject({ file: '<inline>', line: 3, code: 'TREFOIL_ERR_GRAPH_UNKNOWN_TYPE' });
  });
});
