/**
 * The `trefoil` command as a user runs it (SPEC §4, §8): exit statuses, the tracking table
 * and file, --json, -P/--params/-D, SIGINT, `params set` with encrypted values, and secure
 * values never appearing in any output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { temporaryDirectory } from '../support/graph-runner.ts';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

const SECRET = 's3cr3t-Token-value';

function write(name: string, text: string): string {
  const path = join(temp.dir, name);
  writeFileSync(path, text);
  return path;
}

const GRAPH = write(
  'echo.yaml',
  `graph: echo
parameters:
  COUNT: { default: 3, type: integer }
  TOKEN: { secure: true, required: true }
  FAIL_AT: { default: -1, type: integer }
dictionary:
  seen: { type: long, default: 0 }
  note: string
metadata:
  M: { fields: { id: long, token: string } }
components:
  gen:
    type: DataGenerator
    records: \${COUNT}
    generate: |
      if (index === params.FAIL_AT) throw new Error('bad token ' + params.TOKEN);
      $out[0].id = index;
      $out[0].token = params.TOKEN;
      dict.seen = dict.seen + 1;
  sink: { type: Trash, debugPrint: true }
edges:
  - { from: gen, to: sink, metadata: M }
`,
);

describe('trefoil CLI', () => {
  it('runs a graph: exit 0, tracking table, tracking file, JSON result, -P and -D', async () => {
    const tracking = join(temp.dir, 'out/tracking.json');
    const cli = await runCli(['run', GRAPH, '-P', 'COUNT=5', '-P', `TOKEN=${SECRET}`, '-D', 'note=hello', '--tracking', tracking, '--json']);
    expect(cli.stderr).toMatch(/gen\s+DataGenerator\s+FINISHED_OK/);
    expect(cli.code).toBe(0);
    const result = JSON.parse(cli.stdout);
    expect(result.status).toBe('FINISHED_OK');
    expect(result.dictionary).toEqual({ seen: 5, note: 'hello' });
    const saved = JSON.parse(readFileSync(tracking, 'utf8'));
    expect(saved.components.find((c: { id: string }) => c.id === 'gen').outputs[0].records).toBe(5);
    expect(saved.phases[0].status).toBe('FINISHED_OK');
  });

  it('exits 1 when the run fails, naming component and record, with the secure value masked everywhere', async () => {
    const log = join(temp.dir, 'fail.log');
    const cli = await runCli(['run', GRAPH, '-P', `TOKEN=${SECRET}`, '-P', 'FAIL_AT=1', '--log', log, '--log-level', 'debug', '--json']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('gen (DataGenerator) failed: generate failed at record 2 (index 1): bad token *****');
    const everything = cli.stdout + cli.stderr + readFileSync(log, 'utf8');
    expect(everything).not.toContain(SECRET);
    expect(readFileSync(log, 'utf8')).toMatch(/"component":"gen"/);
  });

  it('exits 2 for usage errors and a missing required parameter', async () => {
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const missing = await runCli(['run', GRAPH], { env: { TOKEN: undefined } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/echo\.yaml:\d+:\d+ TREFOIL_ERR_PARAMS_\w+ .*TOKEN/);
  });

  it('stores a secure parameter encrypted with params set and uses it through --params', async () => {
    const params = join(temp.dir, 'secrets.yaml');
    writeFileSync(params, '# team settings\nCOUNT: 2 # two records\n');
    const env = { TREFOIL_MASTER_PASSWORD: 'correct horse' };
    const set = await runCli(['params', 'set', params, 'TOKEN', '--secure'], { env, input: `${SECRET}\n` });
    expect(set.code).toBe(0);
    const stored = readFileSync(params, 'utf8');
    expect(stored).not.toContain(SECRET);
    expect(stored).toMatch(/TOKEN: enc:v1:[A-Za-z0-9+/=]+/);
    expect(stored).toContain('# team settings');
    expect(stored).toContain('# two records');

    const run = await runCli(['run', GRAPH, '--params', params, '--log-level', 'info', '--json'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).dictionary.seen).toBe(2);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.stderr).toContain('*****');

    const wrong = await runCli(['run', GRAPH, '--params', params], { env: { TREFOIL_MASTER_PASSWORD: 'wrong' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD/);
    expect(wrong.stderr).not.toContain(SECRET);
  });

  it('stops cleanly on SIGINT: exit 130, temporary files removed', async () => {
    const slow = write(
      'slow.yaml',
      `graph: slow
metadata:
  M: { fields: { id: long } }
components:
  gen: { type: DataGenerator, records: 2000000000, generate: "$out[0].id = index;" }
  sink: { type: Trash, phase: 1 }
edges:
  - { from: gen, to: sink, metadata: M }
`,
    );
    // Interrupt once the run has really started (under load, start-up can take a while).
    const cli = await runCli(['run', slow, '--log-level', 'info'], { signalWhenStderrHas: 'graph slow started' });
    expect(cli.code).toBe(130);
    expect(cli.stderr).toContain('ABORTED');
    // The run's own temporary directory (named after its run id) is gone; other tests' runs may
    // be using theirs at the same moment, so only this one is checked.
    const runId = /"runId":"([0-9a-f-]{36})"/.exec(cli.stderr)?.[1];
    expect(runId).toBeDefined();
    expect(existsSync(join(tmpdir(), `trefoil-${runId}`))).toBe(false);
  });

  it('lists and documents components', async () => {
    const list = await runCli(['components']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Reformat\s+Transforms each input record/m);
    const one = await runCli(['components', 'Filter']);
    expect(one.stdout).toContain('# Filter');
    expect(one.stdout).toContain('| `filter` *(required)* | JavaScript |');
  });
});
