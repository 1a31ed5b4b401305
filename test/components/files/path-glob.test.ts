/**
 * The glob dialect of the file components: `*`, `?`, classes and `{a,b}` within a segment,
 * `**` across directories (a trailing `**` = everything below), dot names hidden from
 * wildcards, sorted results, and a clear error for an invalid pattern.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGlob, expandGlob, isGlob, splitFileList } from '../../../components/files/path-glob.ts';
import { useScratch } from './file-graphs.ts';

describe('path globs', () => {
  const scratch = useScratch();
  const tree = () => {
    for (const name of ['a.csv', 'b.csv', 'c.txt', '.hidden.csv', 'x/d.csv', 'x/y/e.csv', 'x/y/f.tsv', 'x/.dot/g.csv', 'z1/h.csv', 'z2/i.csv']) {
      mkdirSync(join(scratch.dir, name, '..'), { recursive: true });
      writeFileSync(join(scratch.dir, name), name);
    }
  };
  const match = async (pattern: string) => (await expandGlob(compileGlob(pattern, scratch.dir))).map((found) => relative(scratch.dir, found.path) + (found.isDirectory ? '/' : ''));

  it('matches within a segment: *, ?, classes, alternatives; never dot names unless asked', async () => {
    tree();
    expect(await match('*.csv')).toEqual(['a.csv', 'b.csv']);
    expect(await match('?.{csv,txt}')).toEqual(['a.csv', 'b.csv', 'c.txt']);
    expect(await match('[!a].csv')).toEqual(['b.csv']);
    expect(await match('.*.csv')).toEqual(['.hidden.csv']);
    expect(await match('z[0-9]/*')).toEqual(['z1/h.csv', 'z2/i.csv']);
    expect(await match('z*')).toEqual(['z1/', 'z2/']);
  });

  it('** spans directories; a trailing ** is everything below', async () => {
    tree();
    expect(await match('**/*.csv')).toEqual(['a.csv', 'b.csv', 'x/d.csv', 'x/y/e.csv', 'z1/h.csv', 'z2/i.csv']);
    expect(await match('x/**/*.?sv')).toEqual(['x/d.csv', 'x/y/e.csv', 'x/y/f.tsv']);
    expect(await match('x/**')).toEqual(['x/d.csv', 'x/y/', 'x/y/e.csv', 'x/y/f.tsv']);
  });

  it('no match and a missing base give nothing; an invalid pattern is a coded error', async () => {
    expect(await match('nothing/*.csv')).toEqual([]);
    expect(() => compileGlob('data/[abc.csv', scratch.dir)).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_FILES_GLOB' }));
    expect(isGlob('plain/path.csv')).toBe(false);
    expect(isGlob('data/*.csv')).toBe(true);
    expect(splitFileList(' a.csv ; ;b/*.csv;')).toEqual(['a.csv', 'b/*.csv']);
  });
});
