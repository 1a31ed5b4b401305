import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setParam } from '../../engine/params/params-file.ts';
import { nextFireTimes } from '../../engine/server/schedule.ts';
import { loadServerConfig, parseServerConfig, resolveServerToken, ServerConfigError, type ServerConfig } from '../../engine/server/server-config.ts';

const FILE = 'trefoil.server.yaml';
const BASE = '/project';
const scratch = mkdtempSync(join(tmpdir(), 'trefoil-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function parse(text: string): ServerConfig {
  return parseServerConfig(text, FILE, { baseDir: BASE });
}

/** The `FILE:LINE:COL CODE` heads of every reported problem. */
function problemsOf(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ServerConfigError);
    return (error as ServerConfigError).problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('server config', () => {
  it('reads the SPEC §9 example with defaults applied and paths resolved', () => {
    const config = parse(`
server: { host: 127.0.0.1, port: 8080, dataDir: .trefoil, maxConcurrentRuns: 4 }
schedules:
  - id: dropbox-sync
    graph: graphs/dropbox/sync.yaml
    every: 5m
    parameters: { LOCAL_DIR: ./mirror }
    overlap: skip
listeners:
  - id: outbox
    path: ./outbox
    pattern: "*.csv"
    events: [added, changed]
    stableChecks: 2
    interval: 2s
    graph: graphs/dropbox/chunked-upload.yaml
    parameters: { LOCAL_FILE: "\${EVENT_FILE_PATH}", REMOTE_PATH: "/outbox/\${EVENT_FILE_NAME}" }
`);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, dataDir: '/project/.trefoil', maxConcurrentRuns: 4, graphRoots: ['/project/graphs'], retention: {}, token: null });
    const [schedule] = config.schedules;
    expect(schedule).toMatchObject({ id: 'dropbox-sync', graph: '/project/graphs/dropbox/sync.yaml', parameters: { LOCAL_DIR: './mirror' }, overlap: 'skip', enabled: true });
    expect(schedule!.location).toEqual({ file: FILE, line: 4, column: 5 });
    const from = Date.parse('2026-01-01T00:00:00Z');
    expect(nextFireTimes(schedule!.schedule, 2, from).map((time) => time.getTime() - from)).toEqual([300_000, 600_000]);
    const [listener] = config.listeners;
    expect(listener).toMatchObject({ id: 'outbox', overlap: 'queue', graph: '/project/graphs/dropbox/chunked-upload.yaml' });
    expect(listener!.listener).toEqual({
      id: 'outbox',
      path: '/project/outbox',
      pattern: '*.csv',
      recursive: false,
      events: ['added', 'changed'],
      intervalMs: 2000,
      stableChecks: 2,
      ignoreEmpty: false,
      group: false,
    });
  });

  it('accepts an empty file: a server with no triggers and every default', () => {
    expect(parse('')).toMatchObject({ server: { host: '127.0.0.1', port: 8080, dataDir: '/project/.trefoil', maxConcurrentRuns: 4 }, schedules: [], listeners: [] });
  });

  it('positions schema problems at the offending node, all at once', () => {
    expect(
      problemsOf(`server:
  port: eighty
  hostname: localhost
schedules:
  - id: nightly
    every: 1d
    overlap: sometimes
listeners:
  - id: in
    path: ./in
    graph: g.yaml
    events: [added, renamed]
`),
    ).toEqual([
      `${FILE}:2:9 TREFOIL_ERR_SERVER_CONFIG_SCHEMA`, // port must be integer
      `${FILE}:3:3 TREFOIL_ERR_SERVER_CONFIG_SCHEMA`, // unknown key hostname (at the key)
      `${FILE}:5:5 TREFOIL_ERR_SERVER_CONFIG_SCHEMA`, // schedule without graph (at the item)
      `${FILE}:7:14 TREFOIL_ERR_SERVER_CONFIG_SCHEMA`, // overlap enum
      `${FILE}:12:21 TREFOIL_ERR_SERVER_CONFIG_SCHEMA`, // events item enum (at "renamed")
    ]);
  });

  it('explains schema problems in words', () => {
    try {
      parse('server:\n  hostt: x\n');
    } catch (error) {
      expect((error as Error).message).toBe(`${FILE}:2:3 TREFOIL_ERR_SERVER_CONFIG_SCHEMA unknown key hostt in server (did you mean host?)`);
      return;
    }
    throw new Error('expected a problem');
  });

  it('positions YAML syntax errors', () => {
    expect(problemsOf('server:\n  port: [8080\n')).toEqual([expect.stringMatching(new RegExp(`^${FILE}:\\d+:\\d+ TREFOIL_ERR_SERVER_CONFIG_YAML$`))]);
  });

  it('positions timing, cron, duration, pattern, id and event-parameter problems', () => {
    const text = `schedules:
  - { id: both, graph: g.yaml, every: 1m, cron: "* * * * *" }
  - { id: none, graph: g.yaml }
  - { id: badcron, graph: g.yaml, cron: "0 0 12 * * ? 2030" }
  - { id: zero, graph: g.yaml, every: 0s }
  - { id: words, graph: g.yaml, every: five minutes }
  - { id: zone, graph: g.yaml, cron: "0 * * * *", timezone: Mars/Base }
  - { id: when, graph: g.yaml, at: tomorrow }
  - { id: both, graph: g.yaml, every: 1m, parameters: { F: "\${EVENT_FILE_NAME}" } }
listeners:
  - { id: grouped, path: in, graph: g.yaml, group: true, parameters: { F: "\${EVENT_FILE_NAME}", U: "\${EVENT_FILE_URLS}" } }
  - { id: glob, path: in, graph: g.yaml, pattern: "[abc", interval: 0s }
`;
    const lines = text.split('\n');
    /** FILE:LINE:COL CODE of the first occurrence of `needle` on 1-based `line`. */
    const at = (line: number, needle: string, code: string): string => {
      const column = lines[line - 1]!.indexOf(needle);
      expect(column).toBeGreaterThanOrEqual(0);
      return `${FILE}:${line}:${column + 1} ${code}`;
    };
    expect(problemsOf(text)).toEqual([
      at(2, '"* * * * *"', 'TREFOIL_ERR_SERVER_SCHEDULE_TIMING'), // the second timing given
      at(3, 'none', 'TREFOIL_ERR_SERVER_SCHEDULE_TIMING'),
      at(4, '"0 0 12', 'TREFOIL_ERR_SERVER_CRON'),
      at(5, '0s', 'TREFOIL_ERR_SERVER_DURATION'),
      at(6, 'five minutes', 'TREFOIL_ERR_VALUE_DURATION'),
      at(7, 'Mars/Base', 'TREFOIL_ERR_SERVER_TIMEZONE'),
      at(8, 'tomorrow', 'TREFOIL_ERR_SERVER_AT'),
      at(9, 'both', 'TREFOIL_ERR_SERVER_DUPLICATE_ID'),
      at(9, '"${EVENT_FILE_NAME}"', 'TREFOIL_ERR_SERVER_EVENT_PARAMETER'), // schedules have no file
      at(11, '"${EVENT_FILE_NAME}"', 'TREFOIL_ERR_SERVER_EVENT_PARAMETER'), // grouped: no single name
      at(12, '"[abc"', 'TREFOIL_ERR_SERVER_FILE_PATTERN'),
      at(12, '0s', 'TREFOIL_ERR_SERVER_DURATION'),
    ]);
  });

  it('reports an unreadable file with its own code', () => {
    try {
      loadServerConfig(join(scratch, 'missing.yaml'));
    } catch (error) {
      expect(error).toMatchObject({ code: 'TREFOIL_ERR_SERVER_CONFIG_READ' });
      expect((error as Error).message).toContain('file not found');
      return;
    }
    throw new Error('expected an error');
  });

  it('loads a file from disk, resolving relative paths against the working directory by default', () => {
    const file = join(scratch, 'server.yaml');
    writeFileSync(file, 'server: { dataDir: data, retention: { maxAgeDays: 30, maxRuns: 1000 } }\n');
    expect(loadServerConfig(file).server).toMatchObject({ dataDir: join(process.cwd(), 'data'), retention: { maxAgeDays: 30, maxRuns: 1000 } });
  });
});

