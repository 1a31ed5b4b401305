import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { parseParamsFile, readParamsFile, setParam, stripOneTrailingNewline } from '../../engine/params/params-file.ts';
import { encryptSecureValue, isSecureValue } from '../../engine/params/secure-value.ts';

const PASSWORD = 'master';
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'trefoil-params-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('reading params files', () => {
  it('keeps YAML types and source text, with the position of each value', () => {
    const parsed = parseParamsFile(
      ['# settings', 'OUT_DIR: out/reports', 'LIMIT: 100', 'RATE: 1.50', 'DRY_RUN: false', 'BIG: 12345678901234567890', 'EMPTY:', 'QUOTED: "007"', ''].join('\n'),
      'dev.yaml',
    );
    expect(parsed.problems).toEqual([]);
    const byName = Object.fromEntries(parsed.entries.map((entry) => [entry.name, entry]));
    expect(Object.keys(byName)).toEqual(['OUT_DIR', 'LIMIT', 'RATE', 'DRY_RUN', 'BIG', 'QUOTED']); // EMPTY: sets nothing
    expect(byName.OUT_DIR).toMatchObject({ value: 'out/reports', secure: false, file: 'dev.yaml', line: 2, column: 10 });
    expect(byName.LIMIT).toMatchObject({ value: 100, text: '100', line: 3, column: 8 });
    expect(byName.RATE).toMatchObject({ value: 1.5, text: '1.50' });
    expect(byName.DRY_RUN).toMatchObject({ value: false, text: 'false' });
    expect(byName.BIG).toMatchObject({ value: '12345678901234567890', text: '12345678901234567890' });
    expect(byName.QUOTED).toMatchObject({ value: '007', line: 8, column: 9 });
  });

  it('decrypts secure values and flags them', () => {
    const file = join(directory, 'secrets.yaml');
    writeFileSync(file, `API_TOKEN: ${encryptSecureValue('tok-123', PASSWORD)}\nUSER: alice\n`);
    const parsed = readParamsFile(file, { masterPassword: PASSWORD });
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries[0]).toMatchObject({ name: 'API_TOKEN', value: 'tok-123', text: 'tok-123', secure: true, line: 1, column: 12 });
    expect(parsed.entries[1]).toMatchObject({ name: 'USER', value: 'alice', secure: false });
  });

  it('reports a wrong or missing master password at the value, and keeps no value', () => {
    const text = `A: 1\nAPI_TOKEN: ${encryptSecureValue('tok-123', PASSWORD)}\n`;
    for (const [masterPassword, code] of [
      ['wrong', 'TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD'],
      [undefined, 'TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING'],
    ] as const) {
      const parsed = parseParamsFile(text, 'p.yaml', { masterPassword });
      expect(parsed.problems).toEqual([expect.objectContaining({ code, file: 'p.yaml', line: 2, column: 12 })]);
      expect(parsed.problems[0]!.message).toMatch(/^API_TOKEN: /);
      expect(parsed.entries[1]).toMatchObject({ name: 'API_TOKEN', value: undefined, text: undefined, secure: true });
    }
  });

  it('reports YAML errors, invalid names, lists and non-map files with positions', () => {
    // The position is where the parser notices the unclosed flow sequence.
    expect(parseParamsFile('A: [1\nB: 2\n', 'bad.yaml').problems[0]).toMatchObject({ code: 'TREFOIL_ERR_PARAMS_FILE_YAML', file: 'bad.yaml', line: 2, column: 1 });
    expect(parseParamsFile('A: 1\nA: 2\n', 'dup.yaml').problems[0]).toMatchObject({ code: 'TREFOIL_ERR_PARAMS_FILE_YAML', line: 2 });
    const mixed = parseParamsFile('GOOD: 1\n9BAD: 2\nLIST: [1, 2]\n', 'mixed.yaml');
    expect(mixed.problems).toEqual([
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_NAME_INVALID', line: 2, column: 1 }),
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_FILE_VALUE', line: 3, column: 7 }),
    ]);
    expect(parseParamsFile('- a\n- b\n', 'list.yaml').problems[0]).toMatchObject({ code: 'TREFOIL_ERR_PARAMS_FILE_NOT_MAP', line: 1, column: 1 });
    expect(parseParamsFile('# nothing yet\n', 'empty.yaml')).toMatchObject({ entries: [], problems: [] });
  });

  it('throws a coded error for a file that does not exist', () => {
    const missing = join(directory, 'nope.yaml');
    expect(() => readParamsFile(missing)).toThrow(TrefoilError);
    expect(() => readParamsFile(missing)).toThrow(/cannot read params file .*nope\.yaml: no such file/);
  });
});

