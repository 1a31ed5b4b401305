/**
 * Parses RFC 9535 JSONPath text into a `JsonPathQuery`, checking the whole grammar and the
 * semantic rules that make a query invalid: integers outside ±(2^53−1), comparisons of
 * non-singular queries, unknown functions, wrong argument counts and ill-typed function
 * expressions (RFC 9535 §2.4.3). Parse once (at graph validation), evaluate many times.
 */
import { jsonNumberFromText } from '../json-number.ts';
import type { JsonValue } from '../json-value.ts';
import {
  isSingularQuery,
  type Comparable,
  type ComparisonOperator,
  type FunctionArgument,
  type FunctionCall,
  type JsonPathQuery,
  type JsonPathSegment,
  type JsonPathSelector,
  type LogicalExpression,
} from './ast.ts';
import { FUNCTION_EXTENSIONS, type JsonPathType } from './function-extensions.ts';
import { JsonPathSyntaxError } from './json-path-syntax-error.ts';

/**
 * Parses a JSONPath query (it must start with `$`; no surrounding whitespace).
 * @throws JsonPathSyntaxError (`TREFOIL_ERR_JSON_PATH_INVALID`) naming the offending character.
 * @example parseJsonPath("$.orders[?@.total > 100].id")
 */
export function parseJsonPath(text: string): JsonPathQuery {
  return new QueryParser(text).parseQuery();
}

/** Nesting limit for parentheses, filters and function calls (guards the recursive descent). */
const MAX_NESTING = 256;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A literal, query or function call before we know whether a comparison follows. */
type Primary =
  | { readonly kind: 'literal'; readonly value: JsonValue; readonly at: number }
  | { readonly kind: 'query'; readonly query: JsonPathQuery; readonly at: number }
  | { readonly kind: 'function'; readonly call: FunctionCall; readonly name: string; readonly at: number };

