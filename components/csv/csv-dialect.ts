/**
 * The CSV dialect shared by the parser and the writer: which text separates fields and which
 * character quotes them. Resolved and validated once, when a parser or writer is created.
 */
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';

/** The dialect options a user writes in a graph (FileReader / FileWriter csv options). */
export interface CsvDialectOptions {
  /**
   * Text between two fields: one or more characters, none of them CR, LF or the quote character.
   * The two-character text `\t` (backslash, t) means a tab, as in CloverDX.
   * @default ','
   */
  readonly delimiter?: string;
  /**
   * The quote character: exactly one ASCII character other than CR and LF. `null` or `''` turns
   * quoting off: every character, the quote included, is then plain field text.
   * @default '"'
   */
  readonly quote?: string | null;
}

/** A validated dialect, with the byte forms the parser scans for. */
export interface CsvDialect {
  readonly delimiter: string;
  /** The delimiter encoded as UTF-8. */
  readonly delimiterBytes: Uint8Array;
  /** The quote character, or null when quoting is off. */
  readonly quote: string | null;
  /** The quote character's byte, or -1 when quoting is off (so `byte === quoteByte` never matches). */
  readonly quoteByte: number;
}

const CR = 13;
const LF = 10;

/**
 * Validates dialect options and fills in the defaults.
 * @throws TrefoilError `TREFOIL_ERR_CSV_OPTIONS` for an empty delimiter, a delimiter with CR, LF or
 * the quote in it, or a quote that is not a single ASCII character.
 */
export function resolveCsvDialect(options: CsvDialectOptions = {}): CsvDialect {
  // NOTE: CloverDX writes a tab delimiter as `\t`; YAML plain scalars keep the backslash, so the
  // two-character form is accepted here rather than in every component that has a delimiter.
  const delimiter = options.delimiter === '\\t' ? '\t' : (options.delimiter ?? ',');
  const quote = options.quote === undefined ? '"' : options.quote === '' ? null : options.quote;

  if (quote !== null) {
    const code = quote.charCodeAt(0);
    if (quote.length !== 1 || code >= 0x80 || code === CR || code === LF) {
      throw optionsError(`CSV quote must be one ASCII character other than CR and LF, or none; got ${JSON.stringify(quote)}`);
    }
  }
  if (delimiter.length === 0) {
    throw optionsError('CSV delimiter must not be empty');
  }
  if (delimiter.includes('\r') || delimiter.includes('\n')) {
    throw optionsError(`CSV delimiter must not contain CR or LF; got ${JSON.stringify(delimiter)}`);
  }
  if (quote !== null && delimiter.includes(quote)) {
    throw optionsError(`CSV delimiter ${JSON.stringify(delimiter)} must not contain the quote character ${JSON.stringify(quote)}`);
  }
  return Object.freeze({
    delimiter,
    delimiterBytes: Buffer.from(delimiter, 'utf8'),
    quote,
    quoteByte: quote === null ? -1 : quote.charCodeAt(0),
  });
}

function optionsError(message: string): TrefoilError {
  return new TrefoilError('TREFOIL_ERR_CSV_OPTIONS', message);
}
