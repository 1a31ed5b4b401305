/**
 * A strict RFC 8259 JSON parser for small documents (a CSV cell holding a list or map of
 * numbers) that returns every number as an {@link ExactNumber}, so `[12345678901234567890]`
 * reaches a `long` list without passing through a double. Everything else is as `JSON.parse`.
 */
import { ExactNumber } from './exact-number.ts';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Thrown for text that is not JSON; the message says where. */
export class ExactJsonSyntaxError extends SyntaxError {}

/**
 * Parses `text` like `JSON.parse`, with numbers as ExactNumber.
 * @throws ExactJsonSyntaxError for text that is not exactly one JSON value
 */
export function parseExactJson(text: string): unknown {
  let position = 0;
  const fail = (what: string): never => {
    throw new ExactJsonSyntaxError(`${what} at position ${position + 1}`);
  };
  const skipWhitespace = () => {
    WHITESPACE.lastIndex = position;
    WHITESPACE.exec(text);
    position = WHITESPACE.lastIndex;
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = position;
    const found = pattern.exec(text);
    if (found === null) return undefined;
    position = pattern.lastIndex;
    return found[0];
  };
  const parseValue = (depth: number): unknown => {
    if (depth > 512) fail('nesting too deep');
    skipWhitespace();
    const char = text[position];
    if (char === '{') {
      position++;
      const entries: Array<[string, unknown]> = [];
      skipWhitespace();
      if (text[position] === '}') {
        position++;
        return {};
      }
      for (;;) {
        skipWhitespace();
        const key = match(STRING);
        if (key === undefined) fail('expected a string key');
        skipWhitespace();
        if (text[position] !== ':') fail('expected ":"');
        position++;
        entries.push([JSON.parse(key!) as string, parseValue(depth + 1)]);
        skipWhitespace();
        if (text[position] === ',') position++;
        else if (text[position] === '}') {
          position++;
          return Object.fromEntries(entries);
        } else fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      position++;
      const items: unknown[] = [];
      skipWhitespace();
      if (text[position] === ']') {
        position++;
        return items;
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[position] === ',') position++;
        else if (text[position] === ']') {
          position++;
          return items;
        } else fail('expected "," or "]"');
      }
    }
    if (char === '"') {
      const literal = match(STRING);
      if (literal === undefined) fail('invalid string');
      return JSON.parse(literal!) as string;
    }
    if (text.startsWith('true', position)) {
      position += 4;
      return true;
    }
    if (text.startsWith('false', position)) {
      position += 5;
      return false;
    }
    if (text.startsWith('null', position)) {
      position += 4;
      return null;
    }
    const number = match(NUMBER);
    if (number === undefined) fail(position >= text.length ? 'unexpected end' : 'unexpected character');
    return new ExactNumber(number!);
  };
  const value = parseValue(0);
  skipWhitespace();
  if (position !== text.length) fail('unexpected text after the value');
  return value;
}
