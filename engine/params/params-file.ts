/**
 * Params files (SPEC §4): YAML maps of `NAME: value`. Reading gives every entry with its source
 * position and secure values decrypted; `setParam` (behind `trefoil params set`) edits one entry
 * and keeps everything else in the file, comments included.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isScalar, LineCounter, parseDocument, Scalar, type Document, type Node, type Pair } from 'yaml';
import { TrefoilError } from '../errors/trefoil-error.ts';
import { PARAMETER_NAME, type ParameterScalar, type ParamsProblem } from './parameter-types.ts';
import { decryptSecureValue, encryptSecureValue, isSecureValue } from './secure-value.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/** One `NAME: value` entry of a params file. */
export interface ParamsFileEntry {
  readonly name: string;
  /**
   * The typed value (YAML types kept; a secure value decrypted to its text). `undefined` when the
   * entry could not be read — a wrong master password, a list or map — and its problem is in
   * {@link ParamsFile.problems}; such an entry still hides lower-precedence values of the name.
   */
  readonly value: ParameterScalar | undefined;
  /** The value as written (`1.50`, `0x1F`, all digits of a big integer); the plaintext for a secure value. */
  readonly text: string | undefined;
  /** True for an `enc:v1:` value. */
  readonly secure: boolean;
  readonly file: string;
  /** 1-based position of the value (of the key when the value is empty). */
  readonly line: number;
  readonly column: number;
}

/** A params file as read. Entries appear in file order; a `NAME:` with no value gives no entry. */
export interface ParamsFile {
  readonly file: string;
  readonly entries: readonly ParamsFileEntry[];
  /** YAML errors, invalid names, non-scalar values and secure values that did not decrypt. */
  readonly problems: readonly ParamsProblem[];
}

/** Options for reading a params file. */
export interface ReadParamsFileOptions {
  /** Decrypts `enc:v1:` values; usually `masterPasswordFromEnvironment()`. */
  readonly masterPassword?: string | undefined;
}

/** Options for {@link setParam}. */
export interface SetParamOptions {
  /**
   * Store the value encrypted (`enc:v1:`).
   * @default false
   */
  readonly secure?: boolean;
  /** Required when `secure` is true. */
  readonly masterPassword?: string | undefined;
}

// NOTE: integers are parsed as bigint so a 20-digit value neither loses digits when read nor gets
// rewritten rounded when `setParam` re-serialises the file around it.
const PARSE_OPTIONS = { prettyErrors: false, intAsBigInt: true, uniqueKeys: true } as const;

/** Mode of a params file `setParam` creates: it may hold secrets, so only the owner reads it. */
export const NEW_PARAMS_FILE_MODE = 0o600;

/**
 * Reads and parses a params file. Problems inside the file are returned, not thrown, so the
 * loader can report them all with their positions.
 *
 * @throws TrefoilError `TREFOIL_ERR_PARAMS_FILE_UNREADABLE` when the file cannot be read.
 */
export function readParamsFile(file: string, options: ReadParamsFileOptions = {}): ParamsFile {
  return parseParamsFile(readText(file), file, options);
}

/** Parses params-file `text`; `file` names it in positions. */
export function parseParamsFile(text: string, file: string, options: ReadParamsFileOptions = {}): ParamsFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  const at = (offset: number): { file: string; line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const problems: ParamsProblem[] = document.errors.map((error) => ({
    code: 'TREFOIL_ERR_PARAMS_FILE_YAML' as const,
    message: error.message,
    ...at(error.pos[0]),
  }));
  const entries: ParamsFileEntry[] = [];
  if (problems.length > 0) return { file, entries, problems };

  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { file, entries, problems };
  if (!isMap(root)) {
    problems.push({ code: 'TREFOIL_ERR_PARAMS_FILE_NOT_MAP', message: 'a params file must be a map of NAME: value', ...at(root.range?.[0] ?? 0) });
    return { file, entries, problems };
  }

  for (const pair of root.items as Pair<unknown, unknown>[]) {
    const keyNode = pair.key as Node | null;
    const name = isScalar(keyNode) ? keyNode.value : undefined;
    const keyOffset = keyNode?.range?.[0] ?? 0;
    if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) {
      problems.push({
        code: 'TREFOIL_ERR_PARAMS_NAME_INVALID',
        message: `invalid parameter name ${JSON.stringify(String(name))}: use letters, digits and underscores, not starting with a digit`,
        ...at(keyOffset),
      });
      continue;
    }
    let valueNode = pair.value as Node | null;
    if (isAlias(valueNode)) valueNode = (valueNode.resolve(document as Document) as Node | undefined) ?? null;
    const position = at(valueNode?.range?.[0] ?? keyOffset);
    const scalar: unknown = valueNode === null ? null : isScalar(valueNode) ? valueNode.value : valueNode;
    if (scalar === null) continue;

    const entry = readEntryValue(scalar, isScalar(valueNode) ? valueNode.source : undefined, options);
    if ('problem' in entry) {
      problems.push({ ...entry.problem, message: `${name}: ${entry.problem.message}`, ...position });
      entries.push({ name, value: undefined, text: undefined, secure: entry.secure, ...position });
    } else {
      entries.push({ name, value: entry.value, text: entry.text, secure: entry.secure, ...position });
    }
  }
  return { file, entries, problems };
}

