/** ParamsFileWriter: values from records into a params file, secure ones encrypted and masked. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParamsFile } from '../../engine/params/params-file.ts';
import { runYaml, temporaryDirectory } from '../support/graph-runner.ts';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

describe('ParamsFileWriter', () => {
  it('stores plain and encrypted values, keeps comments, skips nulls', async () => {
    const file = join(temp.dir, 'state.yaml');
    writeFileSync(file, '# keep me\nOTHER: 1\nREFRESH: old-refresh\n');
    process.env.TREFOIL_MASTER_PASSWORD = 'pw';
    try {
      const { result } = await runYaml(
        `
graph: store
parameters:
  FILE: ${file}
metadata:
  Token: { fields: { access: string, refresh: string, account: string } }
components:
  token:
    type: DataGenerator
    records: 1
    generate: |
      $out[0].access = 'sl.very-secret';
      $out[0].account = 'dbid:42';
  store:
    type: ParamsFileWriter
    file: \${FILE}
    entries: { TOKEN: access, REFRESH: refresh, ACCOUNT: account }
    secure: [TOKEN, REFRESH]
edges:
  - { from: token, to: store, metadata: Token }
`,
        { log: { level: 'info', stream: { write: (line: string) => (logged += line) } as never } },
      );
      expect(result.status).toBe('FINISHED_OK');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('# keep me');
      expect(text).not.toContain('sl.very-secret');
      expect(text).toMatch(/TOKEN: enc:v1:/);
      expect(text).toContain('REFRESH: old-refresh');
      const read = readParamsFile(file, { masterPassword: 'pw' });
      expect(Object.fromEntries(read.entries.map((e) => [e.name, e.value]))).toEqual({ OTHER: 1, REFRESH: 'old-refresh', TOKEN: 'sl.very-secret', ACCOUNT: 'dbid:42' });
      expect(logged).toContain('parameter stored');
      expect(logged).not.toContain('sl.very-secret');
    } finally {
      delete process.env.TREFOIL_MASTER_PASSWORD;
    }
  });

  it('fails clearly without a master password for a secure entry', async () => {
    const { result } = await runYaml(`
graph: store
metadata:
  Token: { fields: { access: string } }
components:
  token: { type: DataGenerator, records: 1, generate: "$out[0].access = 'x';" }
  store: { type: ParamsFileWriter, file: ${join(temp.dir, 'p2.yaml')}, entries: { TOKEN: access }, secure: [TOKEN] }
edges:
  - { from: token, to: store, metadata: Token }
`);
    expect(result.status).toBe('ERROR');
    expect(result.error?.code).toBe('TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING');
    expect(result.error?.message).toContain('store (ParamsFileWriter) failed: record 1:');
  });
});
let logged = '';