describe('setParam', () => {
  it('creates a missing file with mode 0600', () => {
    const file = join(directory, 'new.yaml');
    setParam(file, 'OUT_DIR', 'out');
    expect(readFileSync(file, 'utf8')).toBe('OUT_DIR: out\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('preserves comments, other entries and their exact values, and the file mode', () => {
    const file = join(directory, 'dev.yaml');
    const original = [
      '# Development settings',
      'OUT_DIR: out   # where reports go',
      '',
      '# The API',
      'API_URL: "https://api.example.com"',
      'BIG: 12345678901234567890',
      'RATE: 1.50',
      'LIMIT: 10 # default page size',
      '',
    ].join('\n');
    writeFileSync(file, original, { mode: 0o640 });
    setParam(file, 'LIMIT', '250');
    setParam(file, 'NEW_ONE', 'hello world');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Development settings\n');
    expect(text).toContain('OUT_DIR: out # where reports go\n');
    expect(text).toContain('\n# The API\nAPI_URL: "https://api.example.com"\n');
    expect(text).toContain('BIG: 12345678901234567890\n');
    expect(text).toContain('RATE: 1.50\n');
    // Stored as a string (quoted so YAML keeps it text), comment kept, position kept.
    expect(text).toContain('LIMIT: "250" # default page size\nNEW_ONE: hello world\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const reread = parseParamsFile(text, file);
    expect(reread.entries.map((entry) => [entry.name, entry.value])).toEqual([
      ['OUT_DIR', 'out'],
      ['API_URL', 'https://api.example.com'],
      ['BIG', '12345678901234567890'],
      ['RATE', 1.5],
      ['LIMIT', '250'],
      ['NEW_ONE', 'hello world'],
    ]);
    expect(readdirSync(directory)).toEqual(['dev.yaml']); // no temporary file left behind
  });

  it('stores a secure value encrypted, on one line, readable with the master password', () => {
    const file = join(directory, 'secrets.yaml');
    writeFileSync(file, '# tokens\nAPI_TOKEN: old # rotated monthly\n');
    const secret = 'a long secret value with spaces and : colons '.repeat(3);
    setParam(file, 'API_TOKEN', secret, { secure: true, masterPassword: PASSWORD });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('secret value');
    expect(text).toMatch(/^# tokens\nAPI_TOKEN: enc:v1:[A-Za-z0-9+/=]+ # rotated monthly\n$/);
    const entry = readParamsFile(file, { masterPassword: PASSWORD }).entries[0]!;
    expect(entry).toMatchObject({ name: 'API_TOKEN', value: secret, secure: true });
    expect(isSecureValue(/API_TOKEN: (\S+)/.exec(text)![1])).toBe(true);
  });

  it('refuses, leaving the file unchanged, a broken file, a bad name or a missing master password', () => {
    const file = join(directory, 'broken.yaml');
    writeFileSync(file, 'A: [1\n');
    expect(() => setParam(file, 'B', 'x')).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_FILE_YAML' }));
    expect(readFileSync(file, 'utf8')).toBe('A: [1\n');

    const listFile = join(directory, 'list.yaml');
    writeFileSync(listFile, '- a\n');
    expect(() => setParam(listFile, 'B', 'x')).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_FILE_NOT_MAP' }));

    const good = join(directory, 'good.yaml');
    writeFileSync(good, 'A: 1\n');
    expect(() => setParam(good, 'not-a-name', 'x')).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_NAME_INVALID' }));
    expect(() => setParam(good, 'TOKEN', 'x', { secure: true })).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING' }));
    expect(readFileSync(good, 'utf8')).toBe('A: 1\n');

    expect(() => setParam(join(directory, 'no-such-dir', 'p.yaml'), 'A', 'x')).toThrow(
      expect.objectContaining({ code: 'TREFOIL_ERR_PARAMS_FILE_WRITE' }),
    );
  });
});

describe('stripOneTrailingNewline', () => {
  it('strips exactly one LF or CRLF', () => {
    expect(stripOneTrailingNewline('secret\n')).toBe('secret');
    expect(stripOneTrailingNewline('secret\r\n')).toBe('secret');
    expect(stripOneTrailingNewline('secret\n\n')).toBe('secret\n');
    expect(stripOneTrailingNewline('secret')).toBe('secret');
    expect(stripOneTrailingNewline('')).toBe('');
  });
});
