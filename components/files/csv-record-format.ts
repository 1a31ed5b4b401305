/**
 * `format: csv` of FileWriter: a header row of the field names (unless `header: false`), then
 * one row per record. Values are the fields' text forms (engine/metadata/text-codec.ts: exact
 * digits for long and decimal, decimals with their scale, dates ISO-8601 UTC with milliseconds
 * unless the field has a `format`, bytes base64, lists and maps as JSON); null is an empty
 * unquoted field, `''` is `""`, and a value is quoted only when it needs it (delimiter, quote,
 * CR, LF) unless `quoteAll` — so FileReader reads back exactly what was written.
 */
import { CsvWriter } from '../csv/csv-writer.ts';
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import { compileTextCodec } from '../../engine/metadata/text-codec.ts';
import type { RecordFormat } from './record-format.ts';

export interface CsvWriteOptions {
  readonly header: boolean;
  readonly delimiter?: string;
  readonly quote?: string;
  readonly quoteAll: boolean;
  readonly lineEnding: '\n' | '\r\n';
}

/** @throws TrefoilError `TREFOIL_ERR_CSV_OPTIONS` for an invalid delimiter or quote */
export function createCsvRecordFormat(metadata: RecordType, options: CsvWriteOptions): RecordFormat {
  const csv = new CsvWriter({ delimiter: options.delimiter, quote: options.quote, quoteAll: options.quoteAll, lineEnding: options.lineEnding });
  const names = metadata.fieldNames;
  const formatters = metadata.fields.map((field) => compileTextCodec(field).format);
  const delimiter = options.delimiter === '\\t' ? '\t' : (options.delimiter ?? ',');
  const lineEnding = options.lineEnding;
  const count = names.length;
  return {
    begin: () => (options.header ? csv.formatHeader(names) : ''),
    format(record: DataRecord): string {
      let line = '';
      for (let k = 0; k < count; k++) {
        const value = record[names[k]!];
        if (k > 0) line += delimiter;
        if (value !== null && value !== undefined) line += csv.formatField(formatters[k]!(value));
      }
      return line + lineEnding;
    },
    end: () => '',
  };
}
