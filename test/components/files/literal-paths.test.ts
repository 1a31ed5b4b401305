/**
 * `literal: true` on ListFiles, CreateFiles and DeleteFiles: `file` is one exact path, so names
 * built from data (a synced Dropbox file called `a;b [1].txt`) are neither split at `;` nor
 * read as wildcards — without it, they name other files or nothing at all.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECT, filesBelow, runIn, useScratch } from './file-graphs.ts';

/** Names that are a `;` list, a class, alternatives, wildcards, and padded with blanks. */
const ODD_NAMES = ['a;b.txt', 'report [1].txt', '{x,y}.txt', 'star*.txt', 'what?.txt', ' padded '];

/** One record per name (`name` = the relative path), through `op` with its results collected. */
const perName = (names: readonly string[], component: string) => `
graph: literal
metadata:
  Job: { fields: { name: string } }
components:
  jobs:
    type: DataGenerator
    records: ${names.length}
    generate: "$out[0].name = ${JSON.stringify(names).replace(/"/g, '\\"')}[index];"
  op: ${component}
  done: { type: ${COLLECT} }
  failed: { type: ${COLLECT} }
edges:
  - { from: jobs, to: op, metadata: Job }
  - { from: op, to: done }
  - { from: op:1, to: failed }
`;

describe('literal file paths', { timeout: 30_000 }, () => {
  const scratch = useScratch();
  const at = (...parts: string[]) => join(scratch.dir, ...parts);

  it('CreateFiles creates exactly the named files and directories', async () => {
    const outcome = await runIn(scratch.dir, perName([...ODD_NAMES.map((name) => `files/${name}`), 'dirs/a;b [1]/'], '{ type: CreateFiles, file: "*{name}", literal: true, makeParentDirs: true }'));
    expect(outcome.result.error?.message).toBeUndefined();
    expect(outcome.collected.failed ?? []).toEqual([]);
    expect(filesBelow(at('files'))).toEqual([...ODD_NAMES].sort());
    expect(existsSync(at('dirs', 'a;b [1]'))).toBe(true);
  });

  it('DeleteFiles deletes exactly the named file, not what a pattern would match', async () => {
    mkdirSync(at('d'));
    for (const name of [...ODD_NAMES, 'report 1.txt', 'x.txt', 'y.txt', 'a', 'b.txt', 'star-and-more.txt']) writeFileSync(at('d', name), name);
    const outcome = await runIn(scratch.dir, perName(ODD_NAMES.map((name) => `d/${name}`), '{ type: DeleteFiles, file: "*{name}", literal: true }'));
    expect(outcome.result.error?.message).toBeUndefined();
    expect(outcome.collected.failed ?? []).toEqual([]);
    expect(outcome.collected.done!.map((record) => record.URL)).toEqual(ODD_NAMES.map((name) => at('d', name)));
    expect(filesBelow(at('d'))).toEqual(['a', 'b.txt', 'report 1.txt', 'star-and-more.txt', 'x.txt', 'y.txt']);
  });

  it('without literal the same names are patterns and lists (the reason for the setting)', async () => {
    mkdirSync(at('d'));
    for (const name of ['report 1.txt', 'report [1].txt']) writeFileSync(at('d', name), name);
    const outcome = await runIn(scratch.dir, perName(['d/report [1].txt'], '{ type: DeleteFiles, file: "*{name}" }'));
    expect(outcome.collected.done!.map((record) => record.URL)).toEqual([at('d', 'report 1.txt')]);
    expect(filesBelow(at('d'))).toEqual(['report [1].txt']);
  });

  it('a literal path that does not exist is a failure; an empty one too', async () => {
    const outcome = await runIn(scratch.dir, perName(['d/nothing [1].txt', ''], '{ type: DeleteFiles, file: "*{name}", literal: true }'));
    expect(outcome.collected.failed!.map((record) => record.errorMessage)).toEqual([
      `${at('d', 'nothing [1].txt')} does not exist`,
      'no file given (the file name is empty)',
    ]);
  });

  it('ListFiles lists the directory of that exact name', async () => {
    mkdirSync(at('x [1]'));
    writeFileSync(at('x [1]', 'inside.txt'), 'i');
    mkdirSync(at('x 1'));
    writeFileSync(at('x 1', 'other.txt'), 'o');
    const outcome = await runIn(scratch.dir, perName(['x [1]'], '{ type: ListFiles, file: "*{name}", literal: true }'));
    expect(outcome.result.error?.message).toBeUndefined();
    expect(outcome.collected.done!.map((record) => record.name)).toEqual(['inside.txt']);
  });
});
