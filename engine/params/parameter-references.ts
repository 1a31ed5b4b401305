/**
 * The `${NAME}` reference syntax (SPEC §4), shared by graph substitution and by parameter values
 * that refer to other parameters.
 *
 * - `${NAME}` with NAME matching {@link PARAMETER_NAME} is a reference.
 * - `$${` is a literal `${` (and what follows it is plain text).
 * - Anything else is plain text, including `${` not followed by a valid name and `}`.
 *
 * NOTE: the last rule keeps JavaScript template literals such as `${$in[0].name}` in Reformat
 * code working unescaped; only `${IDENTIFIER}` needs `$${` to stay literal.
 */
import { PARAMETER_FAILED, parameterText, type ParameterLookup, type ParameterScalar } from './parameter-types.ts';

/** A reference found in a string. */
export interface ParameterReference {
  readonly name: string;
}

/** Literal text and references, in order. */
export type ReferenceParts = readonly (string | ParameterReference)[];

const NAME_START = /[A-Za-z_]/;
const NAME_REST = /[A-Za-z0-9_]/;

/**
 * Splits `text` into literal text and references, or returns `undefined` when the string holds
 * neither a reference nor an escape (the common case, answered by one `indexOf`).
 */
export function splitReferences(text: string): ReferenceParts | undefined {
  let dollar = text.indexOf('$');
  if (dollar === -1) return undefined;
  const parts: (string | ParameterReference)[] = [];
  let literal = '';
  let literalFrom = 0;
  let special = false;
  while (dollar !== -1) {
    if (text.startsWith('$${', dollar)) {
      literal += text.slice(literalFrom, dollar) + '${';
      literalFrom = dollar + 3;
      special = true;
      dollar = text.indexOf('$', literalFrom);
      continue;
    }
    if (text.charCodeAt(dollar + 1) === 0x7b /* { */) {
      const name = readName(text, dollar + 2);
      if (name !== undefined) {
        literal += text.slice(literalFrom, dollar);
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push({ name });
        literalFrom = dollar + 3 + name.length;
        special = true;
        dollar = text.indexOf('$', literalFrom);
        continue;
      }
    }
    dollar = text.indexOf('$', dollar + 1);
  }
  if (!special) return undefined;
  literal += text.slice(literalFrom);
  if (literal !== '') parts.push(literal);
  return parts;
}

/** The name of a reference starting at `from` (just after `${`) if it is well formed and closed. */
function readName(text: string, from: number): string | undefined {
  if (from >= text.length || !NAME_START.test(text[from]!)) return undefined;
  let end = from + 1;
  while (end < text.length && NAME_REST.test(text[end]!)) end++;
  return text.charCodeAt(end) === 0x7d /* } */ ? text.slice(from, end) : undefined;
}

/** Receives what an expansion finds besides its result. */
export interface ExpansionSink {
  /** A referenced name the lookup does not know. Called once per occurrence. */
  missing(name: string): void;
  /** The text of a secure value that was spliced in or taken whole. */
  secret(text: string): void;
}

/**
 * Expands the references of `parts` through `lookup`. A string that is exactly one reference
 * takes the parameter's typed value; otherwise the result is text. Returns `PARAMETER_FAILED`
 * when any reference is missing (each reported to `sink.missing`) or failed.
 */
export function expandReferences(
  parts: ReferenceParts,
  lookup: ParameterLookup,
  sink: ExpansionSink,
): ParameterScalar | typeof PARAMETER_FAILED {
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const name = parts[0]!.name;
    const parameter = lookup(name);
    if (parameter === undefined) {
      sink.missing(name);
      return PARAMETER_FAILED;
    }
    if (parameter === PARAMETER_FAILED) return PARAMETER_FAILED;
    if (parameter.secure) sink.secret(parameterText(parameter));
    return parameter.value;
  }
  let result = '';
  let failed = false;
  for (const part of parts) {
    if (typeof part === 'string') {
      result += part;
      continue;
    }
    const parameter = lookup(part.name);
    if (parameter === undefined) {
      sink.missing(part.name);
      failed = true;
    } else if (parameter === PARAMETER_FAILED) {
      failed = true;
    } else {
      const text = parameterText(parameter);
      if (parameter.secure) sink.secret(text);
      result += text;
    }
  }
  return failed ? PARAMETER_FAILED : result;
}