describe('API token', () => {
  it('comes from an environment variable', () => {
    const { server } = parse('server: { token: { env: TREFOIL_SERVER_TOKEN } }');
    expect(server.token).toEqual({ kind: 'env', variable: 'TREFOIL_SERVER_TOKEN' });
    expect(resolveServerToken(server.token!, { TREFOIL_SERVER_TOKEN: 's3cret' })).toBe('s3cret');
    expect(() => resolveServerToken(server.token!, {})).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_TOKEN' }));
  });

  it('or from a secure parameter in a params file, and never from a plain one', () => {
    const paramsFile = join(scratch, 'server.params.yaml');
    setParam(paramsFile, 'API_TOKEN', 'tok-123', { secure: true, masterPassword: 'pw' });
    setParam(paramsFile, 'PLAIN', 'visible');
    const { server } = parseServerConfig(`server: { token: { param: API_TOKEN, paramsFile: ${paramsFile} } }`, FILE);
    expect(server.token).toEqual({ kind: 'param', name: 'API_TOKEN', paramsFile });
    expect(resolveServerToken(server.token!, { TREFOIL_MASTER_PASSWORD: 'pw' })).toBe('tok-123');
    expect(() => resolveServerToken(server.token!, { TREFOIL_MASTER_PASSWORD: 'wrong' })).toThrowError(expect.objectContaining({ code: expect.stringMatching(/^TREFOIL_ERR_PARAMS_/) }));
    expect(() => resolveServerToken({ kind: 'param', name: 'PLAIN', paramsFile }, {})).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_TOKEN' }));
    expect(() => resolveServerToken({ kind: 'param', name: 'NONE', paramsFile }, {})).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_TOKEN' }));
  });

  it('needs exactly one source', () => {
    expect(problemsOf('server:\n  token: { env: A, param: B }\n')).toEqual([`${FILE}:2:10 TREFOIL_ERR_SERVER_TOKEN`]);
    expect(problemsOf('server:\n  token: { param: B }\n')).toEqual([`${FILE}:2:10 TREFOIL_ERR_SERVER_TOKEN`]);
  });
});
