/**
 * graphs/dropbox/token.yaml end to end: the authorization code is exchanged at /oauth2/token,
 * the tokens land encrypted in the params file, and the next graph uses them through `--params`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParamsFile } from '../../engine/params/params-file.ts';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { runCli } from '../support/run-cli.ts';
import { expectNoSecrets, expectSuccess, runDropboxGraph, scratchDirectory, type GraphRun } from './dropbox-graph-run.ts';

const APP_KEY = 'app-key-4711';
const APP_SECRET = 'app-secret-d0n7-5h0w-m3';
const MASTER_PASSWORD = 'correct horse battery staple';
const ENV = { TREFOIL_MASTER_PASSWORD: MASTER_PASSWORD };

describe('token.yaml', { timeout: 60_000 }, () => {
  let fake: DropboxFake;
  let scratch: { dir: string; cleanup: () => void };
  const runs: GraphRun[] = [];

  beforeAll(async () => {
    fake = await startDropboxFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      authorizationCodes: { 'code-offline': {}, 'code-online': { offline: false }, 'code-unused': {} },
      seed: { '/Reports/q1.csv': 'id,total\n1,9\n' },
    });
    scratch = scratchDirectory();
    // The app secret is kept encrypted, as the README tells users to.
    const stored = await runCli(['params', 'set', 'app.params.yaml', 'APP_SECRET', '--secure'], { cwd: scratch.dir, env: ENV, input: `${APP_SECRET}\n` });
    expect(stored.code, stored.stderr).toBe(0);
  });

  afterAll(async () => {
    expect(fake.serverErrors).toEqual([]);
    await fake.close();
    scratch.cleanup();
  });

  const exchange = (code: string, paramsFile: string, env: Record<string, string | undefined> = ENV): Promise<GraphRun> =>
    runDropboxGraph(fake, 'token', { APP_KEY, AUTH_CODE: code, PARAMS_FILE: paramsFile }, { cwd: scratch.dir, token: null, args: ['--params', 'app.params.yaml'], env }).then((run) => {
      runs.push(run);
      return run;
    });

  it('stores the access and refresh tokens encrypted, and download.yaml uses them through --params', async () => {
    const run = await exchange('code-offline', 'dropbox.params.yaml');
    expectSuccess(run);

    const [request] = fake.requestsTo('oauth2/token');
    expect(request).toMatchObject({ host: 'api', method: 'POST', status: 200 });
    expect(request!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request!.arg).toEqual({ grant_type: 'authorization_code', code: '*****', client_id: APP_KEY, client_secret: '*****' });

    const paramsFile = join(scratch.dir, 'dropbox.params.yaml');
    const text = readFileSync(paramsFile, 'utf8');
    expect(text).toMatch(/^DROPBOX_TOKEN: enc:v1:\S+$/m);
    expect(text).toMatch(/^DROPBOX_REFRESH_TOKEN: enc:v1:\S+$/m);
    const entries = Object.fromEntries(readParamsFile(paramsFile, { masterPassword: MASTER_PASSWORD }).entries.map((entry) => [entry.name, entry.value]));
    const accessToken = String(entries.DROPBOX_TOKEN);
    const refreshToken = String(entries.DROPBOX_REFRESH_TOKEN);
    expect(accessToken).toMatch(/^sl\./);
    expect(refreshToken.length).toBeGreaterThan(10);
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(refreshToken);

    const download = await runDropboxGraph(fake, 'download', { REMOTE_PATH: '/Reports/q1.csv', LOCAL_FILE: 'q1.csv' }, {
      cwd: scratch.dir,
      token: null,
      args: ['--params', 'dropbox.params.yaml'],
      env: ENV,
    });
    runs.push(download);
    expectSuccess(download);
    expect(readFileSync(join(scratch.dir, 'q1.csv'), 'utf8')).toBe('id,total\n1,9\n');
    expect(fake.requestsTo('files/download')[0]!.headers.authorization).toBe('Bearer *****');

    const secrets = [APP_SECRET, accessToken, refreshToken, MASTER_PASSWORD];
    for (const each of runs) expectNoSecrets(each, secrets, [paramsFile, join(scratch.dir, 'app.params.yaml')]);
  });

  it('with the app key and secret, the stored refresh token renews an expired access token', async () => {
    fake.expireAccessTokens();
    const paramsFile = join(scratch.dir, 'dropbox.params.yaml');
    const entries = Object.fromEntries(readParamsFile(paramsFile, { masterPassword: MASTER_PASSWORD }).entries.map((entry) => [entry.name, String(entry.value)]));
    const before = fake.requestsTo('oauth2/token').length;
    const download = await runDropboxGraph(fake, 'download', { REMOTE_PATH: '/Reports/q1.csv', LOCAL_FILE: 'renewed.csv', APP_KEY }, {
      cwd: scratch.dir,
      token: null,
      args: ['--params', 'app.params.yaml', '--params', 'dropbox.params.yaml'],
      env: ENV,
    });
    runs.push(download);
    expectSuccess(download);
    expect(readFileSync(join(scratch.dir, 'renewed.csv'), 'utf8')).toBe('id,total\n1,9\n');
    const refresh = fake.requestsTo('oauth2/token').slice(before);
    expect(refresh.map((request) => request.arg)).toEqual([{ grant_type: 'refresh_token', refresh_token: '*****', client_id: APP_KEY, client_secret: '*****' }]);
    expect(fake.requestsTo('files/download').slice(-2).map((request) => request.status)).toEqual([401, 200]);
    expectNoSecrets(download, [APP_SECRET, entries.DROPBOX_TOKEN!, entries.DROPBOX_REFRESH_TOKEN!, MASTER_PASSWORD]);

    // Without the app's credentials nothing renews it: the API's error is the run's error.
    const stale = await runDropboxGraph(fake, 'download', { REMOTE_PATH: '/Reports/q1.csv', LOCAL_FILE: 'stale.csv' }, { cwd: scratch.dir, token: entries.DROPBOX_TOKEN!, env: ENV });
    runs.push(stale);
    expect(stale.code).toBe(1);
    expect(stale.error).toContain('status 401 Unauthorized: expired_access_token/');
  });

  it('keeps other entries of the params file, and a stored refresh token when the new grant has none', async () => {
    const paramsFile = join(scratch.dir, 'online.params.yaml');
    writeFileSync(paramsFile, '# my settings\nLOCAL_DIR: ./mirror\nDROPBOX_REFRESH_TOKEN: enc:v1:kept\n');
    const run = await exchange('code-online', 'online.params.yaml');
    expectSuccess(run);
    const text = readFileSync(paramsFile, 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('LOCAL_DIR: ./mirror');
    expect(text).toContain('DROPBOX_REFRESH_TOKEN: enc:v1:kept');
    expect(text).toMatch(/^DROPBOX_TOKEN: enc:v1:\S+$/m);
  });

  it('a refused code fails the run with the OAuth error and writes nothing', async () => {
    const run = await exchange('code-offline', 'again.params.yaml'); // already used
    expect(run.code).toBe(1);
    expect(run.error).toContain('status 400 Bad Request: invalid_grant');
    expect(existsSync(join(scratch.dir, 'again.params.yaml'))).toBe(false);
    expectNoSecrets(run, [APP_SECRET, MASTER_PASSWORD]);
  });

  it('without TREFOIL_MASTER_PASSWORD the graph is refused before the code is spent', async () => {
    const before = fake.requestsTo('oauth2/token').length;
    const run = await runDropboxGraph(fake, 'token', { APP_KEY, APP_SECRET, AUTH_CODE: 'code-unused', PARAMS_FILE: 'none.params.yaml' }, { cwd: scratch.dir, token: null });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TREFOIL_MASTER_PASSWORD');
    expect(fake.requestsTo('oauth2/token').length).toBe(before);
    expect(existsSync(join(scratch.dir, 'none.params.yaml'))).toBe(false);
    expectNoSecrets(run, [APP_SECRET]);
  });
});
