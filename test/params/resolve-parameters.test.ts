import { describe, expect, it } from 'vitest';
import { parseParamsFile } from '../../engine/params/params-file.ts';
import { resolveParameters } from '../../engine/params/resolve-parameters.ts';
import { encryptSecureValue } from '../../engine/params/secure-value.ts';
import { substituteParameters } from '../../engine/params/substitute.ts';

const PASSWORD = 'master';

function valueOf(resolution: ReturnType<typeof resolveParameters>, name: string): unknown {
  return resolution.values.get(name)?.value;
}

describe('resolveParameters: precedence', () => {
  const declared = { A: 'default-a', B: 'default-b', C: 'default-c', D: 'default-d', E: { description: 'only from env' } };
  const first = parseParamsFile('A: file1-a\nB: file1-b\nC: file1-c\n', 'first.yaml');
  const second = parseParamsFile('A: file2-a\nB: file2-b\n', 'second.yaml');

  it('-P beats params files (later file wins), which beat defaults, which beat the environment', () => {
    const resolution = resolveParameters(declared, {
      parameters: { A: 'cli-a' },
      paramsFiles: [first, second],
      environment: { A: 'env', B: 'env', C: 'env', D: 'env', E: 'env-e' },
    });
    expect(resolution.problems).toEqual([]);
    expect(Object.fromEntries([...resolution.values].map(([name, value]) => [name, [value.value, value.origin]]))).toEqual({
      A: ['cli-a', 'parameters'],
      B: ['file2-b', 'paramsFile'],
      C: ['file1-c', 'paramsFile'],
      D: ['default-d', 'default'],
      E: ['env-e', 'environment'],
    });
  });

  it('built-ins rank below the user sources and above the environment', () => {
    const builtIns = { GRAPH_DIR: '/graphs', PROJECT_DIR: '/project', RUN_ID: 'run-1', TMP_DIR: '/tmp/run-1' };
    const resolution = resolveParameters(
      { OUT: '${PROJECT_DIR}/out' },
      { builtIns, parameters: { PROJECT_DIR: '/elsewhere' }, environment: { TMP_DIR: '/tmp', RUN_ID: 'env' } },
    );
    expect(resolution.problems).toEqual([]);
    expect(valueOf(resolution, 'OUT')).toBe('/elsewhere/out');
    expect(valueOf(resolution, 'TMP_DIR')).toBe('/tmp/run-1');
    expect(valueOf(resolution, 'RUN_ID')).toBe('run-1');
    expect(valueOf(resolution, 'GRAPH_DIR')).toBe('/graphs');
  });

  it('looks undeclared references up in the environment, verbatim', () => {
    const resolution = resolveParameters({}, { environment: { HOME: '/home/${USER}' } });
    const { tree, problems } = substituteParameters({ file: '${HOME}/x', other: '${UNSET}' }, resolution.lookup);
    expect(tree).toEqual({ file: '/home/${USER}/x', other: '${UNSET}' });
    expect(problems).toEqual([expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', path: ['other'] })]);
  });
});

describe('resolveParameters: references between parameters', () => {
  it('resolves references in defaults, files and -P values, through the final value of each', () => {
    const resolution = resolveParameters(
      { BASE: '/data', IN: '${BASE}/in', OUT: '${BASE}/out', LIMIT: { default: '${PAGE}', type: 'integer' } },
      { parameters: { BASE: '/srv', PAGE: '50' }, paramsFiles: [parseParamsFile('OUT: ${IN}/../out\n', 'p.yaml')] },
    );
    expect(resolution.problems).toEqual([]);
    expect(valueOf(resolution, 'IN')).toBe('/srv/in');
    expect(valueOf(resolution, 'OUT')).toBe('/srv/in/../out');
    expect(valueOf(resolution, 'LIMIT')).toBe(50);
  });

  it('reports a cycle once, naming it, and no follow-up problems', () => {
    const resolution = resolveParameters({ A: '${B}/a', B: '${C}/b', C: 'x${A}', D: '${D}', OK: 'fine' });
    expect(resolution.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_CYCLE', message: expect.stringContaining('A → B → C → A'), path: ['parameters', 'C'] }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_CYCLE', message: expect.stringContaining('D → D'), path: ['parameters', 'D'] }),
    ]);
    expect([...resolution.values.keys()]).toEqual(['OK']);
    const { problems } = substituteParameters({ x: '${A}' }, resolution.lookup);
    expect(problems).toEqual([]);
  });

  it('reports unknown references inside values at the value', () => {
    const resolution = resolveParameters({ OUT: { default: '${NOWHERE}/out' } });
    expect(resolution.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_UNKNOWN', path: ['parameters', 'OUT', 'default'], message: expect.stringContaining('${NOWHERE}') }),
    ]);
  });

  it('keeps $${ literal and the referenced text of a whole reference', () => {
    const resolution = resolveParameters({ RATE: { default: '1.50', type: 'number' }, COPY: '${RATE}', TEXT: 'x$${RATE}' });
    expect(resolution.problems).toEqual([]);
    expect(resolution.values.get('COPY')).toMatchObject({ value: 1.5, text: '1.50' });
    expect(valueOf(resolution, 'TEXT')).toBe('x${RATE}');
  });
});