class QueryParser {
  readonly #text: string;
  #pos = 0;
  #nesting = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parseQuery(): JsonPathQuery {
    if (this.#text[0] !== '$') throw this.#fail(0, "a query must start with '$'");
    this.#pos = 1;
    const query: JsonPathQuery = { root: '$', segments: this.#parseSegments() };
    if (this.#pos < this.#text.length) throw this.#fail(this.#pos, `unexpected ${this.#describe(this.#pos)}`);
    return query;
  }

  // ---- segments and selectors ----------------------------------------------------------------

  #parseSegments(): JsonPathSegment[] {
    const text = this.#text;
    const segments: JsonPathSegment[] = [];
    for (;;) {
      const save = this.#pos;
      this.#skipBlank();
      const c = text[this.#pos];
      if (c === '[') {
        segments.push({ descendant: false, selectors: this.#parseBracketed() });
      } else if (c === '.' && text[this.#pos + 1] === '.') {
        this.#pos += 2;
        const next = text[this.#pos];
        if (next === '[') segments.push({ descendant: true, selectors: this.#parseBracketed() });
        else segments.push({ descendant: true, selectors: [this.#parseDotSelector("'..'")] });
      } else if (c === '.') {
        this.#pos++;
        segments.push({ descendant: false, selectors: [this.#parseDotSelector("'.'")] });
      } else {
        this.#pos = save;
        return segments;
      }
    }
  }

  /** After `.` or `..`: `*` or a member-name shorthand. */
  #parseDotSelector(after: string): JsonPathSelector {
    if (this.#text[this.#pos] === '*') {
      this.#pos++;
      return { kind: 'wildcard' };
    }
    const start = this.#pos;
    if (!this.#atNameFirst()) throw this.#fail(start, `expected a member name or '*' after ${after}, found ${this.#describe(start)}`);
    for (;;) {
      if (this.#atNameFirst()) continue;
      if (!isDigit(this.#text.charCodeAt(this.#pos))) break;
      this.#pos++;
    }
    return { kind: 'name', name: this.#text.slice(start, this.#pos) };
  }

  /** Consumes one name character (name-first) if there is one. */
  #atNameFirst(): boolean {
    const c = this.#text.charCodeAt(this.#pos);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || (c >= 0x80 && c < 0xd800) || c >= 0xe000) {
      this.#pos++;
      return true;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = this.#text.charCodeAt(this.#pos + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.#pos += 2;
        return true;
      }
    }
    return false;
  }

  /** `[` selector *(`,` selector) `]`, at the `[`. */
  #parseBracketed(): JsonPathSelector[] {
    this.#pos++; // [
    const selectors: JsonPathSelector[] = [];
    for (;;) {
      this.#skipBlank();
      selectors.push(this.#parseSelector());
      this.#skipBlank();
      const c = this.#text[this.#pos];
      this.#pos++;
      if (c === ']') return selectors;
      if (c !== ',') throw this.#fail(this.#pos - 1, `expected ',' or ']' in a bracketed selection, found ${this.#describe(this.#pos - 1)}`);
    }
  }

  #parseSelector(): JsonPathSelector {
    const c = this.#text[this.#pos];
    if (c === "'" || c === '"') return { kind: 'name', name: this.#parseStringLiteral() };
    if (c === '*') {
      this.#pos++;
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.#pos++;
      this.#skipBlank();
      return { kind: 'filter', expression: this.#nested(() => this.#parseLogicalOr()) };
    }
    if (c === ':' || c === '-' || isDigit(this.#text.charCodeAt(this.#pos))) return this.#parseIndexOrSlice();
    throw this.#fail(this.#pos, `expected a selector (a name in quotes, '*', an index, a slice or a filter), found ${this.#describe(this.#pos)}`);
  }

  #parseIndexOrSlice(): JsonPathSelector {
    const text = this.#text;
    let start: number | null = null;
    if (text[this.#pos] !== ':') start = this.#parseInteger();
    const afterStart = this.#pos;
    this.#skipBlank();
    if (text[this.#pos] !== ':') {
      this.#pos = afterStart;
      return { kind: 'index', index: start! };
    }
    this.#pos++;
    this.#skipBlank();
    let end: number | null = null;
    let step: number | null = null;
    if (this.#atIntegerStart()) {
      end = this.#parseInteger();
      this.#skipBlank();
    }
    if (text[this.#pos] === ':') {
      this.#pos++;
      this.#skipBlank();
      if (this.#atIntegerStart()) step = this.#parseInteger();
    }
    return { kind: 'slice', start, end, step };
  }

  #atIntegerStart(): boolean {
    return this.#text[this.#pos] === '-' || isDigit(this.#text.charCodeAt(this.#pos));
  }

  /** int = "0" / ["-"] DIGIT1 *DIGIT, within ±(2^53−1). */
  #parseInteger(): number {
    const text = this.#text;
    const start = this.#pos;
    if (text[this.#pos] === '-') this.#pos++;
    const firstDigit = this.#pos;
    if (!isDigit(text.charCodeAt(this.#pos))) throw this.#fail(this.#pos, `expected a digit, found ${this.#describe(this.#pos)}`);
    while (isDigit(text.charCodeAt(this.#pos))) this.#pos++;
    const digits = text.slice(firstDigit, this.#pos);
    if (digits.length > 1 && digits[0] === '0') throw this.#fail(firstDigit, 'an integer must not have leading zeros');
    if (digits === '0' && firstDigit > start) throw this.#fail(start, "'-0' is not a valid index");
    const value = Number(text.slice(start, this.#pos));
    if (Math.abs(value) > MAX_SAFE) throw this.#fail(start, 'integer out of range (beyond ±(2^53−1))');
    return value;
  }

  /** A single- or double-quoted string literal, at the quote. */
  #parseStringLiteral(): string {
    const text = this.#text;
    const quote = text[this.#pos]!;
    const start = this.#pos;
    this.#pos++;
    let value = '';
    for (;;) {
      if (this.#pos >= text.length) throw this.#fail(start, 'unterminated string literal');
      const c = text.charCodeAt(this.#pos);
      if (text[this.#pos] === quote) {
        this.#pos++;
        return value;
      }
      if (c === 0x5c /* \ */) {
        value += this.#parseEscape(quote);
        continue;
      }
      if (c < 0x20) throw this.#fail(this.#pos, 'control characters must be escaped in a string literal');
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = text.charCodeAt(this.#pos + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw this.#fail(this.#pos, 'lone surrogate in a string literal');
        value += text.slice(this.#pos, this.#pos + 2);
        this.#pos += 2;
        continue;
      }
      value += text[this.#pos];
      this.#pos++;
    }
  }

  #parseEscape(quote: string): string {
    const text = this.#text;
    const at = this.#pos;
    const c = text[this.#pos + 1];
    this.#pos += 2;
    switch (c) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '/':
        return '/';
      case '\\':
        return '\\';
      case "'":
      case '"':
        if (c !== quote) throw this.#fail(at, `\\${c} is only allowed inside ${c === "'" ? 'single' : 'double'}-quoted strings`);
        return c;
      case 'u': {
        const unit = this.#parseHex4(at);
        if (unit >= 0xdc00 && unit <= 0xdfff) throw this.#fail(at, 'a low surrogate escape must follow a high surrogate escape');
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (text[this.#pos] !== '\\' || text[this.#pos + 1] !== 'u') throw this.#fail(at, 'a high surrogate escape must be followed by a low surrogate escape');
          const lowAt = this.#pos;
          this.#pos += 2;
          const low = this.#parseHex4(lowAt);
          if (low < 0xdc00 || low > 0xdfff) throw this.#fail(lowAt, 'a high surrogate escape must be followed by a low surrogate escape');
          return String.fromCharCode(unit, low);
        }
        return String.fromCharCode(unit);
      }
      default:
        throw this.#fail(at, `invalid escape '\\${c ?? ''}' in a string literal`);
    }
  }

  #parseHex4(escapeAt: number): number {
    const hex = this.#text.slice(this.#pos, this.#pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.#fail(escapeAt, '\\u must be followed by 4 hex digits');
    this.#pos += 4;
    return parseInt(hex, 16);
  }

  // ---- filter expressions --------------------------------------------------------------------

  #nested<T>(parse: () => T): T {
    if (++this.#nesting > MAX_NESTING) throw this.#fail(this.#pos, `expressions nested more than ${MAX_NESTING} levels deep`);
    try {
      return parse();
    } finally {
      this.#nesting--;
    }
  }

  #parseLogicalOr(): LogicalExpression {
    const operands = [this.#parseLogicalAnd()];
    for (;;) {
      const save = this.#pos;
      this.#skipBlank();
      if (!this.#text.startsWith('||', this.#pos)) {
        this.#pos = save;
        break;
      }
      this.#pos += 2;
      this.#skipBlank();
      operands.push(this.#parseLogicalAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  #parseLogicalAnd(): LogicalExpression {
    const operands = [this.#parseBasic()];
    for (;;) {
      const save = this.#pos;
      this.#skipBlank();
      if (!this.#text.startsWith('&&', this.#pos)) {
        this.#pos = save;
        break;
      }
      this.#pos += 2;
      this.#skipBlank();
      operands.push(this.#parseBasic());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  /** basic-expr = paren-expr / comparison-expr / test-expr */
  #parseBasic(): LogicalExpression {
    const text = this.#text;
    if (text[this.#pos] === '!') {
      this.#pos++;
      this.#skipBlank();
      if (text[this.#pos] === '(') return { kind: 'not', operand: this.#parseParenthesized() };
      const operand = this.#parsePrimary();
      return { kind: 'not', operand: this.#asTest(operand) };
    }
    if (text[this.#pos] === '(') return this.#parseParenthesized();
    const left = this.#parsePrimary();
    const save = this.#pos;
    this.#skipBlank();
    const operator = this.#parseComparisonOperator();
    if (operator === null) {
      this.#pos = save;
      return this.#asTest(left);
    }
    this.#skipBlank();
    const right = this.#parsePrimary();
    return { kind: 'comparison', operator, left: this.#asComparable(left), right: this.#asComparable(right) };
  }

  #parseParenthesized(): LogicalExpression {
    this.#pos++; // (
    this.#skipBlank();
    const expression = this.#nested(() => this.#parseLogicalOr());
    this.#skipBlank();
    if (this.#text[this.#pos] !== ')') throw this.#fail(this.#pos, `expected ')', found ${this.#describe(this.#pos)}`);
    this.#pos++;
    return expression;
  }

  #parseComparisonOperator(): ComparisonOperator | null {
    const two = this.#text.slice(this.#pos, this.#pos + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      this.#pos += 2;
      return two;
    }
    const one = this.#text[this.#pos];
    if (one === '<' || one === '>') {
      this.#pos++;
      return one;
    }
    return null;
  }

  /** A primary used on its own as a test: a query (existence) or a Logical/Nodes function. */
  #asTest(primary: Primary): LogicalExpression {
    if (primary.kind === 'query') return { kind: 'exists', query: primary.query };
    if (primary.kind === 'function') {
      if (primary.call.extension.result === 'ValueType') {
        throw this.#fail(primary.at, `${primary.name}() returns a value, which cannot be used as a test on its own; compare it (e.g. ${primary.name}(…) > 0)`);
      }
      return { kind: 'function-test', call: primary.call };
    }
    throw this.#fail(primary.at, 'a literal cannot be used as a test on its own; compare it with something');
  }

  #asComparable(primary: Primary): Comparable {
    if (primary.kind === 'literal') return { kind: 'literal', value: primary.value };
    if (primary.kind === 'query') {
      if (!isSingularQuery(primary.query)) {
        throw this.#fail(primary.at, 'only singular queries (names and indices, no wildcards, slices, filters or ..) can be compared');
      }
      return { kind: 'singular-query', query: primary.query };
    }
    if (primary.call.extension.result !== 'ValueType') {
      throw this.#fail(primary.at, `${primary.name}() returns a logical result, which cannot be compared`);
    }
    return { kind: 'function', call: primary.call };
  }

  /** A literal, a query (`@…` / `$…`) or a function call. */
  #parsePrimary(): Primary {
    const text = this.#text;
    const at = this.#pos;
    const c = text[at];
    if (c === '@' || c === '$') {
      this.#pos++;
      return { kind: 'query', query: { root: c, segments: this.#parseSegments() }, at };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.#parseStringLiteral(), at };
    if (c === '-' || isDigit(text.charCodeAt(at))) return { kind: 'literal', value: this.#parseNumberLiteral(), at };
    const code = text.charCodeAt(at);
    if (code >= 0x61 && code <= 0x7a) {
      let end = at + 1;
      while (end < text.length && /[a-z0-9_]/.test(text[end]!)) end++;
      const name = text.slice(at, end);
      if (text[end] === '(') {
        this.#pos = end + 1;
        return { kind: 'function', call: this.#nested(() => this.#parseFunctionCall(name, at)), name, at };
      }
      if (name === 'true' || name === 'false' || name === 'null') {
        this.#pos = end;
        return { kind: 'literal', value: name === 'null' ? null : name === 'true', at };
      }
      throw this.#fail(at, `unknown name '${name}' (literals are true, false and null; functions need parentheses)`);
    }
    throw this.#fail(at, `expected a literal, a query ('@' or '$') or a function call, found ${this.#describe(at)}`);
  }

  /** number = (int / "-0") [ frac ] [ exp ], the JSON number grammar. */
  #parseNumberLiteral(): JsonValue {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(this.#text.slice(this.#pos));
    if (match === null) throw this.#fail(this.#pos, 'invalid number literal');
    const after = this.#text.charCodeAt(this.#pos + match[0].length);
    if (isDigit(after) || after === 0x2e /* . */ || after === 0x65 || after === 0x45) {
      throw this.#fail(this.#pos + match[0].length, 'invalid number literal');
    }
    this.#pos += match[0].length;
    return jsonNumberFromText(match[0]);
  }

  /** After `name(`: the arguments and `)`, checked against the function's parameter types. */
  #parseFunctionCall(name: string, at: number): FunctionCall {
    const extension = FUNCTION_EXTENSIONS.get(name);
    if (extension === undefined) throw this.#fail(at, `unknown function '${name}' (known: ${[...FUNCTION_EXTENSIONS.keys()].join(', ')})`);
    const args: FunctionArgument[] = [];
    this.#skipBlank();
    if (this.#text[this.#pos] === ')') {
      this.#pos++;
    } else {
      for (;;) {
        const argumentAt = this.#pos;
        const argument = this.#parseArgument();
        const index = args.length;
        if (index < extension.parameters.length) this.#checkArgument(name, index, extension.parameters[index]!, argument, argumentAt);
        args.push(argument);
        this.#skipBlank();
        const c = this.#text[this.#pos];
        this.#pos++;
        if (c === ')') break;
        if (c !== ',') throw this.#fail(this.#pos - 1, `expected ',' or ')' in the arguments of ${name}(), found ${this.#describe(this.#pos - 1)}`);
        this.#skipBlank();
      }
    }
    if (args.length !== extension.parameters.length) {
      throw this.#fail(at, `${name}() takes ${extension.parameters.length} argument${extension.parameters.length === 1 ? '' : 's'}, got ${args.length}`);
    }
    return { extension, args };
  }

  /** function-argument = literal / filter-query / logical-expr / function-expr */
  #parseArgument(): FunctionArgument {
    const start = this.#pos;
    const c = this.#text[start];
    if (c !== '!' && c !== '(') {
      const primary = this.#parsePrimary();
      const save = this.#pos;
      this.#skipBlank();
      const next = this.#text[this.#pos];
      this.#pos = save;
      if (next === ',' || next === ')') {
        if (primary.kind === 'literal') return { kind: 'literal', value: primary.value };
        if (primary.kind === 'query') return { kind: 'query', query: primary.query, singular: isSingularQuery(primary.query) };
        return { kind: 'function', call: primary.call };
      }
      this.#pos = start;
    }
    return { kind: 'logical', expression: this.#parseLogicalOr() };
  }

  /** RFC 9535 §2.4.3: is this argument well-typed for a parameter of this type? */
  #checkArgument(name: string, index: number, type: JsonPathType, argument: FunctionArgument, at: number): void {
    const position = `argument ${index + 1} of ${name}()`;
    switch (type) {
      case 'ValueType':
        if (argument.kind === 'literal') return;
        if (argument.kind === 'query' && argument.singular) return;
        if (argument.kind === 'function' && argument.call.extension.result === 'ValueType') return;
        throw this.#fail(at, `${position} must be a value: a literal, a singular query or a value-returning function`);
      case 'NodesType':
        if (argument.kind === 'query') return;
        if (argument.kind === 'function' && argument.call.extension.result === 'NodesType') return;
        throw this.#fail(at, `${position} must be a query`);
      case 'LogicalType':
        if (argument.kind === 'logical' || argument.kind === 'query') return;
        if (argument.kind === 'function' && argument.call.extension.result !== 'ValueType') return;
        throw this.#fail(at, `${position} must be a logical expression`);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  #skipBlank(): void {
    const text = this.#text;
    for (;;) {
      const c = text.charCodeAt(this.#pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.#pos++;
      else return;
    }
  }

  #describe(index: number): string {
    if (index >= this.#text.length) return 'the end of the query';
    return `'${String.fromCodePoint(this.#text.codePointAt(index)!)}'`;
  }

  #fail(index: number, problem: string): JsonPathSyntaxError {
    return new JsonPathSyntaxError(this.#text, index, problem);
  }
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
