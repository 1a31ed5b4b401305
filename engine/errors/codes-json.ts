/** Codes for JSON documents that cannot be read and JSONPath queries that cannot be compiled. */
import { defineCodes } from './define-codes.ts';

export const JSON_CODES = defineCodes({
  TREFOIL_ERR_JSON_SYNTAX: {
    summary: 'The JSON document is not valid JSON (RFC 8259).',
    fix: 'Look at the reported byte offset in the named source: a missing comma or quote, a trailing comma, a comment, single quotes, or text after the document are the usual causes.',
  },
  TREFOIL_ERR_JSON_ENCODING: {
    summary: 'The JSON document is not valid UTF-8.',
    fix: 'JSON must be UTF-8 (RFC 8259 §8.1). Convert the source (for example from Latin-1 or UTF-16) to UTF-8; the message gives the byte offset of the first bad byte.',
  },
  TREFOIL_ERR_JSON_TRUNCATED: {
    summary: 'The JSON document ended before it was complete.',
    fix: 'The source was cut off or is empty (an interrupted download, a partial file). Check its size and produce it again.',
  },
  TREFOIL_ERR_JSON_DATA: {
    summary: 'A JSONExtract match does not fit the metadata of its port (a value that does not convert to its field type, a non-nullable field left empty).',
    fix: 'The message names the source, the select, the byte offset where the match ended and the field. Fix the data, change the field type (a string or variant field takes anything), map another member with `fields`, or set dataPolicy: controlled (bad matches to the error port) or lenient (bad fields null).',
  },
  TREFOIL_ERR_JSON_PATH_INVALID: {
    summary: 'A JSONPath query is not valid RFC 9535 JSONPath.',
    fix: 'Correct the query at the reported character. Queries start with `$`; names with special characters go in brackets (`$[\'a b\']`); filters are `[?@.price > 10]`; comparisons need singular queries (`@.a`, not `@.*`).',
  },
});
