/**
 * `trefoil serve` on the command line: `--dry-run` of the example config and of broken ones,
 * and usage errors.
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { TestProject } from './server-harness.ts';

const REPO = resolve(import.meta.dirname, '../..');
const project = new TestProject();
afterAll(() => project.cleanup());

describe('trefoil serve', { timeout: 30_000 }, () => {
  it('--dry-run validates the example config and its graphs, and lists 5 fire times per schedule and each listener', async () => {
    const { code, stdout, stderr } = await runCli(['serve', '--config', 'graphs/examples/server/trefoil.server.yaml', '--dry-run'], { cwd: REPO });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Config graphs/examples/server/trefoil.server.yaml: valid');
    expect(stdout).toContain('heartbeat: every 5m, overlap skip');
    const times = [...stdout.matchAll(/ {4}next (\S+)/g)].map((match) => Date.parse(match[1]!));
    expect(times).toHaveLength(5);
    expect(times.slice(1).map((time, index) => time - times[index]!)).toEqual([300_000, 300_000, 300_000, 300_000]);
    expect(stdout).toContain('graph graphs/examples/server/heartbeat.yaml: valid');
    expect(stdout).toMatch(/inbox: graphs\/examples\/server\/inbox, pattern \*\.csv, events added, changed, every 2000 ms, stable after 2 check\(s\), overlap queue/);
    expect(stdout).toContain('graph graphs/examples/server/inbox-file.yaml: valid');
    expect(stdout).toContain('All graphs are valid.');
  });

  it('--dry-run reports an invalid graph with its positions and exits 2', async () => {
    const graph = project.write('graphs/bad.yaml', 'graph: bad\ncomponents:\n  x: { type: Nope }\n');
    project.write('bad-graph.yaml', 'schedules:\n  - { id: nightly, graph: graphs/bad.yaml, cron: "0 2 * * *" }\n');
    const { code, stdout, stderr } = await runCli(['serve', '--config', 'bad-graph.yaml', '--dry-run'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stdout).toContain('graph graphs/bad.yaml: INVALID');
    expect(stdout).toContain('1 graph(s) are invalid.');
    expect(stderr).toMatch(new RegExp(`^${graph.replaceAll('.', '\\.')}:3:\\d+ TREFOIL_ERR_GRAPH_\\w+ `, 'm'));
  });

  it('rejects an invalid config with FILE:LINE:COL CODE lines and exit status 2, without a stack trace', async () => {
    project.write('broken.yaml', 'server: { port: 80000 }\nschedules:\n  - { id: a, graph: g.yaml, every: 0s }\n');
    const { code, stderr } = await runCli(['serve', '--config', 'broken.yaml'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^broken\.yaml:1:\d+ TREFOIL_ERR_SERVER_CONFIG_SCHEMA /)]);
    const missing = await runCli(['serve', '--dry-run'], { cwd: project.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^trefoil\.server\.yaml:1:1 TREFOIL_ERR_SERVER_CONFIG_READ cannot read server config trefoil\.server\.yaml: file not found/);
  });

  it('refuses usage mistakes and the internal run-process flag without an IPC channel', async () => {
    expect((await runCli(['serve', 'extra'], { cwd: project.dir })).code).toBe(2);
    expect((await runCli(['serve', '--log-level', 'loud'], { cwd: project.dir })).code).toBe(2);
    const worker = await runCli(['serve', '--run-worker'], { cwd: project.dir });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('--run-worker is internal');
  });
});
