/**
 * `format: text` of FileReader: one record per line, the line (without its line break) in one
 * string field. Empty lines are records too (with `''`), except after the final line break.
 */
import type { FormatReader } from './format-reader.ts';
import { LineSplitter } from './line-splitter.ts';
import type { RecordEmitter } from './record-emitter.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';

/** A reader for one file; `field` is the string field that receives each line. */
export function createTextFormatReader(emitter: RecordEmitter, output: OutputPort, field: string): FormatReader {
  const splitter = new LineSplitter((line) => {
    if (!emitter.admit()) return;
    const record = output.newRecord();
    record[field] = line;
    emitter.emit(record);
  });
  return { push: (chunk) => splitter.push(chunk), end: () => splitter.end() };
}
