/**
 * Parses one JSON text (a JSON Lines line) keeping numbers exact where it matters.
 *
 * NOTE: `JSON.parse` is native and several times faster than the streaming parser, but turns
 * every number into a double: integers beyond 2^53 and decimals with more than 15 significant
 * digits would silently change. So a text that holds a run of 16 or more digits (or dots), or a
 * three-digit exponent, goes to the exact parser (components/json/parse-json.ts: bigint and
 * ExactNumber); every other text is safe for `JSON.parse`. Long digit runs inside strings only
 * cost the slower path, never correctness.
 */
import { parseJson } from '../json/parse-json.ts';

const MAY_LOSE_DIGITS = /[0-9.]{16}|[eE][+-]?[0-9]{3}/;

/**
 * The JSON value of `text`.
 * @throws Error (SyntaxError or TrefoilError) with a message saying what is wrong
 */
export function parseJsonText(text: string, source: string): unknown {
  if (MAY_LOSE_DIGITS.test(text)) return parseJson(text, { source });
  return JSON.parse(text);
}
