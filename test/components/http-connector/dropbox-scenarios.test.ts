/**
 * The Dropbox scenarios (SPEC §10) expressed with HTTPConnector, against the local Dropbox API
 * fake (test/support/dropbox-fake): download to a file with a `Dropbox-API-Arg` header holding a
 * non-ASCII path, upload of a file body, a chunked upload session (FileReader chunks →
 * append_v2), list_folder + list_folder/continue pagination, the OAuth2 code exchange with a
 * form body, a 429 with Retry-After retried, and `error_summary` in the run's error message.
 * These are the shapes graphs/dropbox/ will use; the fake checks the wire conventions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECT, runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { startDropboxFake, type DropboxFake } from '../../support/dropbox-fake/index.ts';

let dropbox: DropboxFake;
const scratch = temporaryDirectory('trefoil-http-dropbox-');
const REPORT = 'id,total\n1,9\n2,11\n';

beforeAll(async () => {
  dropbox = await startDropboxFake({
    seed: { '/Über uns/naïve résumé.csv': REPORT, '/photos/a.jpg': 'A', '/photos/b.jpg': 'B', '/photos/c.jpg': 'C', '/photos/d.jpg': 'D', '/photos/e.jpg': 'E' },
    listFolderPageSize: 2,
    authorizationCodes: { 'the-code': { offline: true } },
  });
});

beforeEach(() => {
  dropbox.clearFaults();
  dropbox.clearRequests();
});

afterAll(async () => {
  await dropbox.close();
  scratch.cleanup();
});

const auth = () => `{ type: bearer, token: "${dropbox.accessToken}" }`;

describe('Dropbox with HTTPConnector', () => {
  it('downloads a file with a non-ASCII path to disk (Dropbox-API-Arg via *{path:json})', async () => {
    const { result, collected } = await runYaml(`
graph: download
metadata:
  Wanted: { fields: { path: string, local: string } }
  Downloaded: { fields: { path: string, statusCode: integer, file: string, headers: { type: string, container: map } } }
components:
  wanted:
    type: DataGenerator
    records: 1
    generate: "$out[0].path = '/Über uns/naïve résumé.csv'; $out[0].local = 'report.csv';"
  download:
    type: HTTPConnector
    method: POST
    url: "${dropbox.contentUrl}/2/files/download"
    headers: { Dropbox-API-Arg: '{"path": *{path:json}}' }
    auth: ${auth()}
    responseFile: "${scratch.dir}/downloads/*{local}"
    makeDirs: true
    failOnStatus: [4xx, 5xx]
  sink: { type: ${COLLECT} }
edges:
  - { from: wanted, to: download, metadata: Wanted }
  - { from: download, to: sink, metadata: Downloaded }
`);
    expect(result.error?.message).toBeUndefined();
    expect(readFileSync(join(scratch.dir, 'downloads', 'report.csv'), 'utf8')).toBe(REPORT);
    // The file's metadata comes back in the Dropbox-API-Result header, non-ASCII escaped.
    const headers = collected.sink![0]!.headers as Record<string, string>;
    expect(JSON.parse(headers['dropbox-api-result']!)).toMatchObject({ name: 'naïve résumé.csv', size: REPORT.length });
    // The header went out as ASCII (\u escapes) and the server read the path back exactly.
    const sent = dropbox.requestsTo('files/download')[0]!;
    expect(sent.headers['dropbox-api-arg']).toBe('{"path": "/\\u00dcber uns/na\\u00efve r\\u00e9sum\\u00e9.csv"}');
    expect(sent.arg).toEqual({ path: '/Über uns/naïve résumé.csv' });
  });

  it('surfaces error_summary in the run\'s error message (download of a missing file)', async () => {
    const { result } = await runYaml(`
graph: download-missing
components:
  download:
    type: HTTPConnector
    method: POST
    url: "${dropbox.contentUrl}/2/files/download"
    headers: { Dropbox-API-Arg: '{"path": "/nope.txt"}' }
    auth: ${auth()}
    responseFile: "${scratch.dir}/nope.txt"
    failOnStatus: [4xx, 5xx]
`);
    expect(result.status).toBe('ERROR');
    expect(result.error!.message).toMatch(/^download \(HTTPConnector\) failed: POST http:\/\/127\.0\.0\.1:\d+\/2\/files\/download: status 409 Conflict: path\/not_found\/\.*$/);
  });

  it('uploads a file body (files/upload, mode overwrite), retrying a 429 after its Retry-After', async () => {
    const local = join(scratch.dir, 'upload.jsonl');
    writeFileSync(local, '{"id":"1"}\n{"id":"2"}\n');
    dropbox.failNext({ kind: 'rate-limit', retryAfter: 1 }, { route: 'files/upload' });
    const started = performance.now();
    const { result, collected } = await runYaml(`
graph: upload
parameters:
  LOCAL_FILE: "${local}"
  REMOTE_PATH: /uploads/rows.jsonl
components:
  upload:
    type: HTTPConnector
    method: POST
    url: "${dropbox.contentUrl}/2/files/upload"
    headers:
      Content-Type: application/octet-stream
      Dropbox-API-Arg: '{"path": "\${REMOTE_PATH}", "mode": "overwrite"}'
    auth: ${auth()}
    bodyFile: "\${LOCAL_FILE}"
    retry: { count: 3 }
    failOnStatus: [4xx, 5xx]
  sink: { type: ${COLLECT} }
edges:
  - { from: upload, to: sink }
`);
    expect(result.error?.message).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(dropbox.requestsTo('files/upload')).toHaveLength(2);
    expect(JSON.parse(collected.sink![0]!.content as string)).toMatchObject({ path_display: '/uploads/rows.jsonl', size: 22 });
    expect(dropbox.state.readFile('/uploads/rows.jsonl')!.toString()).toBe('{"id":"1"}\n{"id":"2"}\n');
  });

  it('uploads in chunks: upload_session/start, append_v2 per FileReader chunk, finish with the commit', async () => {
    const local = join(scratch.dir, 'big.bin');
    const content = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256));
    writeFileSync(local, content);
    const { result } = await runYaml(`
graph: chunked-upload
parameters:
  LOCAL_FILE: "${local}"
  REMOTE_PATH: /big/file.bin
  CHUNK_SIZE: 4096
dictionary:
  session: string
  size: long
metadata:
  Chunk: { fields: { offset: long, size: integer, data: bytes, last: boolean } }
  Started: { fields: { content: string } }
  Appended: { fields: { offset: long, size: integer, statusCode: integer } }
components:
  start:
    type: HTTPConnector
    phase: 0
    method: POST
    url: "${dropbox.contentUrl}/2/files/upload_session/start"
    headers: { Content-Type: application/octet-stream, Dropbox-API-Arg: '{"close": false}' }
    auth: ${auth()}
    body: ""
    failOnStatus: [4xx, 5xx]
  keepSession:
    type: Reformat
    phase: 0
    transform: "dict.session = JSON.parse($in[0].content).session_id;"
  started: { type: Trash, phase: 0 }
  chunks: { type: FileReader, phase: 1, file: "\${LOCAL_FILE}", format: chunks, chunkSize: "\${CHUNK_SIZE}", metadata: Chunk }
  append:
    type: HTTPConnector
    phase: 1
    method: POST
    url: "${dropbox.contentUrl}/2/files/upload_session/append_v2"
    headers:
      Content-Type: application/octet-stream
      Dropbox-API-Arg: '{"cursor": {"session_id": *{dict.session:json}, "offset": *{offset}}, "close": *{last}}'
    auth: ${auth()}
    bodyField: data
    failOnStatus: [4xx, 5xx]
  total:
    type: Reformat
    phase: 1
    transform: "dict.size = $in[0].offset + $in[0].size;"
  appended: { type: Trash, phase: 1 }
  finish:
    type: HTTPConnector
    phase: 2
    method: POST
    url: "${dropbox.contentUrl}/2/files/upload_session/finish"
    headers:
      Content-Type: application/octet-stream
      Dropbox-API-Arg: '{"cursor": {"session_id": *{dict.session:json}, "offset": *{dict.size}}, "commit": {"path": "\${REMOTE_PATH}", "mode": "overwrite"}}'
    auth: ${auth()}
    body: ""
    failOnStatus: [4xx, 5xx]
edges:
  - { from: start, to: keepSession, metadata: Started }
  - { from: keepSession, to: started, metadata: Started }
  - { from: chunks, to: append, metadata: Chunk, buffer: 4 }
  - { from: append, to: total, metadata: Appended }
  - { from: total, to: appended, metadata: Appended }
`);
    expect(result.error?.message).toBeUndefined();
    expect(dropbox.requestsTo('files/upload_session/append_v2')).toHaveLength(3);
    expect(dropbox.state.readFile('/big/file.bin')).toEqual(content);
    expect(dropbox.openUploadSessions()).toEqual([]);
  });

  it('lists a folder page by page: list_folder, then list_folder/continue while has_more', async () => {
    const { result, collected } = await runYaml(`
graph: list
metadata:
  Page: { fields: { statusCode: integer, content: string } }
components:
  list:
    type: HTTPConnector
    method: POST
    url: "${dropbox.apiUrl}/2/files/list_folder"
    headers: { Content-Type: application/json }
    body: '{"path": "/photos"}'
    auth: ${auth()}
    pagination:
      strategy: cursor
      cursorField: cursor
      hasMoreField: has_more
      next: { url: "${dropbox.apiUrl}/2/files/list_folder/continue", cursorBodyField: cursor }
    failOnStatus: [4xx, 5xx]
  sink: { type: ${COLLECT} }
edges:
  - { from: list, to: sink, metadata: Page }
`);
    expect(result.error?.message).toBeUndefined();
    const pages = collected.sink!.map((r) => JSON.parse(r.content as string) as { entries: { name: string }[]; has_more: boolean });
    expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
    expect(pages.flatMap((p) => p.entries.map((e) => e.name)).sort()).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
    expect(dropbox.requestsTo('files/list_folder/continue')).toHaveLength(2);
  });

  it('exchanges an authorization code for tokens with a form body and basic client auth', async () => {
    const { result, collected } = await runYaml(`
graph: token
parameters:
  APP_KEY: test-app-key
  APP_SECRET: { default: test-app-secret, secure: true }
  AUTH_CODE: the-code
components:
  exchange:
    type: HTTPConnector
    method: POST
    url: "${dropbox.apiUrl}/oauth2/token"
    form: { code: "\${AUTH_CODE}", grant_type: authorization_code }
    auth: { type: basic, username: "\${APP_KEY}", password: "\${APP_SECRET}" }
    failOnStatus: [4xx, 5xx]
  sink: { type: ${COLLECT} }
edges:
  - { from: exchange, to: sink }
`);
    expect(result.error?.message).toBeUndefined();
    const token = JSON.parse(collected.sink![0]!.content as string) as { access_token: string; refresh_token: string; token_type: string };
    expect(token.token_type).toBe('bearer');
    expect(token.access_token).toMatch(/^sl\./);
    expect(token.refresh_token).toBeTruthy();
  });
});
