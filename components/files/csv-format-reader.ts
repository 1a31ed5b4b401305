/**
 * `format: csv` of FileReader: RFC 4180 rows from the streaming CsvParser (components/csv/),
 * turned into records by a TextRecordBuilder. With `header: true` (the default) the first row
 * names the columns and columns map to fields by name; with `header: false` by position.
 * Empty lines are skipped (as Python's DictReader does); a malformed row is a bad record under
 * the data policy, with its exact original text as `originalData`.
 */
import { CsvParser, type CsvRow } from '../csv/csv-parser.ts';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { RecordType } from '../../engine/metadata/record-type.ts';
import type { FormatReader } from './format-reader.ts';
import type { RecordEmitter } from './record-emitter.ts';
import { RecordProblem } from './record-problem.ts';
import type { TextRecordBuilder } from './text-record-builder.ts';

export interface CsvReadOptions {
  readonly header: boolean;
  readonly delimiter?: string;
  readonly quote?: string | null;
  /** Malformed rows keep their best-effort values instead of being rejected. */
  readonly lenient: boolean;
  /** A map field that receives every column by header name (with `header: true`). */
  readonly columnsField?: string;
}

/**
 * A reader for one file. `builder` is shared between files (its header mapping is redone here).
 * @throws TrefoilError `TREFOIL_ERR_CSV_OPTIONS` for an invalid delimiter or quote
 */
export function createCsvFormatReader(emitter: RecordEmitter, builder: TextRecordBuilder, metadata: RecordType, options: CsvReadOptions): FormatReader {
  let headerPending = options.header;
  if (!headerPending) builder.mapByPosition();
  if (options.columnsField !== undefined) builder.collectColumnsInto(options.columnsField);
  const onRow = (values: (string | null)[], row: CsvRow): void => {
    if (headerPending) {
      headerPending = false;
      if (builder.mapByName(values) === 0 && options.columnsField === undefined && metadata.fields.length > 0) {
        throw new TrefoilError(
          'TREFOIL_ERR_FILES_DATA',
          `${emitter.source}: the header row (${values.map((name) => name ?? '').join(', ')}) names none of the fields of metadata ${metadata.name} (${metadata.fieldNames.join(', ')}); set header: false when the file has no header row`,
          { file: emitter.source },
        );
      }
      return;
    }
    if (!emitter.admit()) return;
    if (row.problem !== null && !options.lenient) {
      emitter.reject(new RecordProblem(null, row.problem.message), row.originalText(), 'TREFOIL_ERR_CSV_MALFORMED_ROW');
      return;
    }
    let record;
    try {
      record = builder.build(values);
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      emitter.reject(error, row.originalText());
      return;
    }
    emitter.emit(record);
  };
  const parser = new CsvParser(onRow, { delimiter: options.delimiter, quote: options.quote, skipEmptyLines: true });
  return {
    push: (chunk) => parser.push(chunk),
    end: () => parser.end(),
  };
}
