/**
 * Codes for the CSV codec (components/csv/): dialect options, malformed input rows under the
 * strict data policy, and values the writer cannot represent.
 */
import { defineCodes } from './define-codes.ts';

export const CSV_CODES = defineCodes({
  TREFOIL_ERR_CSV_OPTIONS: {
    summary: 'The CSV options are invalid (delimiter or quote).',
    fix: 'Use a non-empty delimiter without line breaks or the quote character, and a quote of one ASCII character (or none).',
  },
  TREFOIL_ERR_CSV_MALFORMED_ROW: {
    summary: 'A CSV row is malformed: a quote inside an unquoted field, text after a closing quote, or a quote never closed.',
    fix: 'Fix the row at the reported record number and byte offset (quote the field and double its quotes), or set dataPolicy to controlled (bad rows go to the error port) or lenient (best-effort values).',
  },
  TREFOIL_ERR_CSV_UNQUOTABLE_VALUE: {
    summary: 'A value contains the delimiter or a line break but the CSV writer has quoting turned off.',
    fix: 'Turn quoting back on (quote: \'"\'), choose a delimiter that does not occur in the data, or remove line breaks from the value.',
  },
});
