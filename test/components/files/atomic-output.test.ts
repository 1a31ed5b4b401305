/**
 * FileWriter's output is atomic (SPEC §7 **must**): when the run fails while a writer is in the
 * middle of its output — a Reformat on an independent branch throwing at record N, a Fail
 * component in the same phase, an interrupt — no partial file is left (no target, no temporary
 * file), an existing target is unchanged, and an appended file is back to its original length.
 * Partitioned, numbered and gzip outputs too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesBelow, runIn, useScratch } from './file-graphs.ts';

/** DataGenerator → SimpleCopy → (FileWriter, Reformat that throws at record `failAt` → Trash). */
function failingGraph(writer: string, failAt: number, records = 100_000): string {
  return `
graph: fails-mid-write
metadata:
  Row: { fields: { id: long, country: string, note: string } }
components:
  gen:
    type: DataGenerator
    records: ${records}
    generate: |
      $out[0].id = index;
      $out[0].country = ['CZ', 'DE', 'FR'][index % 3];
      $out[0].note = 'record number ' + index + ' with some text to fill the buffers';
  copy: { type: SimpleCopy }
  write: ${writer}
  boom:
    type: Reformat
    transform: |
      if ($in[0].id === ${failAt - 1}) throw new Error('deliberate failure at record ${failAt}');
      copy($in[0], $out[0]);
  sink: { type: Trash }
edges:
  - { from: gen, to: copy, metadata: Row }
  - { from: copy:0, to: write }
  - { from: copy:1, to: boom }
  - { from: boom, to: sink, metadata: Row }
`;
}

// NOTE: generous timeouts: these runs move megabytes and share the machine with other suites.
describe('FileWriter output is atomic', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const out = (...parts: string[]) => join(scratch.dir, 'out', ...parts);

  it('leaves no file (and no temporary file) when the run fails mid-write', async () => {
    mkdirSync(out());
    const { result } = await runIn(scratch.dir, failingGraph('{ type: FileWriter, file: out/rows.csv }', 80_000));
    expect(result.status).toBe('ERROR');
    expect(result.error?.message).toContain('deliberate failure at record 80000');
    expect(filesBelow(out())).toEqual([]);
  });

  it('leaves an existing file byte for byte unchanged', async () => {
    mkdirSync(out());
    writeFileSync(out('rows.csv'), 'previous,content\n1,2\n');
    writeFileSync(out('rows.jsonl.gz'), 'not even gzip');
    const writers = `{ type: FileWriter, file: out/rows.csv }`;
    const { result } = await runIn(scratch.dir, failingGraph(writers, 60_000));
    expect(result.status).toBe('ERROR');
    expect(readFileSync(out('rows.csv'), 'utf8')).toBe('previous,content\n1,2\n');
    expect(filesBelow(out())).toEqual(['rows.csv', 'rows.jsonl.gz']);
  });

  it('restores an appended file to its original length', async () => {
    mkdirSync(out());
    const original = 'id,country,note\n-1,XX,already there\n';
    writeFileSync(out('rows.csv'), original);
    const { result } = await runIn(scratch.dir, failingGraph('{ type: FileWriter, file: out/rows.csv, append: true }', 80_000));
    expect(result.status).toBe('ERROR');
    expect(readFileSync(out('rows.csv'), 'utf8')).toBe(original);
    expect(filesBelow(out())).toEqual(['rows.csv']);
  });

  it('appends (without a second header) when the run succeeds', async () => {
    mkdirSync(out());
    writeFileSync(out('rows.csv'), 'id,country,note\n-1,XX,already there\n');
    const { result } = await runIn(scratch.dir, failingGraph('{ type: FileWriter, file: out/rows.csv, append: true }', 999, 3));
    expect(result.error?.message).toBeUndefined();
    expect(readFileSync(out('rows.csv'), 'utf8')).toBe(
      'id,country,note\n-1,XX,already there\n0,CZ,record number 0 with some text to fill the buffers\n1,DE,record number 1 with some text to fill the buffers\n2,FR,record number 2 with some text to fill the buffers\n',
    );
  });

  it('leaves no partition file, and keeps an existing one, when a partitioned run fails', async () => {
    mkdirSync(out());
    writeFileSync(out('rows-DE.jsonl'), '{"old":true}\n');
    const { result } = await runIn(scratch.dir, failingGraph('{ type: FileWriter, file: out/rows-#.jsonl, format: jsonl, partitionKey: country }', 80_000));
    expect(result.status).toBe('ERROR');
    expect(filesBelow(out())).toEqual(['rows-DE.jsonl']);
    expect(readFileSync(out('rows-DE.jsonl'), 'utf8')).toBe('{"old":true}\n');
  });

  it('leaves none of the numbered files of a split output, gzip-compressed with appends included', async () => {
    mkdirSync(out());
    writeFileSync(out('part-00-CZ.csv.gz'), 'kept');
    const writer = '{ type: FileWriter, file: "out/part-$$-#.csv.gz", partitionKey: country, recordsPerFile: 10000, append: true }';
    const { result } = await runIn(scratch.dir, failingGraph(writer, 80_000));
    expect(result.status).toBe('ERROR');
    expect(filesBelow(out())).toEqual(['part-00-CZ.csv.gz']);
    expect(readFileSync(out('part-00-CZ.csv.gz'), 'utf8')).toBe('kept');
  });

  it('writes nothing when a Fail component fails the same phase', async () => {
    const { result } = await runIn(
      scratch.dir,
      `
graph: fail-same-phase
metadata:
  Row: { fields: { id: long } }
components:
  gen: { type: DataGenerator, records: 500000, generate: "$out[0].id = index;" }
  write: { type: FileWriter, file: out/ids.csv, makeDirs: true }
  stop: { type: Fail, message: stopped on purpose }
edges:
  - { from: gen, to: write, metadata: Row }
`,
    );
    expect(result.status).toBe('ERROR');
    expect(result.error?.message).toContain('stopped on purpose');
    expect(existsSync(out()) ? filesBelow(out()) : []).toEqual([]);
  });

  it('keeps the output hidden until the run ends, and removes it when the run is interrupted (SIGINT)', async () => {
    mkdirSync(out());
    writeFileSync(out('ids.csv'), 'old\n');
    writeFileSync(
      join(scratch.dir, 'slow.yaml'),
      `
graph: interrupted
metadata:
  Row: { fields: { id: long, text: string } }
components:
  gen: { type: DataGenerator, records: 100000000, generate: "$out[0].id = index; $out[0].text = 'some text ' + index;" }
  write: { type: FileWriter, file: out/ids.csv }
edges:
  - { from: gen, to: write, metadata: Row }
`,
    );
    const bin = resolve(import.meta.dirname, '../../../engine/cli/bin.mjs');
    const child = spawn(process.execPath, [bin, 'run', 'slow.yaml'], { cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // Wait until the writer is really writing: its temporary file exists and grows.
    let sawTemporary = false;
    for (let attempt = 0; attempt < 600 && !sawTemporary; attempt++) {
      await new Promise((done) => setTimeout(done, 50));
      sawTemporary = readdirSync(out()).some((name) => name.startsWith('.ids.csv.') && name.endsWith('.trefoil-part'));
    }
    expect(sawTemporary).toBe(true);
    expect(readFileSync(out('ids.csv'), 'utf8')).toBe('old\n'); // the target is untouched meanwhile
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(filesBelow(out())).toEqual(['ids.csv']);
    expect(readFileSync(out('ids.csv'), 'utf8')).toBe('old\n');
  }, 60_000);
});
