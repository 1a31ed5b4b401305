import { describe, expect, it } from 'vitest';
import { splitReferences } from '../../engine/params/parameter-references.ts';
import { PARAMETER_FAILED, type ParameterLookup, type ParameterValue } from '../../engine/params/parameter-types.ts';
import { substituteParameters } from '../../engine/params/substitute.ts';

function lookupOf(values: Record<string, ParameterValue | typeof PARAMETER_FAILED>): ParameterLookup {
  return (name) => values[name];
}

const lookup = lookupOf({
  OUT_DIR: { value: 'out', secure: false },
  LIMIT: { value: 100, secure: false },
  RATE: { value: 1.5, text: '1.50', secure: false },
  DRY_RUN: { value: false, secure: false },
  TOKEN: { value: 's3cr3t', secure: true },
  BROKEN: PARAMETER_FAILED,
});

describe('substituteParameters', () => {
  it('splices text into strings and gives whole-scalar references their typed value', () => {
    const { tree, problems, secretsUsed } = substituteParameters(
      {
        file: '${OUT_DIR}/totals.csv',
        limit: '${LIMIT}',
        rate: '${RATE}',
        note: 'rate ${RATE}, limit ${LIMIT}, dry ${DRY_RUN}',
        dry: '${DRY_RUN}',
        headers: { Authorization: 'Bearer ${TOKEN}' },
      },
      lookup,
    );
    expect(problems).toEqual([]);
    expect(tree).toEqual({
      file: 'out/totals.csv',
      limit: 100,
      rate: 1.5,
      note: 'rate 1.50, limit 100, dry false',
      dry: false,
      headers: { Authorization: 'Bearer s3cr3t' },
    });
    expect([...secretsUsed]).toEqual(['s3cr3t']);
  });

  it('treats $${ as a literal ${ and leaves non-references alone', () => {
    const { tree, problems } = substituteParameters(
      ['$${OUT_DIR}', 'cost: $5 and $$ and ${not a name} and ${1X}', 'js: `${$in[0].name}`', '$${LIMIT}/${LIMIT}', '$$${LIMIT}'],
      lookup,
    );
    expect(problems).toEqual([]);
    expect(tree).toEqual(['${OUT_DIR}', 'cost: $5 and $$ and ${not a name} and ${1X}', 'js: `${$in[0].name}`', '${LIMIT}/100', '$${LIMIT}']);
  });

  it('walks nested maps and lists, never mutates the input, and shares unchanged subtrees', () => {
    const unchanged = { type: 'Trash', options: ['a', 'b'] };
    const input = { components: { read: { file: '${OUT_DIR}/in.csv', list: [1, '${LIMIT}', { deep: '${OUT_DIR}' }] }, sink: unchanged } };
    const frozen = structuredClone(input);
    const { tree } = substituteParameters(input, lookup);
    expect(input).toEqual(frozen);
    expect(tree).toEqual({ components: { read: { file: 'out/in.csv', list: [1, 100, { deep: 'out' }] }, sink: unchanged } });
    expect((tree as typeof input).components.sink).toBe(unchanged);
    const noReferences = { a: ['x', 1, true, null] };
    expect(substituteParameters(noReferences, lookup).tree).toBe(noReferences);
  });

  it('reports every unknown reference with its path, and nothing more for failed parameters', () => {
    const { tree, problems } = substituteParameters(
      { components: { read: { file: '${NOPE}/x', list: ['ok', '${ALSO_NOPE} ${NOPE}'] }, other: '${BROKEN}' } },
      lookup,
      { basePath: ['graph'] },
    );
    expect(problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', path: ['graph', 'components', 'read', 'file'] }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', path: ['graph', 'components', 'read', 'list', 1] }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', path: ['graph', 'components', 'read', 'list', 1] }),
    ]);
    expect(problems.map((problem) => problem.message.match(/\$\{\w+\}/)![0])).toEqual(['${NOPE}', '${ALSO_NOPE}', '${NOPE}']);
    // Failed strings are left as written.
    expect((tree as { components: { other: string } }).components.other).toBe('${BROKEN}');
  });

  it('keeps a YAML key named __proto__ as a key', () => {
    const input = JSON.parse('{"__proto__": "${OUT_DIR}"}') as Record<string, unknown>;
    const { tree } = substituteParameters(input, lookup);
    expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(tree, '__proto__')?.value).toBe('out');
  });
});

describe('splitReferences', () => {
  it('returns undefined when there is nothing to do, parts otherwise', () => {
    expect(splitReferences('plain text')).toBeUndefined();
    expect(splitReferences('$5 and ${ x }')).toBeUndefined();
    expect(splitReferences('a${B}c$${d}')).toEqual(['a', { name: 'B' }, 'c${d}']);
    expect(splitReferences('${A}${B}')).toEqual([{ name: 'A' }, { name: 'B' }]);
  });
});