type EntryValue =
  | { value: ParameterScalar; text: string; secure: boolean }
  | { problem: Pick<ParamsProblem, 'code' | 'message'>; secure: boolean };

/** The typed value of an entry; `source` is the scalar's text as written. */
function readEntryValue(value: unknown, source: string | undefined, options: ReadParamsFileOptions): EntryValue {
  if (typeof value === 'string') {
    if (!isSecureValue(value)) return { value, text: value, secure: false };
    try {
      const plain = decryptSecureValue(value, options.masterPassword);
      return { value: plain, text: plain, secure: true };
    } catch (error) {
      if (!(error instanceof TrefoilError)) throw error;
      return { problem: { code: error.code, message: error.message }, secure: true };
    }
  }
  if (typeof value === 'bigint') {
    // A safe integer becomes a number; a larger one stays exact as text.
    const number = Number(value);
    const text = source ?? value.toString();
    return Number.isSafeInteger(number) ? { value: number, text, secure: false } : { value: text, text, secure: false };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { value, text: source ?? String(value), secure: false };
  }
  return {
    problem: { code: 'TREFOIL_ERR_PARAMS_FILE_VALUE', message: 'a parameter value must be a string, number or boolean, not a list or map' },
    secure: false,
  };
}

/**
 * Sets `name` to `value` in the params file `file`, creating the file (mode 0600) when it is
 * missing. Every other entry and every comment is kept (YAML formatting may be normalised, e.g.
 * the spacing before a trailing comment); an existing entry keeps its place and its comments.
 * The value is stored as a string — quoted when YAML would read it as another type — or, with
 * `secure`, encrypted. The file is replaced atomically and keeps its mode.
 *
 * @throws TrefoilError `TREFOIL_ERR_PARAMS_NAME_INVALID`, `TREFOIL_ERR_PARAMS_FILE_UNREADABLE`,
 *   `TREFOIL_ERR_PARAMS_FILE_YAML` / `_NOT_MAP` (an existing file that is not a valid params file
 *   is never overwritten), `TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING`, `TREFOIL_ERR_PARAMS_FILE_WRITE`.
 */
export function setParam(file: string, name: string, value: string, options: SetParamOptions = {}): void {
  if (!PARAMETER_NAME.test(name)) {
    throw new TrefoilError(
      'TREFOIL_ERR_PARAMS_NAME_INVALID',
      `invalid parameter name ${JSON.stringify(name)}: use letters, digits and underscores, not starting with a digit`,
    );
  }
  const existing = readTextIfExists(file);
  const lineCounter = new LineCounter();
  const document = parseDocument(existing?.text ?? '', { ...PARSE_OPTIONS, lineCounter });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new TrefoilError('TREFOIL_ERR_PARAMS_FILE_YAML', `${file}:${line}:${col} ${firstError.message}`, { file, line, column: col });
  }
  const root = document.contents;
  if (isScalar(root) && root.value === null) document.contents = null;
  else if (root !== null && !isMap(root)) {
    throw new TrefoilError('TREFOIL_ERR_PARAMS_FILE_NOT_MAP', `${file} is not a map of NAME: value; it was left unchanged`, { file });
  }

  const stored = options.secure === true ? encryptSecureValue(value, options.masterPassword) : value;
  const map = document.contents;
  const pair = isMap(map) ? (map.items as Pair<unknown, unknown>[]).find((item) => isScalar(item.key) && item.key.value === name) : undefined;
  if (pair === undefined) {
    document.set(name, stored);
  } else {
    pair.value = replacementScalar(pair.value, stored);
  }

  // NOTE: lineWidth 0 stops YAML from folding long values over several lines.
  const content = document.toString({ lineWidth: 0 });
  try {
    writeFileAtomically(file, content, existing?.mode ?? NEW_PARAMS_FILE_MODE);
  } catch (cause) {
    throw new TrefoilError('TREFOIL_ERR_PARAMS_FILE_WRITE', `cannot write ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
}

/** A new scalar for `stored` that keeps the old value node's comments and quoting style. */
function replacementScalar(previous: unknown, stored: string): Scalar<string> {
  const next = new Scalar(stored);
  if (isScalar(previous)) {
    next.comment = previous.comment;
    next.commentBefore = previous.commentBefore;
    next.spaceBefore = previous.spaceBefore;
    if (previous.type === Scalar.QUOTE_DOUBLE || previous.type === Scalar.QUOTE_SINGLE) next.type = previous.type;
  }
  return next;
}

/**
 * Removes one trailing newline (`\n` or `\r\n`) — what `trefoil params set` does to the value it
 * reads from standard input, so `echo secret | trefoil params set …` stores `secret`.
 */
export function stripOneTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw unreadable(file, cause);
  }
}

function readTextIfExists(file: string): { text: string; mode: number } | undefined {
  try {
    const mode = statSync(file).mode & 0o7777;
    return { text: readFileSync(file, 'utf8'), mode };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, cause);
  }
}

function unreadable(file: string, cause: unknown): TrefoilError {
  const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
  return new TrefoilError('TREFOIL_ERR_PARAMS_FILE_UNREADABLE', `cannot read params file ${file}: ${reason}`, { file }, { cause });
}