describe('resolveParameters: types, required, declarations', () => {
  it('converts text from -P and the environment to the declared or default type', () => {
    const resolution = resolveParameters(
      { LIMIT: 100, RATIO: { type: 'number' }, VERBOSE: { type: 'boolean', default: false }, NAME: { type: 'string' } },
      { parameters: { LIMIT: '250', VERBOSE: 'TRUE' }, environment: { RATIO: '0.25', NAME: '007' } },
    );
    expect(resolution.problems).toEqual([]);
    expect([valueOf(resolution, 'LIMIT'), valueOf(resolution, 'RATIO'), valueOf(resolution, 'VERBOSE'), valueOf(resolution, 'NAME')]).toEqual([
      250,
      0.25,
      true,
      '007',
    ]);
  });

  it('keeps YAML types from params files; a declared string type takes the text as written', () => {
    const file = parseParamsFile('COUNT: 12\nPRICE: 1.50\nFREE: 3\n', 'p.yaml');
    const resolution = resolveParameters({ PRICE: { type: 'string' } }, { paramsFiles: [file] });
    expect(valueOf(resolution, 'COUNT')).toBe(12);
    expect(valueOf(resolution, 'PRICE')).toBe('1.50');
  });

  it('reports values that do not convert, positioned where they come from', () => {
    const file = parseParamsFile('RATIO: lots\n', 'p.yaml');
    const resolution = resolveParameters(
      { LIMIT: { type: 'integer' }, RATIO: { type: 'number' }, FLAG: { type: 'boolean', default: 'maybe' }, BIG: { type: 'integer' } },
      { parameters: { LIMIT: 'abc', BIG: '9007199254740993' }, paramsFiles: [file] },
    );
    expect(resolution.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_TYPE', path: ['parameters', 'LIMIT'], message: expect.stringMatching(/LIMIT is declared integer, but -P LIMIT gives "abc"/) }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_TYPE', file: 'p.yaml', line: 1, column: 8 }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_TYPE', path: ['parameters', 'FLAG', 'default'] }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_TYPE', path: ['parameters', 'BIG'] }),
    ]);
    expect(resolution.values.size).toBe(0);
  });

  it('reports required parameters without a value at their declaration', () => {
    const resolution = resolveParameters(
      { API_TOKEN: { secure: true, required: true }, EMPTY: { required: true }, GIVEN: { required: true } },
      { parameters: { EMPTY: '', GIVEN: 'yes' } },
    );
    expect(resolution.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_REQUIRED', path: ['parameters', 'API_TOKEN'] }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_REQUIRED', path: ['parameters', 'EMPTY'] }),
    ]);
  });

  it('reports malformed declarations with the path of the offending key', () => {
    const resolution = resolveParameters({
      'bad-name': 1,
      LIST: [1, 2],
      TYPED: { type: 'date' },
      EXTRA: { default: 1, colour: 'red' },
      FLAG: { secure: 'yes' },
    });
    expect(resolution.problems.map((problem) => [problem.code, problem.path])).toEqual([
      ['TREFOIL_ERR_PARAMS_NAME_INVALID', ['parameters', 'bad-name']],
      ['TREFOIL_ERR_PARAMS_DECLARATION', ['parameters', 'LIST']],
      ['TREFOIL_ERR_PARAMS_DECLARATION', ['parameters', 'TYPED', 'type']],
      ['TREFOIL_ERR_PARAMS_DECLARATION', ['parameters', 'EXTRA', 'colour']],
      ['TREFOIL_ERR_PARAMS_DECLARATION', ['parameters', 'FLAG', 'secure']],
    ]);
  });
});

describe('resolveParameters: secure values', () => {
  it('decrypts enc:v1: values, marks declared-secure and derived values secure, and collects their text', () => {
    const file = parseParamsFile(`TOKEN: ${encryptSecureValue('tok-123', PASSWORD)}\n`, 'p.yaml', { masterPassword: PASSWORD });
    const resolution = resolveParameters(
      {
        TOKEN: { secure: true },
        APP_SECRET: { secure: true, default: encryptSecureValue('app-456', PASSWORD) },
        PIN: { secure: true, type: 'integer' },
        AUTH: 'Bearer ${TOKEN}',
        PUBLIC: 'nothing secret',
      },
      { paramsFiles: [file], parameters: { PIN: '1234' }, masterPassword: PASSWORD },
    );
    expect(resolution.problems).toEqual([]);
    expect(resolution.values.get('TOKEN')).toMatchObject({ value: 'tok-123', secure: true });
    expect(resolution.values.get('APP_SECRET')).toMatchObject({ value: 'app-456', secure: true });
    expect(resolution.values.get('PIN')).toMatchObject({ value: 1234, secure: true });
    expect(resolution.values.get('AUTH')).toMatchObject({ value: 'Bearer tok-123', secure: true });
    expect(resolution.values.get('PUBLIC')).toMatchObject({ secure: false });
    expect([...resolution.secrets].sort()).toEqual(['1234', 'Bearer tok-123', 'app-456', 'tok-123']);
  });

  it('never puts a secure value in a message', () => {
    const resolution = resolveParameters({ PIN: { secure: true, type: 'integer' } }, { parameters: { PIN: 'hunter2' } });
    expect(resolution.problems).toHaveLength(1);
    expect(resolution.problems[0]!.message).not.toContain('hunter2');
  });

  it('a secure value that fails to decrypt hides lower sources and adds no follow-up problem', () => {
    const encrypted = encryptSecureValue('tok-123', PASSWORD);
    const file = parseParamsFile(`TOKEN: ${encrypted}\n`, 'p.yaml', { masterPassword: 'wrong' });
    const resolution = resolveParameters(
      { TOKEN: { secure: true, default: 'fallback' }, OTHER: { default: encrypted } },
      { paramsFiles: [file], masterPassword: 'wrong' },
    );
    // The params file's own problem is the file reader's to report; the default's is reported here.
    expect(resolution.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD', path: ['parameters', 'OTHER', 'default'] }),
    ]);
    expect(resolution.values.has('TOKEN')).toBe(false);
    expect(substituteParameters('${TOKEN}', resolution.lookup).problems).toEqual([]);
  });
});
