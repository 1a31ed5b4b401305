import { describe, expect, it } from 'vitest';
import { compileFileNamePattern } from '../../engine/server/file-name-pattern.ts';

describe('compileFileNamePattern', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['*.csv', ['a.csv', '.csv', 'orders.2026.csv'], ['a.csv.tmp', 'a.CSV', 'a.tsv']],
    ['data-?.json', ['data-1.json'], ['data-10.json', 'data-.json']],
    ['[ab]*', ['a', 'bx'], ['c', '']],
    ['[!ab]*', ['c1'], ['a1', 'b']],
    ['[a-c]x', ['bx'], ['dx']],
    ['*.{csv,tsv}', ['x.csv', 'x.tsv'], ['x.txt', 'x.{csv,tsv}']],
    ['report (1).txt', ['report (1).txt'], ['report 1.txt']],
    ['a\\*b', ['a*b'], ['axb']],
    ['*', ['anything', '.hidden'], []],
  ];
  for (const [pattern, yes, no] of cases) {
    it(`${pattern} matches ${yes.join(', ') || 'nothing listed'} and not ${no.join(', ') || 'nothing listed'}`, () => {
      const compiled = compileFileNamePattern(pattern);
      for (const name of yes) expect(compiled.matches(name), name).toBe(true);
      for (const name of no) expect(compiled.matches(name), name).toBe(false);
    });
  }

  it('rejects malformed patterns and paths', () => {
    for (const pattern of ['[abc', '{a,b', 'a}', '{a,{b}}', 'dir/*.csv', 'x\\']) {
      expect(() => compileFileNamePattern(pattern), pattern).toThrowError(expect.objectContaining({ code: 'TREFOIL_ERR_SERVER_FILE_PATTERN' }));
    }
  });
});
