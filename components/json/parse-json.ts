/** Materializes a whole JSON document held in memory, with the streaming parser's rules. */
import { JsonValueBuilder } from './json-value-builder.ts';
import type { JsonValue } from './json-value.ts';
import { StreamingJsonParser, type StreamingJsonParserOptions } from './streaming-json-parser.ts';

/**
 * Parses a complete document: bytes (UTF-8) or a string (encoded to UTF-8 first). Accepts and
 * rejects exactly what `StreamingJsonParser` does; numbers keep their fidelity (bigint,
 * `ExactNumber`), unlike `JSON.parse`.
 * @throws TrefoilError `TREFOIL_ERR_JSON_*` with the byte offset of the problem.
 */
export function parseJson(input: Uint8Array | string, options: StreamingJsonParserOptions = {}): JsonValue {
  const builder = new JsonValueBuilder();
  const parser = new StreamingJsonParser(builder, options);
  parser.write(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  parser.end();
  return builder.takeResult()!;
}
