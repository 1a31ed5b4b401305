/**
 * Validates a value against a JSON Schema with ajv and turns ajv's errors into one readable
 * problem per offending node (path + message). Schemas are compiled once and cached.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ProblemPath } from './problems.ts';

// ajv's CommonJS default export under NodeNext resolution.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as unknown as new (options: object) => import("ajv").default;

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

export interface SchemaProblem {
  readonly path: ProblemPath;
  /** Point at the key rather than the value (unknown keys). */
  readonly atKey: boolean;
  readonly message: string;
}

export function checkSchema(schema: object, value: unknown, basePath: ProblemPath = []): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? [], value, basePath);
}

function describeErrors(errors: ErrorObject[], root: unknown, basePath: ProblemPath): SchemaProblem[] {
  // anyOf/oneOf produce one error per failed branch plus a summary; keep, per node, the
  // errors of the branch that got furthest (deepest instance path), else the summary.
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const paths = [...byPath.keys()];
  const problems: SchemaProblem[] = [];
  for (const [instancePath, list] of byPath) {
    // A node whose descendants have errors is reported through them (more precise).
    const hasDeeper = paths.some((p) => p !== instancePath && p.startsWith(instancePath + '/'));
    const alternatives = list.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    let concrete = list.filter((e) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword));
    // With alternatives (anyOf), errors deeper down come from the branch the value was meant
    // for; this node's own errors are the other branches' complaints.
    if (hasDeeper && (alternatives || concrete.every((e) => e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const'))) continue;
    // "must be one of …" says more than "must be object" for a string that is not in the enum.
    if (alternatives && concrete.some((e) => e.keyword !== 'type')) concrete = concrete.filter((e) => e.keyword !== 'type');
    const path = [...basePath, ...pointerToPath(instancePath)];
    const chosen = concrete.length > 0 ? concrete : list;
    const seen = new Set<string>();
    for (const error of chosen) {
      const problem = describeError(error, path, valueAt(root, pointerToPath(instancePath)));
      if (seen.has(problem.message)) continue;
      seen.add(problem.message);
      problems.push(problem);
    }
  }
  return mergeTypeAlternatives(problems);
}

function describeError(error: ErrorObject, path: ProblemPath, value: unknown): SchemaProblem {
  const where = path.length > 0 ? path.join('.') : 'the document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = error.parentSchema && typeof error.parentSchema === 'object' ? Object.keys((error.parentSchema as { properties?: object }).properties ?? {}) : [];
      const hint = closest(key, allowed);
      return {
        path: [...path, key],
        atKey: true,
        message: `unknown key ${key} in ${where}${hint ? ` (did you mean ${hint}?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      };
    }
    case 'required':
      return { path, atKey: false, message: `${where} is missing required key ${String(params.missingProperty)}` };
    case 'enum':
      return { path, atKey: false, message: `${where} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')} (got ${show(value)})` };
    case 'const':
      return { path, atKey: false, message: `${where} must be ${show(params.allowedValue)} (got ${show(value)})` };
    case 'type':
      return { path, atKey: false, message: `${where} must be ${String(params.type).replace(',', ' or ')} (got ${show(value)})` };
    case 'pattern':
      return { path, atKey: false, message: `${where} has an invalid form ${show(value)}` };
    case 'propertyNames':
      return { path, atKey: true, message: `invalid name ${show(params.propertyName)} in ${where}` };
    case 'minProperties':
      return { path, atKey: false, message: `${where} must not be empty` };
    default:
      return { path, atKey: false, message: `${where} ${error.message ?? 'is invalid'}${value !== undefined && typeof value !== 'object' ? ` (got ${show(value)})` : ''}` };
  }
}

/** "must be string" + "must be object" for one node reads better as one line. */
function mergeTypeAlternatives(problems: SchemaProblem[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const typeProblems = new Map<string, SchemaProblem>();
  for (const problem of problems) {
    const match = /^(.*) must be (.*) \(got (.*)\)$/.exec(problem.message);
    const key = problem.path.join('\u0000');
    if (match && problem.message.includes(' must be ') && !problem.message.includes('one of')) {
      const earlier = typeProblems.get(key);
      if (earlier) {
        const earlierMatch = /^(.*) must be (.*) \(got (.*)\)$/.exec(earlier.message)!;
        const merged = { ...earlier, message: `${earlierMatch[1]} must be ${earlierMatch[2]} or ${match[2]} (got ${match[3]})` };
        out[out.indexOf(earlier)] = merged;
        typeProblems.set(key, merged);
        continue;
      }
      typeProblems.set(key, problem);
    }
    out.push(problem);
  }
  return out;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a map';
}

/** The allowed name closest to a misspelt one (edit distance ≤ 2), for "did you mean". */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
