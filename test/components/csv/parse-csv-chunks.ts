/** Test helper: runs a CsvParser over given chunks and collects everything it reports per row. */
import { CsvParser, type CsvParserOptions } from '../../../components/csv/csv-parser.ts';
import type { CsvProblem } from '../../../components/csv/csv-problem.ts';

export interface CollectedRow {
  fields: (string | null)[];
  rowNumber: number;
  offset: number;
  problem: CsvProblem | null;
  originalText: string;
}

/** Parses `chunks` in order (then `end()`), copying each row's view out of the reused object. */
export function parseChunks(chunks: readonly Uint8Array[], options?: CsvParserOptions): CollectedRow[] {
  const rows: CollectedRow[] = [];
  const parser = new CsvParser((fields, row) => {
    rows.push({ fields, rowNumber: row.rowNumber, offset: row.offset, problem: row.problem, originalText: row.originalText() });
  }, options);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return rows;
}

/** Parses one text (UTF-8) in one chunk. */
export function parseText(text: string, options?: CsvParserOptions): CollectedRow[] {
  return parseChunks([Buffer.from(text, 'utf8')], options);
}

/** Cuts `bytes` at the given ascending byte positions. */
export function splitAt(bytes: Uint8Array, points: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(Buffer.from(bytes.subarray(from, point)));
    from = point;
  }
  chunks.push(Buffer.from(bytes.subarray(from)));
  return chunks;
}

/** Just the field values of each row. */
export function fieldsOf(rows: readonly CollectedRow[]): (string | null)[][] {
  return rows.map((row) => row.fields);
}
