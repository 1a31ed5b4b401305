/**
 * The file-operation components with CloverDX jobflow semantics: ListFiles, CreateFiles,
 * DeleteFiles, CopyFiles, MoveFiles — run once without input or once per input record with
 * templates, results on port 0 (declared metadata, no edge metadata needed), failures on port 1,
 * or failing the run when port 1 is not connected.
 */
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECT, filesBelow, runIn, useScratch } from './file-graphs.ts';

/** One operation, its results to `done`, its errors to `failed` (when `errors`). */
const operation = (component: string, errors = true, input = '') => `
graph: operation
${input ? 'metadata:\n  Job: { fields: { name: string } }' : ''}
components:
  ${input ? `jobs: { type: FileReader, file: ${input}, format: text, metadata: Job }` : ''}
  op: ${component}
  done: { type: ${COLLECT} }
  ${errors ? `failed: { type: ${COLLECT} }` : ''}
edges:
  ${input ? '- { from: jobs, to: op }' : ''}
  - { from: op, to: done }
  ${errors ? '- { from: op:1, to: failed }' : ''}
`;

describe('file operations', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const at = (...parts: string[]) => join(scratch.dir, ...parts);
  const put = (name: string, content = name) => {
    mkdirSync(at(name, '..'), { recursive: true });
    writeFileSync(at(name), content);
  };

  describe('ListFiles', () => {
    it('lists a directory (recursively), a glob, and reports entries with details', async () => {
      put('d/b.txt', 'bbb');
      put('d/a.csv', 'a');
      put('d/sub/c.csv', 'cc');
      put('d/.hidden', 'h');
      const flat = await runIn(scratch.dir, operation('{ type: ListFiles, file: d }', false));
      expect(flat.result.error?.message).toBeUndefined();
      expect(flat.collected.done!.map((entry) => [entry.path, entry.isDirectory, entry.isFile, entry.isHidden, entry.size])).toEqual([
        ['.hidden', false, true, true, 1],
        ['a.csv', false, true, false, 1],
        ['b.txt', false, true, false, 3],
        ['sub', true, false, false, 0],
      ]);
      const first = flat.collected.done![1]!;
      expect(first.URL).toBe(at('d/a.csv'));
      expect(first.name).toBe('a.csv');
      expect((first.lastModified as Date).getTime()).toBe(statSync(at('d/a.csv')).mtime.getTime());

      const deep = await runIn(scratch.dir, operation('{ type: ListFiles, file: d, recursive: true }', false));
      expect(deep.collected.done!.map((entry) => entry.path)).toEqual(['.hidden', 'a.csv', 'b.txt', 'sub', 'sub/c.csv']);

      const glob = await runIn(scratch.dir, operation('{ type: ListFiles, file: "d/**/*.csv" }', false));
      expect(glob.collected.done!.map((entry) => entry.path)).toEqual(['a.csv', 'sub/c.csv']);
    });

    it('a missing path is a failure: on the error port, or failing the run', async () => {
      const ported = await runIn(scratch.dir, operation('{ type: ListFiles, file: nope }'));
      expect(ported.result.error?.message).toBeUndefined();
      expect(ported.collected.failed).toEqual([{ URL: 'nope', errorMessage: `${at('nope')} does not exist` }]);
      const failing = await runIn(scratch.dir, operation('{ type: ListFiles, file: nope }', false));
      expect(failing.result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
      expect(failing.result.error?.message).toContain(at('nope'));
    });
  });

  describe('CreateFiles', () => {
    it('creates directories (trailing /) and files, touches existing files, runs per input record', async () => {
      put('jobs.txt', 'a/\nb/c.txt\nexisting.txt\n'); // out/existing.txt does not exist yet: created
      put('existing.txt', 'keep me');
      const old = new Date('2020-01-01T00:00:00Z');
      utimesSync(at('existing.txt'), old, old);
      const { result, collected } = await runIn(scratch.dir, operation('{ type: CreateFiles, file: "out/*{name}", makeParentDirs: true }', true, 'jobs.txt'));
      expect(result.error?.message).toBeUndefined();
      expect(collected.done).toEqual([
        { URL: at('out/a'), isDirectory: true, created: true },
        { URL: at('out/b/c.txt'), isDirectory: false, created: true },
        { URL: at('out/existing.txt'), isDirectory: false, created: true },
      ]);
      expect(statSync(at('out/a')).isDirectory()).toBe(true);
      expect(readFileSync(at('out/b/c.txt'), 'utf8')).toBe('');

      const touch = await runIn(scratch.dir, operation('{ type: CreateFiles, file: existing.txt }', false));
      expect(touch.collected.done).toEqual([{ URL: at('existing.txt'), isDirectory: false, created: false }]);
      expect(readFileSync(at('existing.txt'), 'utf8')).toBe('keep me');
      expect(statSync(at('existing.txt')).mtime.getTime()).toBeGreaterThan(old.getTime());
    });

    it('without makeParentDirs a missing parent is a failure', async () => {
      const { result } = await runIn(scratch.dir, operation('{ type: CreateFiles, file: missing/x.txt }', false));
      expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
      expect(result.error?.message).toContain(`the directory ${at('missing')} does not exist (set makeParentDirs: true)`);
    });
  });

  describe('DeleteFiles', () => {
    it('deletes files and globs; directories only when empty unless recursive', async () => {
      put('d/a.tmp');
      put('d/b.tmp');
      put('d/keep.csv');
      mkdirSync(at('empty'));
      put('full/x/y.txt');
      const { result, collected } = await runIn(scratch.dir, operation('{ type: DeleteFiles, file: "d/*.tmp;empty;full" }'));
      expect(result.error?.message).toBeUndefined();
      expect(collected.done).toEqual([
        { URL: at('d/a.tmp'), isDirectory: false },
        { URL: at('d/b.tmp'), isDirectory: false },
        { URL: at('empty'), isDirectory: true },
      ]);
      expect(collected.failed).toEqual([{ URL: at('full'), errorMessage: `cannot delete ${at('full')}: the directory is not empty (set recursive: true)` }]);
      expect(filesBelow(scratch.dir)).toEqual(['d/keep.csv', 'full/x/y.txt']);

      const recursive = await runIn(scratch.dir, operation('{ type: DeleteFiles, file: full, recursive: true }', false));
      expect(recursive.result.error?.message).toBeUndefined();
      expect(existsSync(at('full'))).toBe(false);
    });

    it('something that does not exist fails the run when the error port is not connected', async () => {
      const { result } = await runIn(scratch.dir, operation('{ type: DeleteFiles, file: "gone.txt" }', false));
      expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
      expect(result.error?.message).toContain(`${at('gone.txt')} does not exist`);
    });
  });

  describe('CopyFiles', () => {
    it('copies a file to a file, files into a directory, and a directory with recursive', async () => {
      put('src/a.txt', 'A');
      put('src/b.txt', 'B');
      put('src/deep/c.txt', 'C');
      const toFile = await runIn(scratch.dir, operation('{ type: CopyFiles, file: src/a.txt, target: copy.txt }'));
      expect(toFile.collected.done).toEqual([{ sourceURL: at('src/a.txt'), targetURL: 'copy.txt', resultURL: at('copy.txt'), isDirectory: false, skipped: false }]);
      expect(readFileSync(at('copy.txt'), 'utf8')).toBe('A');

      const intoDirectory = await runIn(scratch.dir, operation('{ type: CopyFiles, file: "src/*.txt", target: dst/, makeParentDirs: true }'));
      expect(intoDirectory.collected.done!.map((record) => record.resultURL)).toEqual([at('dst/a.txt'), at('dst/b.txt')]);

      const directory = await runIn(scratch.dir, operation('{ type: CopyFiles, file: src, target: tree }'));
      expect(directory.collected.failed![0]!.errorMessage).toBe(`${at('src')} is a directory (set recursive: true to copy directories)`);
      const recursive = await runIn(scratch.dir, operation('{ type: CopyFiles, file: src, target: tree, recursive: true }'));
      expect(recursive.result.error?.message).toBeUndefined();
      expect(filesBelow(at('tree'))).toEqual(['a.txt', 'b.txt', 'deep/c.txt']);
      expect(filesBelow(at('src'))).toEqual(['a.txt', 'b.txt', 'deep/c.txt']);
    });

    it('overwrite: always replaces, update only when newer, never keeps (skipped)', async () => {
      put('new.txt', 'new');
      put('target.txt', 'old');
      const older = new Date('2020-01-01T00:00:00Z');
      const newer = new Date('2030-01-01T00:00:00Z');
      utimesSync(at('new.txt'), older, older);
      utimesSync(at('target.txt'), newer, newer);
      const copy = (overwrite: string) => runIn(scratch.dir, operation(`{ type: CopyFiles, file: new.txt, target: target.txt, overwrite: ${overwrite} }`, false));

      expect((await copy('never')).collected.done![0]!.skipped).toBe(true);
      expect(readFileSync(at('target.txt'), 'utf8')).toBe('old');
      expect((await copy('update')).collected.done![0]!.skipped).toBe(true);
      expect(readFileSync(at('target.txt'), 'utf8')).toBe('old');
      utimesSync(at('new.txt'), newer, new Date('2031-01-01T00:00:00Z'));
      expect((await copy('update')).collected.done![0]!.skipped).toBe(false);
      expect(readFileSync(at('target.txt'), 'utf8')).toBe('new');
      put('new.txt', 'newest');
      expect((await copy('always')).collected.done![0]!.skipped).toBe(false);
      expect(readFileSync(at('target.txt'), 'utf8')).toBe('newest');
      expect(filesBelow(scratch.dir)).toEqual(['new.txt', 'target.txt']); // no temporary file left
    });

    it('a missing target directory is a failure unless makeParentDirs', async () => {
      put('a.txt');
      const { result } = await runIn(scratch.dir, operation('{ type: CopyFiles, file: a.txt, target: no/such/dir/ }', false));
      expect(result.error?.code).toBe('TREFOIL_ERR_FILES_NOT_FOUND');
      expect(result.error?.message).toContain(`the target directory ${at('no/such/dir')} does not exist (set makeParentDirs: true)`);
    });
  });

  describe('MoveFiles', () => {
    it('moves files and directories, merges into an existing directory, keeps what overwrite: never keeps', async () => {
      put('inbox/a.csv', 'a');
      put('inbox/b.csv', 'b');
      put('archive/b.csv', 'archived b');
      const { result, collected } = await runIn(scratch.dir, operation('{ type: MoveFiles, file: "inbox/*.csv", target: archive/, overwrite: never }'));
      expect(result.error?.message).toBeUndefined();
      expect(collected.done!.map((record) => [record.resultURL, record.skipped])).toEqual([
        [at('archive/a.csv'), false],
        [at('archive/b.csv'), true],
      ]);
      expect(filesBelow(scratch.dir)).toEqual(['archive/a.csv', 'archive/b.csv', 'inbox/b.csv']);
      expect(readFileSync(at('archive/b.csv'), 'utf8')).toBe('archived b');

      const directory = await runIn(scratch.dir, operation('{ type: MoveFiles, file: inbox, target: moved/inbox, makeParentDirs: true }'));
      expect(directory.result.error?.message).toBeUndefined();
      expect(filesBelow(scratch.dir)).toEqual(['archive/a.csv', 'archive/b.csv', 'moved/inbox/b.csv']);

      const merge = await runIn(scratch.dir, operation('{ type: MoveFiles, file: moved/inbox, target: archive/inbox }'));
      expect(merge.result.error?.message).toBeUndefined();
      put('again/b.csv', 'newer b');
      const mergeInto = await runIn(scratch.dir, operation('{ type: MoveFiles, file: again, target: archive/inbox/.. }'));
      expect(mergeInto.result.error?.message).toBeUndefined();
      expect(filesBelow(scratch.dir)).toEqual(['archive/a.csv', 'archive/again/b.csv', 'archive/b.csv', 'archive/inbox/b.csv']);
    });

    it('runs once per input record with templates, failures per record on the error port', async () => {
      put('jobs.txt', 'one\ntwo\nthree\n');
      put('one.txt');
      put('three.txt');
      const { result, collected } = await runIn(scratch.dir, operation('{ type: MoveFiles, file: "*{name}.txt", target: "done/*{name}.bak", makeParentDirs: true }', true, 'jobs.txt'));
      expect(result.error?.message).toBeUndefined();
      expect(collected.done!.map((record) => record.resultURL)).toEqual([at('done/one.bak'), at('done/three.bak')]);
      expect(collected.failed).toEqual([{ sourceURL: 'two.txt', targetURL: 'done/two.bak', errorMessage: `${at('two.txt')} does not exist` }]);
      expect(filesBelow(scratch.dir)).toEqual(['done/one.bak', 'done/three.bak', 'jobs.txt']);
    });
  });
});
