/**
 * The server as a process: history across restarts, a run interrupted by a killed server,
 * graceful stop on SIGTERM and the shutdown timeout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunHistory } from '../../engine/server/run-history.ts';
import { callApi, spawnCliServer, startServer, TestProject, waitFor, type CliServer } from './server-harness.ts';

const TOKEN = 'lifecycle-token';
let project: TestProject;
let cli: CliServer | undefined;

beforeEach(() => {
  project = new TestProject();
  project.graph('quick', 'stamp: { type: TestWriteJson, file: "out/${RUN_ID}.json", value: done }');
  project.graph('slow', 'wait: { type: TestSleep, ms: "${MS}" }', 'MS: { default: 60000, type: integer }');
});

afterEach(async () => {
  if (cli !== undefined && cli.process.exitCode === null && cli.process.signalCode === null) {
    cli.process.kill('SIGKILL');
    await cli.exited;
  }
  cli = undefined;
  project.cleanup();
});

function configYaml(extra = ''): string {
  return `server: { port: 0, dataDir: data, token: { env: LIFECYCLE_TOKEN }${extra} }\n`;
}

async function post(url: string, graph: string, parameters: Record<string, unknown> = {}): Promise<string> {
  const response = await callApi(url, 'POST', '/api/runs', { token: TOKEN, body: { graph, parameters } });
  expect(response.status).toBe(202);
  return response.body.runId as string;
}

async function waitForStatus(url: string, runId: string, status: string): Promise<any> {
  return waitFor(`run ${runId} to be ${status}`, async () => {
    const run = (await callApi(url, 'GET', `/api/runs/${runId}`)).body;
    return run.status === status && (status !== 'RUNNING' || run.tracking?.components[0]?.status === 'RUNNING') ? run : undefined;
  });
}

function historyAfterwards(): RunHistory {
  return RunHistory.open(join(project.dir, 'data'));
}

describe('server lifecycle', { timeout: 60_000 }, () => {
  it('keeps the history across a restart, and a run that a killed server left running becomes UNKNOWN', async () => {
    project.write('trefoil.server.yaml', configYaml());
    cli = await spawnCliServer(project.dir, [], { LIFECYCLE_TOKEN: TOKEN }); // the default config file in the working directory
    const finished = await post(cli.url, 'graphs/quick.yaml');
    await waitForStatus(cli.url, finished, 'FINISHED_OK');
    const interrupted = await post(cli.url, 'graphs/slow.yaml');
    await waitForStatus(cli.url, interrupted, 'RUNNING');

    cli.process.kill('SIGKILL');
    expect(await cli.exited).toBe('SIGKILL');
    // The orphaned run process sees its IPC channel close and aborts its run.
    await waitFor('the orphaned run to stop', () => readFileSync(join(project.dir, 'data/logs', `${interrupted}.log`), 'utf8').includes('graph slow aborted'));

    const restarted = await startServer(project, configYaml(), { environment: { ...process.env, LIFECYCLE_TOKEN: TOKEN } });
    try {
      const survived = (await restarted.api('GET', `/api/runs/${finished}`)).body;
      expect(survived).toMatchObject({ status: 'FINISHED_OK', graph: 'graphs/quick.yaml', tracking: { status: 'FINISHED_OK' } });
      const unknown = (await restarted.api('GET', `/api/runs/${interrupted}`)).body;
      expect(unknown).toMatchObject({ status: 'UNKNOWN', message: 'the server stopped while the run was running; its outcome is unknown' });
      expect(unknown.finishedAt).not.toBeNull();
      expect((await restarted.api('GET', '/api/runs?status=UNKNOWN')).body.total).toBe(1);
      // The restarted server runs graphs as before.
      const next = await post(restarted.url, 'graphs/quick.yaml');
      await waitForStatus(restarted.url, next, 'FINISHED_OK');
      expect((await restarted.api('GET', '/api/runs')).body.total).toBe(3);
    } finally {
      await restarted.stop();
    }
  });

  it('stops gracefully on SIGTERM: the running run finishes, the enqueued one is aborted, exit status 0', async () => {
    project.write('server.yaml', configYaml(', maxConcurrentRuns: 1'));
    cli = await spawnCliServer(project.dir, ['--config', 'server.yaml'], { LIFECYCLE_TOKEN: TOKEN });
    const running = await post(cli.url, 'graphs/slow.yaml', { MS: 1500 });
    await waitForStatus(cli.url, running, 'RUNNING');
    const waiting = await post(cli.url, 'graphs/quick.yaml');
    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toContain('SIGTERM: stopping');

    const history = historyAfterwards();
    try {
      expect(history.get(running)?.status).toBe('FINISHED_OK');
      expect(history.get(waiting)).toMatchObject({ status: 'ABORTED', message: 'the server stopped before the run started', startedAt: null });
    } finally {
      history.close();
    }
  });

  it('applies the retention policy at start: only the newest maxRuns runs and their logs are kept', async () => {
    const environment = { ...process.env, LIFECYCLE_TOKEN: TOKEN };
    const first = await startServer(project, configYaml(), { environment });
    const older = await post(first.url, 'graphs/quick.yaml');
    await waitForStatus(first.url, older, 'FINISHED_OK');
    const newer = await post(first.url, 'graphs/quick.yaml');
    await waitForStatus(first.url, newer, 'FINISHED_OK');
    await first.stop();
    expect(project.filesUnder('data/logs')).toHaveLength(2);

    const second = await startServer(project, configYaml(', retention: { maxRuns: 1 }'), { environment });
    try {
      const { runs } = (await second.api('GET', '/api/runs')).body;
      expect(runs.map((run: { runId: string }) => run.runId)).toEqual([newer]);
      expect(project.filesUnder('data/logs')).toEqual([join(project.dir, 'data/logs', `${newer}.log`)]);
    } finally {
      await second.stop();
    }
  });

  it('aborts the running runs once the shutdown timeout has passed', async () => {
    const server = await startServer(project, configYaml(), { environment: { ...process.env, LIFECYCLE_TOKEN: TOKEN } });
    const runId = await post(server.url, 'graphs/slow.yaml');
    await waitForStatus(server.url, runId, 'RUNNING');
    const stopping = Date.now();
    await server.server.stop({ timeoutMs: 300 });
    expect(Date.now() - stopping).toBeLessThan(5000);
    const history = historyAfterwards();
    try {
      expect(history.get(runId)).toMatchObject({ status: 'ABORTED', message: 'the run was interrupted (the server is shutting down)' });
    } finally {
      history.close();
    }
  });
});
