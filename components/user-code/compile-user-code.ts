/**
 * User code in graphs — Reformat `transform`, DataGenerator `generate`, Filter `filter`,
 * Partition `route` — is JavaScript compiled once per run with `new Function` in strict mode
 * and called synchronously per record (SPEC §7 "Precise behaviours").
 *
 * What the code sees: `$in` (an array: `$in[0]` is the current input record), `$out` (an array
 * of fresh output records, fields null or default), `dict` (the run's dictionary), `params`
 * (parameter values), helpers `copy(from, to)` (CloverDX `$out.0.* = $in.0.*`), constants
 * `ALL` and `SKIP`, plus extras a component adds (`index`, `random`).
 *
 * NOTE: field names used as `$in[N].name` / `$out[N].name` are checked against the edges'
 * metadata at validation time (a typo is a positioned graph error, as CloverDX's CTL compiler
 * would report), which costs nothing per record.
 */
import type { RecordType, DataRecord } from '../../engine/metadata/record-type.ts';

/** Return value meaning "send every connected output's record" (CloverDX's ALL). */
export const ALL = 2147483647;
/** Return value meaning "send nothing for this record" (CloverDX's SKIP). */
export const SKIP = -1;

const STANDARD_NAMES = ['$in', '$out', 'dict', 'params', 'copy', 'ALL', 'SKIP'] as const;

export type UserFunction = (...args: unknown[]) => unknown;

/** `copy(from, to)`: every field of `to` that `from` also has takes `from`'s value. */
export function copyFields(from: DataRecord, to: DataRecord): DataRecord {
  for (const key in to) if (key in from) to[key] = from[key];
  return to;
}

/**
 * Compiles a function body. `extraNames` are further parameters (e.g. `index`, `random`).
 * Throws a SyntaxError with the engine's message when the code does not parse.
 */
export function compileBody(body: string, extraNames: readonly string[] = []): UserFunction {
  return new Function(...STANDARD_NAMES, ...extraNames, `"use strict";\n${body}`) as UserFunction;
}

/** Compiles an expression (Filter, Partition `route`). */
export function compileExpression(expression: string, extraNames: readonly string[] = []): UserFunction {
  return compileBody(`return (${expression}\n);`, extraNames);
}

/** The standard arguments in order, for calling a compiled function. */
export function standardArguments(
  inputs: DataRecord[],
  outputs: DataRecord[],
  dictionary: Record<string, unknown>,
  parameters: Readonly<Record<string, unknown>>,
): unknown[] {
  return [inputs, outputs, dictionary, parameters, copyFields, ALL, SKIP];
}

/** A problem in user code: message and the 0-based line in the code, when known. */
export interface CodeProblem {
  readonly message: string;
}

/** Syntax check and field-name check; returns every problem found. */
export function checkUserCode(
  code: string,
  kind: 'body' | 'expression',
  ports: { inputs: readonly (RecordType | undefined)[]; outputs: readonly (RecordType | undefined)[] },
  extraNames: readonly string[] = [],
): CodeProblem[] {
  const problems: CodeProblem[] = [];
  try {
    if (kind === 'body') compileBody(code, extraNames);
    else compileExpression(code, extraNames);
  } catch (error) {
    problems.push({ message: `code does not compile: ${(error as Error).message}` });
    return problems;
  }
  const reference = /\$(in|out)\s*\[\s*(\d+)\s*\]\s*\.\s*([A-Za-z_$][\w$]*)/g;
  for (const match of code.matchAll(reference)) {
    const direction = match[1] as 'in' | 'out';
    const index = Number(match[2]);
    const field = match[3]!;
    const list = direction === 'in' ? ports.inputs : ports.outputs;
    if (index >= list.length || list[index] === undefined) {
      problems.push({ message: `code uses $${direction}[${index}], but ${direction === 'in' ? 'input' : 'output'} port ${index} has no edge` });
      continue;
    }
    const metadata = list[index]!;
    if (!metadata.has(field)) {
      problems.push({ message: `code uses $${direction}[${index}].${field}, but metadata ${metadata.name} has no field ${field} (fields: ${metadata.fieldNames.join(', ')})` });
    }
  }
  return problems;
}

/** A describable value for "returned a bad value" messages. */
export function describeReturn(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
