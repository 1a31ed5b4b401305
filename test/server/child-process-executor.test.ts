import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackingSnapshot } from '../../engine/runtime/tracking.ts';
import { ChildProcessExecutor } from '../../engine/server/child-process-executor.ts';
import type { RunRequest } from '../../engine/server/run-types.ts';
import { TestProject } from './server-harness.ts';

const project = new TestProject();
afterAll(() => project.cleanup());

const snapshots = new Map<string, TrackingSnapshot[]>();
const executor = new ChildProcessExecutor({
  projectDir: project.dir,
  logDir: join(project.dir, 'data', 'logs'),
  trackingIntervalMs: 100,
  abortGraceMs: 300,
  killGraceMs: 300,
  onTracking: (runId, snapshot) => snapshots.set(runId, [...(snapshots.get(runId) ?? []), snapshot]),
});

let runs = 0;
function request(graph: string, parameters: Record<string, unknown> = {}, secureParameterNames: string[] = []): RunRequest {
  return { runId: `run-${++runs}`, graph: join(project.dir, graph), parameters, secureParameterNames, trigger: { kind: 'manual' } };
}

describe('ChildProcessExecutor', { timeout: 30_000 }, () => {
  it('runs a graph in a child process with undeclared trigger parameters, streams tracking and writes a JSON-lines log', async () => {
    const graph = project.graph(
      'event-echo',
      `
wait: { type: TestSleep, ms: 600 }
echo: { type: TestWriteJson, file: "out/\${EVENT_FILE_NAME}.json", value: { name: "\${EVENT_FILE_NAME}", limit: "\${LIMIT}" } }
`,
      'LIMIT: { default: 3, type: integer }',
    );
    const runRequest = request(graph, { EVENT_FILE_NAME: 'orders.csv', LIMIT: 7 });
    const outcome = await executor.start(runRequest).done;

    expect(outcome.status).toBe('FINISHED_OK');
    expect(JSON.parse(project.read('out/orders.csv.json'))).toEqual({ name: 'orders.csv', limit: 7 }); // -P beats the default, typed
    const live = snapshots.get(runRequest.runId) ?? [];
    expect(live.length).toBeGreaterThanOrEqual(2); // one at start, more every 100 ms of the 600 ms wait
    expect(live.some((snapshot) => snapshot.status === 'RUNNING' && snapshot.components.find((component) => component.id === 'wait')?.status === 'RUNNING')).toBe(true);
    const tracking = outcome.tracking as TrackingSnapshot;
    expect(tracking.status).toBe('FINISHED_OK');
    expect(tracking.components.map((component) => [component.id, component.status])).toEqual([
      ['wait', 'FINISHED_OK'],
      ['echo', 'FINISHED_OK'],
    ]);
    const lines = readFileSync(outcome.logFile!, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; runId: string });
    expect(lines.map((line) => line.msg)).toEqual(['graph event-echo started', 'graph event-echo finished']);
    expect(lines.every((line) => line.runId === runRequest.runId)).toBe(true);
  });

  it('reports an invalid graph as ERROR with its positioned problems, in the outcome and the log', async () => {
    const graph = project.write('graphs/broken.yaml', 'graph: broken\ncomponents:\n  x: { type: NoSuchComponent }\n');
    const outcome = await executor.start(request('graphs/broken.yaml')).done;
    expect(outcome.status).toBe('ERROR');
    expect(outcome.error?.message).toMatch(new RegExp(`the graph is invalid:\\n${graph.replaceAll('.', '\\.')}:3:\\d+ TREFOIL_ERR_GRAPH_`));
    expect(readFileSync(outcome.logFile!, 'utf8')).toContain('NoSuchComponent');
  });

  it('turns a crashed run process into ERROR with its last words', async () => {
    const graph = project.graph('crash', 'die: { type: TestCrash, message: "out of cheese" }');
    const outcome = await executor.start(request(graph)).done;
    expect(outcome.status).toBe('ERROR');
    expect(outcome.error?.message).toBe("the run's process exited with code 3 without reporting an outcome: out of cheese");
    expect(readFileSync(outcome.logFile!, 'utf8')).toContain('TREFOIL_ERR_SERVER_RUN_PROCESS');
    expect(executor.childCount).toBe(0);
  });

  it('aborts a running graph through its AbortSignal: ABORTED, promptly', async () => {
    const graph = project.graph('long', 'wait: { type: TestSleep, ms: 30000 }');
    const runRequest = request(graph);
    const execution = executor.start(runRequest);
    await waitUntil(() => (snapshots.get(runRequest.runId)?.length ?? 0) > 0);
    const abortedAt = Date.now();
    execution.abort('test abort');
    const outcome = await execution.done;
    expect(outcome.status).toBe('ABORTED');
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect((outcome.tracking as TrackingSnapshot).components[0]!.status).not.toBe('RUNNING');
  });

  it('kills a run that ignores the abort (a busy loop): SIGINT, then SIGKILL after the grace times', async () => {
    const graph = project.graph('spin', 'spin: { type: TestSpin, ms: 60000 }');
    const runRequest = request(graph);
    const execution = executor.start(runRequest);
    await waitUntil(() => (snapshots.get(runRequest.runId)?.length ?? 0) > 0);
    const abortedAt = Date.now();
    execution.abort('stop spinning');
    const outcome = await execution.done;
    expect(outcome.status).toBe('ABORTED');
    expect(outcome.error?.message).toBe("aborted (stop spinning); the run's process was killed by SIGKILL");
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(550); // 300 ms to SIGINT (ignored while spinning) + 300 ms to SIGKILL
    expect(Date.now() - abortedAt).toBeLessThan(5000);
  });

  it('masks secure parameter values in the log and the error message', async () => {
    const secret = 'sesame-0451-open';
    const graph = project.graph(
      'leaky',
      `
say: { type: TestSleep, ms: 1, log: "token=\${API_TOKEN}" }
fail: { type: Fail, phase: 1, message: "rejected \${API_TOKEN}" }
`,
      'API_TOKEN: { secure: true, required: true }',
    );
    const outcome = await executor.start(request(graph, { API_TOKEN: secret }, ['API_TOKEN'])).done;
    expect(outcome.status).toBe('ERROR');
    expect(outcome.error?.message).toContain('rejected *****');
    const log = readFileSync(outcome.logFile!, 'utf8');
    expect(log).toContain('token=*****');
    expect(log).not.toContain(secret);
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });

  it('leaves no run processes behind', () => {
    expect(executor.childCount).toBe(0);
    expect(existsSync(join(project.dir, 'data', 'logs'))).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
