/**
 * SPEC §4 **must**, on the server: a secure parameter's value never reaches the run history
 * database, the run logs or any API response — checked on the bytes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptSecureValue } from '../../engine/params/secure-value.ts';
import { ManualClock } from '../../engine/server/manual-clock.ts';
import { readEvents, startServer, TestProject, waitFor } from './server-harness.ts';

const MASTER_PASSWORD = 'master-of-tests';
const CONFIG_SECRET = 'plain-secret-in-config-8841'; // a graph-secure parameter given in clear in the server config
const ENCRYPTED_SECRET = 'encrypted-secret-5521'; // an enc:v1 value in the server config
const POSTED_SECRET = 'api-posted-secret-3390'; // a graph-secure parameter given through POST /api/runs
const SECRETS = [CONFIG_SECRET, ENCRYPTED_SECRET, POSTED_SECRET];

const project = new TestProject();
afterAll(() => project.cleanup());

describe('secure parameters on the server', { timeout: 60_000 }, () => {
  it('never appear in the history database, the run logs or the API', async () => {
    project.graph(
      'leaky',
      `
talk: { type: TestSleep, ms: 300, log: "token=\${API_TOKEN} other=\${OTHER_KEY}" }
fail: { type: Fail, phase: 1, message: "rejected \${API_TOKEN} and \${OTHER_KEY}" }
`,
      'API_TOKEN: { secure: true, required: true }\nOTHER_KEY: { default: none }',
    );
    const clock = new ManualClock(Date.now());
    const environment = { ...process.env, TREFOIL_MASTER_PASSWORD: MASTER_PASSWORD, API_TOKEN_FOR_TEST: 'the-api-token' };
    const server = await startServer(
      project,
      `
server: { port: 0, dataDir: data, token: { env: API_TOKEN_FOR_TEST } }
schedules:
  - id: leak
    graph: graphs/leaky.yaml
    every: 1h
    parameters: { API_TOKEN: ${CONFIG_SECRET}, OTHER_KEY: "${encryptSecureValue(ENCRYPTED_SECRET, MASTER_PASSWORD)}" }
`,
      { clock, environment },
    );
    await clock.advance(3_600_000);
    const posted = await server.api('POST', '/api/runs', { token: 'the-api-token', body: { graph: 'graphs/leaky.yaml', parameters: { API_TOKEN: POSTED_SECRET } } });
    expect(posted.status).toBe(202);
    const runs = await waitFor('both runs to end', () => {
      const page = server.server.history.list({ status: 'ERROR' });
      return page.total === 2 ? page.runs : undefined;
    });

    // The runs did use the secrets: the Fail message names them, masked.
    for (const run of runs) expect(run.message).toMatch(/rejected \*{5} and (\*{5}|none)/);
    const scheduled = runs.find((run) => run.trigger.kind === 'schedule')!;
    expect(scheduled.message).toContain('rejected ***** and *****');
    expect(scheduled.parameters).toEqual({ EVENT_SCHEDULE_ID: 'leak', EVENT_SCHEDULE_TIME: expect.any(String), API_TOKEN: '*****', OTHER_KEY: '*****' });

    const responses: string[] = [];
    const get = async (path: string): Promise<void> => {
      const response = await server.api('GET', path);
      expect(response.status).toBe(200);
      responses.push(response.text);
    };
    for (const path of ['/api/runs', '/api/schedules', '/api/listeners', '/api/graphs', '/api/status']) await get(path);
    for (const run of runs) {
      for (const suffix of ['', '/tracking', '/log']) await get(`/api/runs/${run.runId}${suffix}`);
      responses.push(JSON.stringify((await readEvents(`${server.url}/api/runs/${run.runId}/events`)).events));
    }
    const api = responses.join('\n');
    expect(api).toContain('token=*****'); // the logged line, masked
    for (const secret of SECRETS) expect(api).not.toContain(secret);

    const dataFiles = project.filesUnder('data');
    expect(dataFiles.some((file) => file.endsWith('history.sqlite-wal'))).toBe(true); // written, not yet checkpointed
    const grep = (): string[] =>
      project.filesUnder('data').flatMap((file) => {
        const bytes = readFileSync(file);
        return SECRETS.filter((secret) => bytes.includes(secret) || bytes.includes(Buffer.from(secret, 'utf16le'))).map((secret) => `${file}: ${secret}`);
      });
    expect(grep()).toEqual([]);
    expect(project.filesUnder('data/logs')).toHaveLength(2);
    await server.stop();
    expect(grep()).toEqual([]); // after the checkpoint into the main database file too
  });
});
