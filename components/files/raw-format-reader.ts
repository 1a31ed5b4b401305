/**
 * `format: raw` of FileReader: the whole file as one record — its content in one bytes field (or
 * a string field, decoded as UTF-8), and its path in a `file` field when the metadata has one.
 * Memory is the size of the file; use `chunks` for large files.
 */
import type { OutputPort } from '../../engine/runtime/ports.ts';
import type { FormatReader } from './format-reader.ts';
import type { RecordEmitter } from './record-emitter.ts';

export function createRawFormatReader(emitter: RecordEmitter, output: OutputPort, field: string): FormatReader {
  const asText = output.metadata.field(field)?.type === 'string';
  const fillsFile = field !== 'file' && output.metadata.has('file');
  const parts: Buffer[] = [];
  let length = 0;
  return {
    push(chunk) {
      parts.push(chunk);
      length += chunk.length;
    },
    end() {
      if (!emitter.admit()) return;
      const content = Buffer.concat(parts, length);
      const record = output.newRecord();
      record[field] = asText ? content.toString('utf8') : content;
      if (fillsFile) record.file = emitter.source;
      emitter.emit(record);
    },
  };
}
