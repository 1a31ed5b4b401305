/**
 * graphs/dropbox/server.yaml: it validates with `trefoil serve --dry-run`, and — pointed at the
 * Dropbox fake — its listener uploads files dropped into the outbox with chunked-upload.yaml and
 * its schedule mirrors Dropbox with sync.yaml.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { encryptSecureValue } from '../../engine/params/secure-value.ts';
import { startDropboxFake, type DropboxFake } from '../support/dropbox-fake/index.ts';
import { runCli } from '../support/run-cli.ts';
import { REPO, scratchDirectory } from './dropbox-graph-run.ts';

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('server.yaml', { timeout: 90_000 }, () => {
  it('validates with trefoil serve --dry-run: sync every five minutes, uploads from the outbox', async () => {
    const result = await runCli(['serve', '--config', 'graphs/dropbox/server.yaml', '--dry-run'], { cwd: REPO, env: { TREFOIL_MASTER_PASSWORD: undefined, DROPBOX_TOKEN: undefined } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('dropbox-sync: every 5m');
    expect(result.stdout).toContain('graph graphs/dropbox/sync.yaml: valid');
    expect(result.stdout).toMatch(/dropbox-outbox: dropbox\/outbox, pattern \*, events added, changed, .*stable after 2 check\(s\)/);
    expect(result.stdout).toContain('graph graphs/dropbox/chunked-upload.yaml: valid');
    expect(result.stdout).toContain('All graphs are valid.');
  });

  describe('running against the Dropbox fake', () => {
    let fake: DropboxFake;
    let scratch: { dir: string; cleanup: () => void };

    beforeAll(async () => {
      fake = await startDropboxFake({ seed: { '/Shared/report.csv': 'a,b\n1,2\n' } });
      scratch = scratchDirectory();
    });

    afterAll(async () => {
      expect(fake.serverErrors).toEqual([]);
      await fake.close();
      scratch.cleanup();
    });

    it('uploads a file dropped into the outbox, and the schedule mirrors Dropbox', async () => {
      // server.yaml as shipped, with the graphs' paths made absolute, a free port and the
      // schedule every two seconds instead of five minutes; the triggers read the params files
      // the walkthrough creates: the app's (here: the fake's addresses) and the encrypted token.
      const masterPassword = 'server master password';
      const config = parse(readFileSync(join(REPO, 'graphs/dropbox/server.yaml'), 'utf8'));
      config.server.port = 0;
      for (const trigger of [...config.schedules, ...config.listeners]) {
        trigger.graph = join(REPO, trigger.graph);
        expect(trigger.params).toEqual(['dropbox-app.yaml', 'dropbox-tokens.yaml']);
      }
      writeFileSync(join(scratch.dir, 'dropbox-app.yaml'), stringify({ DROPBOX_API: fake.apiUrl, DROPBOX_CONTENT: fake.contentUrl }));
      writeFileSync(join(scratch.dir, 'dropbox-tokens.yaml'), stringify({ DROPBOX_TOKEN: encryptSecureValue(fake.accessToken, masterPassword) }));
      config.schedules[0].every = '2s';
      writeFileSync(join(scratch.dir, 'server.yaml'), stringify(config));
      mkdirSync(join(scratch.dir, 'dropbox/outbox'), { recursive: true });

      const server = spawn(process.execPath, [join(REPO, 'engine/cli/bin.mjs'), 'serve', '--config', 'server.yaml', '--log-level', 'warn'], {
        cwd: scratch.dir,
        env: { ...process.env, TREFOIL_MASTER_PASSWORD: masterPassword },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => server.on('close', resolve));
      try {
        await waitFor(() => output.includes('listening on'), 30_000, `the server to start (${output})`);
        writeFileSync(join(scratch.dir, 'dropbox/outbox/notes.txt'), 'written while the server runs');
        await waitFor(() => fake.state.readFile('/outbox/notes.txt') !== undefined, 45_000, `the upload (${output})`);
        expect(fake.state.readFile('/outbox/notes.txt')!.toString()).toBe('written while the server runs');
        await waitFor(() => existsSync(join(scratch.dir, 'dropbox/mirror/Shared/report.csv')), 45_000, `the sync (${output})`);
        expect(readFileSync(join(scratch.dir, 'dropbox/mirror/Shared/report.csv'), 'utf8')).toBe('a,b\n1,2\n');
        expect(existsSync(join(scratch.dir, 'dropbox/state/dropbox-sync.json'))).toBe(true);
      } finally {
        server.kill('SIGTERM');
        await exited;
      }
      expect(output).not.toContain(fake.accessToken);
      // Run history and run logs under dataDir: the token is masked everywhere.
      const recorded = filesBelow(join(scratch.dir, '.trefoil'));
      expect(recorded.length).toBeGreaterThan(0);
      for (const file of recorded) expect(readFileSync(file).includes(fake.accessToken), file).toBe(false);
    });
  });
});
