/**
 * The function extensions of RFC 9535 §2.4 (`length`, `count`, `match`, `search`, `value`) with
 * their declared types, which `parseJsonPath` uses to check well-typedness at parse time.
 */
import { isJsonObject, type JsonValue } from '../json-value.ts';
import { compileIRegexp } from './i-regexp.ts';
import { NOTHING, type ValueOrNothing } from './nothing.ts';

/** The three types of RFC 9535 §2.4.1. */
export type JsonPathType = 'ValueType' | 'LogicalType' | 'NodesType';

/** An evaluated argument: ValueType → value or Nothing, LogicalType → boolean, NodesType → the selected values. */
export type FunctionArgumentValue = ValueOrNothing | boolean | readonly JsonValue[];

/** The result of a call, of the function's declared result type. */
export type FunctionResult = ValueOrNothing | boolean | readonly JsonValue[];

export interface FunctionExtension {
  readonly name: string;
  readonly parameters: readonly JsonPathType[];
  readonly result: JsonPathType;
  /** Called with one evaluated argument per parameter, each of the parameter's type. */
  call(args: readonly FunctionArgumentValue[]): FunctionResult;
}

/** `length(value)`: characters (Unicode scalar values) of a string, elements, or members. */
const lengthFunction: FunctionExtension = {
  name: 'length',
  parameters: ['ValueType'],
  result: 'ValueType',
  call([value]) {
    if (typeof value === 'string') {
      let count = 0;
      for (let i = 0; i < value.length; i++) {
        const unit = value.charCodeAt(i);
        // A surrogate pair is one scalar value.
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
          const next = value.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++;
        }
        count++;
      }
      return count;
    }
    if (Array.isArray(value)) return value.length;
    if (value !== NOTHING && isJsonObject(value as JsonValue)) return Object.keys(value as object).length;
    return NOTHING;
  },
};

/** `count(nodes)`: how many nodes the query selected. */
const countFunction: FunctionExtension = {
  name: 'count',
  parameters: ['NodesType'],
  result: 'ValueType',
  call([nodes]) {
    return (nodes as readonly JsonValue[]).length;
  },
};

/** `match(string, iregexp)`: the whole string matches (RFC 9485 I-Regexp). */
const matchFunction: FunctionExtension = {
  name: 'match',
  parameters: ['ValueType', 'ValueType'],
  result: 'LogicalType',
  call([text, pattern]) {
    if (typeof text !== 'string' || typeof pattern !== 'string') return false;
    const regexp = compileIRegexp(pattern, 'full');
    return regexp !== null && regexp.test(text);
  },
};

/** `search(string, iregexp)`: some substring matches. */
const searchFunction: FunctionExtension = {
  name: 'search',
  parameters: ['ValueType', 'ValueType'],
  result: 'LogicalType',
  call([text, pattern]) {
    if (typeof text !== 'string' || typeof pattern !== 'string') return false;
    const regexp = compileIRegexp(pattern, 'substring');
    return regexp !== null && regexp.test(text);
  },
};

/** `value(nodes)`: the value of the only node, or Nothing. */
const valueFunction: FunctionExtension = {
  name: 'value',
  parameters: ['NodesType'],
  result: 'ValueType',
  call([nodes]) {
    const values = nodes as readonly JsonValue[];
    return values.length === 1 ? values[0]! : NOTHING;
  },
};

/** The registered function extensions by name. */
export const FUNCTION_EXTENSIONS: ReadonlyMap<string, FunctionExtension> = new Map(
  [lengthFunction, countFunction, matchFunction, searchFunction, valueFunction].map((fn) => [fn.name, fn]),
);
