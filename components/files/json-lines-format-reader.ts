/**
 * `format: jsonl` of FileReader: one JSON object per line (JSON Lines); blank lines are skipped.
 * Members map to fields by name (JsonRecordBuilder). A line that is not JSON, or not an object,
 * is a bad record under the data policy, with the line as `originalData`.
 */
import type { FormatReader } from './format-reader.ts';
import type { JsonRecordBuilder } from './json-record-builder.ts';
import { LineSplitter } from './line-splitter.ts';
import { parseJsonText } from './parse-json-text.ts';
import type { RecordEmitter } from './record-emitter.ts';
import { conversionMessage, RecordProblem } from './record-problem.ts';

export function createJsonLinesFormatReader(emitter: RecordEmitter, builder: JsonRecordBuilder): FormatReader {
  const splitter = new LineSplitter((line) => {
    if (line.trim() === '' || !emitter.admit()) return;
    let record;
    try {
      let json: unknown;
      try {
        json = parseJsonText(line, emitter.source);
      } catch (error) {
        throw new RecordProblem(null, `invalid JSON: ${conversionMessage(error)}`);
      }
      record = builder.build(json);
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      emitter.reject(error, line);
      return;
    }
    emitter.emit(record);
  });
  return { push: (chunk) => splitter.push(chunk), end: () => splitter.end() };
}
