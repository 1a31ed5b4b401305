/**
 * The shape every output format has inside FileWriter: what starts a file, one record's text (or
 * bytes), what ends a file. Compiled once per run from the input metadata; per-record calls are
 * synchronous and return strings the target batches into large writes.
 */
import type { DataRecord } from '../../engine/metadata/record-type.ts';

export interface RecordFormat {
  /** Written first in a new (or empty) file: the csv header, json's `[`. */
  begin(): string;
  /** One record; `index` is its 0-based position in the file (json puts `,` before all but the first). */
  format(record: DataRecord, index: number): string | Uint8Array;
  /** Written last: json's `]`. */
  end(records: number): string;
}

/** Line endings a writer accepts, by their config names. */
export function lineEndingOf(name: string | undefined): '\n' | '\r\n' {
  return name === 'crlf' || name === '\r\n' ? '\r\n' : '\n';
}
