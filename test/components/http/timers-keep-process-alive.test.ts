/**
 * Regression: a request waiting for its retry (backoff, Retry-After) or for a rate-limit slot
 * may be the only thing a process has pending. The waits used to be unref'd timers, so a CLI
 * run ended mid-wait with Node's "unsettled top-level await" (exit 13) instead of retrying.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const HTTP = resolve(import.meta.dirname, '../../../components/http');

function runModule(code: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('waits keep the process alive', () => {
  it('abortableDelay (retry backoff and Retry-After)', () => {
    const result = runModule(`import { abortableDelay } from ${JSON.stringify(`${HTTP}/abortable-delay.ts`)}; await abortableDelay(150); console.log('waited');`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('waited\n');
  });

  it('RateLimiter.acquire', () => {
    const result = runModule(
      `import { RateLimiter } from ${JSON.stringify(`${HTTP}/rate-limiter.ts`)};` +
        `const limiter = new RateLimiter({ requests: 1, interval: 150 });` +
        `await limiter.acquire(); await limiter.acquire(); console.log('acquired twice');`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('acquired twice\n');
  });
});
