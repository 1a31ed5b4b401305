/**
 * Formats rows of already-textual values as CSV text (RFC 4180). It only builds strings; the
 * caller (FileWriter) writes them, ideally a batch of rows per write via {@link CsvWriter.formatRows}.
 *
 * Quoting rules, chosen so that `CsvParser` reads back exactly what was written:
 * - `null` is an empty, unquoted field (the parser reads it as `null`), even with `quoteAll`.
 * - `''` is written as `""` (the parser reads it as `''`).
 * - A value is quoted when it holds the delimiter, the quote character, CR or LF, or ends with the
 *   start of a multi-character delimiter; quotes inside are doubled. Leading and trailing spaces do not cause quoting: RFC 4180 says spaces are part
 *   of a field, and the parser keeps them.
 * - With `quoteAll`, every non-null value is quoted.
 */
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { resolveCsvDialect, type CsvDialectOptions } from './csv-dialect.ts';

/** Options of a {@link CsvWriter}. */
export interface CsvWriterOptions extends CsvDialectOptions {
  /**
   * Quote every non-null value, not only those that need it.
   * @default false
   */
  readonly quoteAll?: boolean;
  /**
   * What ends each row, the last one included.
   * @default '\n'
   */
  readonly lineEnding?: '\n' | '\r\n';
}

/**
 * Turns rows of `string | null` values into CSV lines. Configuration is compiled once, in the
 * constructor; formatting is synchronous and allocates only the output strings.
 *
 * @example
 * const csv = new CsvWriter({ delimiter: ';' });
 * out.write(csv.formatHeader(['id', 'note']) + csv.formatRows([['1', null], ['2', 'a;b']]));
 * // id;note\n1;\n2;"a;b"\n
 */
export class CsvWriter {
  readonly #delimiter: string;
  readonly #quote: string | null;
  readonly #doubledQuote: string;
  readonly #quoteAll: boolean;
  readonly #lineEnding: string;
  /** Matches a value that must be quoted (or, with quoting off, cannot be written). */
  readonly #needsQuoting: RegExp;

  /** @throws TrefoilError `TREFOIL_ERR_CSV_OPTIONS` for an invalid delimiter or quote. */
  constructor(options: CsvWriterOptions = {}) {
    const dialect = resolveCsvDialect(options);
    this.#delimiter = dialect.delimiter;
    this.#quote = dialect.quote;
    this.#doubledQuote = (dialect.quote ?? '') + (dialect.quote ?? '');
    this.#quoteAll = options.quoteAll ?? false;
    this.#lineEnding = options.lineEnding ?? '\n';
    const special = [dialect.delimiter, '\r', '\n'];
    if (dialect.quote !== null) special.push(dialect.quote);
    const alternatives = special.map(escapeRegExp);
    // NOTE: the parser takes the leftmost delimiter, so with `||` the value `a|` followed by the
    // delimiter would read `a|||` as `a` + `|…`. A value ending in a proper prefix of a
    // multi-character delimiter is therefore quoted too (harmless where it was not needed).
    for (let k = 1; k < dialect.delimiter.length; k++) alternatives.push(`${escapeRegExp(dialect.delimiter.slice(0, k))}$`);
    this.#needsQuoting = new RegExp(alternatives.join('|'));
  }

  /**
   * One field as it appears between delimiters.
   * @throws TrefoilError `TREFOIL_ERR_CSV_UNQUOTABLE_VALUE` when quoting is off and the value holds
   * the delimiter, CR or LF. (With quoting off, `''` is written empty and reads back as `null`.)
   */
  formatField(value: string | null): string {
    if (value === null) return '';
    const quote = this.#quote;
    if (quote === null) {
      if (this.#needsQuoting.test(value)) throw unquotableValue(value, this.#delimiter);
      return value;
    }
    if (this.#quoteAll || value.length === 0 || this.#needsQuoting.test(value)) {
      const escaped = value.includes(quote) ? value.replaceAll(quote, this.#doubledQuote) : value;
      return quote + escaped + quote;
    }
    return value;
  }

  /** One row, line ending included. (An empty row is an empty line, which reads back as one null field.) */
  formatRow(values: readonly (string | null)[]): string {
    const delimiter = this.#delimiter;
    let line = values.length > 0 ? this.formatField(values[0]!) : '';
    for (let k = 1; k < values.length; k++) line += delimiter + this.formatField(values[k]!);
    return line + this.#lineEnding;
  }

  /** The header row: the column names, quoted by the same rules as values. */
  formatHeader(names: readonly string[]): string {
    return this.formatRow(names);
  }

  /**
   * Many rows as one string, for one write per batch.
   * NOTE: `+=` builds a rope that V8 flattens once when the string is written out; measured
   * faster than `Array#join` for batches of records (test/bench/csv-codec-bench.ts).
   */
  formatRows(rows: Iterable<readonly (string | null)[]>): string {
    let text = '';
    for (const values of rows) text += this.formatRow(values);
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unquotableValue(value: string, delimiter: string): TrefoilError {
  const preview = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new TrefoilError(
    'TREFOIL_ERR_CSV_UNQUOTABLE_VALUE',
    `CSV value ${JSON.stringify(preview)} contains the delimiter ${JSON.stringify(delimiter)} or a line break, and quoting is off`,
  );
}
