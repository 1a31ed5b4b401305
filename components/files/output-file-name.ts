/**
 * FileWriter's file names (CloverDX conventions): in the `file` attribute, `#` stands for the
 * partition key's value (with `partitionKey`) and a run of `$` for the 0-based file number (with
 * `recordsPerFile`), zero-padded to the run's length: `$` → 0, 1, …; `$$` → 00, 01, …
 * Without those options both characters are literal.
 *
 * NOTE: key values come from data, so they are made safe as one path segment: `/`, `\` and NUL
 * become `_`, and a value of `.` or `..` gets a leading `_` — a record cannot steer a write
 * outside the directory the graph names. A null key value is written as `null`.
 */
import { valueToText } from '../../engine/metadata/value-text.ts';

/** True when the name has a `#` placeholder. */
export function hasPartitionPlaceholder(name: string): boolean {
  return name.includes('#');
}

/** True when the name has a `$` placeholder. */
export function hasNumberPlaceholder(name: string): boolean {
  return name.includes('$');
}

/** The key text of one record: its key fields' values joined by `_`, made safe for a file name. */
export function partitionKeyText(values: readonly unknown[]): string {
  let text = '';
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (k > 0) text += '_';
    text += value === null || value === undefined ? 'null' : valueToText(value);
  }
  text = text.replace(/[/\\\0]/g, '_');
  return text === '.' || text === '..' ? `_${text}` : text;
}

/** Replaces `#` with the key text. */
export function withPartition(name: string, key: string): string {
  return name.replaceAll('#', key);
}

/** Replaces each run of `$` with `fileNumber`, zero-padded to the run's length. */
export function withFileNumber(name: string, fileNumber: number): string {
  return name.replace(/\$+/g, (run) => String(fileNumber).padStart(run.length, '0'));
}
