/**
 * `format: text` and `format: raw` of FileWriter: one field's value per record.
 * text: the value's text form (engine/metadata/text-codec.ts) followed by the line ending; null is
 * an empty line. raw: bytes exactly as they are, strings as UTF-8, other types as their text form,
 * nothing between records and nothing for null — a bytes field of chunks written back with raw
 * reproduces the original file.
 */
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import { compileTextCodec } from '../../engine/metadata/text-codec.ts';
import type { RecordFormat } from './record-format.ts';

const EMPTY = new Uint8Array(0);

export function createFieldRecordFormat(metadata: RecordType, field: string, raw: boolean, lineEnding: '\n' | '\r\n'): RecordFormat {
  const definition = metadata.field(field)!;
  const text = compileTextCodec(definition).format;
  if (!raw) {
    return { begin: () => '', format: (record: DataRecord) => text(record[field]) + lineEnding, end: () => '' };
  }
  const isBytes = definition.type === 'bytes' && definition.container === undefined;
  return {
    begin: () => '',
    format(record: DataRecord) {
      const value = record[field];
      if (value === null || value === undefined) return EMPTY;
      return isBytes ? (value as Uint8Array) : typeof value === 'string' ? value : text(value);
    },
    end: () => '',
  };
}
