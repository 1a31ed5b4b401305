/**
 * graphs/dropbox/upload.yaml end to end: a CSV file (any header) becomes JSON Lines in phase 0
 * and is uploaded with files/upload (mode overwrite) in phase 1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { expectNoSecrets, expectSuccess, runDropboxGraph, scratchDirectory, type GraphRun } from './dropbox-graph-run.ts';

describe('upload.yaml', { timeout: 60_000 }, () => {
  let fake: DropboxFake;
  let scratch: { dir: string; cleanup: () => void };
  const runs: GraphRun[] = [];

  const upload = async (localFile: string, remotePath: string): Promise<GraphRun> => {
    const run = await runDropboxGraph(fake, 'upload', { LOCAL_FILE: localFile, REMOTE_PATH: remotePath }, { cwd: scratch.dir });
    runs.push(run);
    return run;
  };
  const uploaded = (path: string): unknown[] =>
    fake.state
      .readFile(path)!
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));

  beforeAll(async () => {
    fake = await startDropboxFake({ seed: { '/Reports/orders.jsonl': 'old content\n', '/Reports/a-file': 'x' } });
    scratch = scratchDirectory();
  });

  afterAll(async () => {
    expect(fake.serverErrors).toEqual([]);
    for (const run of runs) expectNoSecrets(run, [fake.accessToken]);
    await fake.close();
    scratch.cleanup();
  });

  it('uploads the CSV as JSON Lines: header names as keys, every value a string, replacing the old file', async () => {
    writeFileSync(
      join(scratch.dir, 'orders.csv'),
      'id,customer,amount,note\r\n1,Alice,9.50,\r\n2,"Bob, Jr.",12,"said ""hi""\nthen left"\r\n3,Čeněk,0.3,ünïcode\r\n',
    );
    const run = await upload('orders.csv', '/Reports/orders.jsonl');
    expectSuccess(run);
    expect(uploaded('/Reports/orders.jsonl')).toEqual([
      { id: '1', customer: 'Alice', amount: '9.50', note: '' },
      { id: '2', customer: 'Bob, Jr.', amount: '12', note: 'said "hi"\nthen left' },
      { id: '3', customer: 'Čeněk', amount: '0.3', note: 'ünïcode' },
    ]);
    // The keys keep the header's order.
    expect(fake.state.readFile('/Reports/orders.jsonl')!.toString('utf8').split('\n')[0]).toBe('{"id":"1","customer":"Alice","amount":"9.50","note":""}');
    const [request] = fake.requestsTo('files/upload');
    expect(request).toMatchObject({ host: 'content', arg: { path: '/Reports/orders.jsonl', mode: 'overwrite' }, status: 200 });
    expect(request!.headers['content-type']).toBe('application/octet-stream');
    // Phase 0 ran before phase 1.
    expect(run.stderr).toMatch(/Phase 0[\s\S]*read[\s\S]*Phase 1[\s\S]*upload/);
  });

  it('works for any header, a non-ASCII remote path and a header-only file', async () => {
    writeFileSync(join(scratch.dir, 'other.csv'), 'Zeit,Temperatur °C,Ort\n2026-01-01T00:00:00Z,-3.5,Brno\n');
    expectSuccess(await upload('other.csv', '/Messwerte/März.jsonl'));
    expect(uploaded('/messwerte/märz.jsonl')).toEqual([{ Zeit: '2026-01-01T00:00:00Z', 'Temperatur °C': '-3.5', Ort: 'Brno' }]);
    expect(fake.requestsTo('files/upload').at(-1)!.headers['dropbox-api-arg']).toBe('{"path": "/Messwerte/M\\u00e4rz.jsonl", "mode": "overwrite"}');

    writeFileSync(join(scratch.dir, 'header-only.csv'), 'a,b,c\n');
    expectSuccess(await upload('header-only.csv', '/empty.jsonl'));
    expect(fake.state.readFile('/empty.jsonl')!.length).toBe(0);
  });

  it('retries 429 with Retry-After; an API error fails the run with its error_summary', async () => {
    fake.failNext({ kind: 'rate-limit', retryAfter: 1, reason: 'too_many_write_operations' }, { route: 'files/upload' });
    expectSuccess(await upload('orders.csv', '/Reports/again.jsonl'));
    const [limited, accepted] = fake.requestsTo('files/upload').slice(-2);
    expect([limited!.status, accepted!.status]).toEqual([429, 200]);
    expect(accepted!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(950);

    const conflict = await upload('orders.csv', '/Reports/a-file/inside.jsonl');
    expect(conflict.code).toBe(1);
    expect(conflict.error).toMatch(/upload \(HTTPConnector\) failed.*status 409 Conflict: path\/conflict\//);
  });

  it('a missing local file fails in phase 0, before anything is uploaded', async () => {
    const before = fake.requestsTo('files/upload').length;
    const run = await upload('missing.csv', '/never.jsonl');
    expect(run.code).toBe(1);
    expect(run.error).toContain('missing.csv');
    expect(fake.requestsTo('files/upload').length).toBe(before);
  });
});
