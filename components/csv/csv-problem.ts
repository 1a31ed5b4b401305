/**
 * What the CSV parser reports about a malformed row. The parser never throws for bad data: it
 * delivers the row with best-effort values and a `CsvProblem`, and the reader applies its data
 * policy (strict: `malformedRowError` and fail; controlled: the row's original text to the error
 * port; lenient: keep the best-effort values).
 */
import { TrefoilError, type ErrorLocation } from '../../engine/errors/trefoil-error.ts';

/**
 * The kinds of malformed input, and the best-effort value the parser delivers for each:
 * - `quote-in-unquoted-field`: `ab"c` — the quote is kept as plain text (`ab"c`).
 * - `text-after-closing-quote`: `"ab"cd` — the text after the closing quote is appended, quotes in
 *   it kept as plain text (`abcd`), as Python's csv module does.
 * - `unterminated-quote`: a quoted field still open at the end of the input — the field holds
 *   everything up to the end of the input, line breaks included.
 */
export type CsvProblemKind = 'quote-in-unquoted-field' | 'text-after-closing-quote' | 'unterminated-quote';

/** One malformed spot in a row: the first one found; later ones in the same row are not reported. */
export interface CsvProblem {
  readonly kind: CsvProblemKind;
  /** One line for a person, naming the row, the column and the byte offset. */
  readonly message: string;
  /** 1-based number of the row in the input (the header row, if any, is row 1). */
  readonly rowNumber: number;
  /** 0-based index of the field the problem is in. */
  readonly fieldIndex: number;
  /** Byte offset in the input of the offending character (for `unterminated-quote`, of the opening quote). */
  readonly offset: number;
}

const DESCRIPTIONS: Readonly<Record<CsvProblemKind, string>> = {
  'quote-in-unquoted-field': 'quote character inside an unquoted field',
  'text-after-closing-quote': 'text after the closing quote of a quoted field',
  'unterminated-quote': 'quoted field not closed before the end of the input',
};

/** Builds the problem record; called only for malformed rows, so it may allocate freely. */
export function describeCsvProblem(kind: CsvProblemKind, rowNumber: number, fieldIndex: number, offset: number): CsvProblem {
  const message = `malformed CSV row ${rowNumber}, field ${fieldIndex + 1}: ${DESCRIPTIONS[kind]} (byte offset ${offset})`;
  return { kind, message, rowNumber, fieldIndex, offset };
}

/**
 * The error a reader under `dataPolicy: strict` fails with. `location` adds what the parser does
 * not know (file, component, the record number as the reader counts records).
 */
export function malformedRowError(problem: CsvProblem, location: ErrorLocation = {}): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_CSV_MALFORMED_ROW', problem.message, {
    recordNo: problem.rowNumber,
    offset: problem.offset,
    ...location,
  });
}
