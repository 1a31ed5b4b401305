/**
 * A streaming RFC 4180 CSV parser over byte chunks.
 *
 * Grammar (RFC 4180, made total so that every input parses):
 *
 *   row        = field *(delimiter field) (CRLF / LF / CR / end of input)
 *   field      = quoted / unquoted
 *   quoted     = quote *(any byte but quote / quote quote) quote
 *   unquoted   = *(any byte but delimiter, CR, LF)
 *
 * - CRLF, LF and a lone CR all end a row (outside quotes). Inside quotes they are field text and
 *   are kept exactly (a CRLF stays a CRLF).
 * - A final line break does not start another row; an empty line is a row of one empty field.
 * - An empty unquoted field is `null`; an empty quoted field (`""`) is `''` (SPEC §7).
 * - Input is UTF-8; bytes that are not valid UTF-8 become U+FFFD.
 * - Malformed input never throws: the row is delivered with best-effort values and a
 *   {@link CsvProblem} (see `csv-problem.ts`), so the reader applies its data policy.
 *
 * How it is fast: one pass over the bytes finds the row's end and records where each field ends,
 * whether it is quoted and whether it holds non-ASCII bytes (one table lookup per byte outside
 * quotes). The row is then decoded with a single `latin1Slice` (one character per byte, so the
 * recorded positions index the string) and each ASCII field is a `slice` of it; a non-ASCII field
 * is decoded from its bytes as UTF-8. Rows with many non-ASCII fields, and possibly malformed
 * rows, are decoded as UTF-8 whole and split by a quote-aware splitter on the string instead.
 * Field strings are slices of their row's string, never of a whole chunk, so a kept field pins at
 * most its row in memory. A row cut by a chunk boundary is re-parsed once the next chunks arrive;
 * the retry waits until the kept bytes have doubled, so a huge multi-line field costs linear, not
 * quadratic, time.
 *
 *   chunk 1                    chunk 2
 *   [row][row][row][ro]        [w][row][row][r]
 *                   └─ kept ──┘ concatenated, parsed from the row start
 */
import { resolveCsvDialect, type CsvDialectOptions } from './csv-dialect.ts';
import { describeCsvProblem, type CsvProblem, type CsvProblemKind } from './csv-problem.ts';

/** Options of a {@link CsvParser}. */
export interface CsvParserOptions extends CsvDialectOptions {
  /**
   * Drop a UTF-8 byte order mark (EF BB BF) at the start of the input.
   * @default true
   */
  readonly stripBom?: boolean;
  /**
   * Deliver no row for an empty line (nothing between two line breaks). Skipped lines still
   * count in `rowNumber`, so numbers keep matching the input.
   * @default false
   */
  readonly skipEmptyLines?: boolean;
}

/**
 * What the parser knows about the row it delivers, besides its fields. The object is reused for
 * every row: read it inside the handler, do not keep it.
 */
export interface CsvRow {
  /** 1-based number of the row in the input (the header row, if any, is row 1). A quoted field spanning lines does not start a new row. */
  readonly rowNumber: number;
  /** Byte offset in the input of the row's first byte (a stripped BOM counts). */
  readonly offset: number;
  /** The first malformed spot in the row, or `null` when the row is well formed. */
  readonly problem: CsvProblem | null;
  /**
   * The row exactly as written in the input, without its line break (for an error port's
   * `originalData`). Free for ASCII and malformed rows, one decode otherwise; call it only inside
   * the handler.
   */
  originalText(): string;
}

/**
 * Receives each row: `fields` is a fresh array the handler may keep (`null` for an empty unquoted
 * field). Throwing from the handler stops parsing: the error propagates out of `push`/`end`, and
 * the parser must not be used again.
 */
export type CsvRowHandler = (fields: (string | null)[], row: CsvRow) => void;

const LF = 10;
const CR = 13;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** The native decoders behind `toString('utf8' | 'latin1', …)`, without its argument checks. */
interface DecodableBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

// Byte classes for the scan outside quotes: one table load tells the common byte apart.
const PLAIN_BYTE = 0;
const SPECIAL_BYTE = 1; // LF, CR, the quote, the delimiter's first byte
const NON_ASCII_BYTE = 2;

function classifyBytes(delimiterFirstByte: number, quoteByte: number): Uint8Array {
  const byteClass = new Uint8Array(256);
  for (let byte = 0x80; byte < 256; byte++) byteClass[byte] = NON_ASCII_BYTE;
  // A special byte is only SPECIAL_BYTE: a non-ASCII delimiter's first byte counts as field text
  // (NON_ASCII_BYTE) only where the delimiter turns out not to match.
  for (const byte of [LF, CR, delimiterFirstByte, quoteByte]) if (byte >= 0) byteClass[byte] = SPECIAL_BYTE;
  return byteClass;
}

// Field kinds recorded by the scan (bit flags).
const FIELD_QUOTED = 1;
/** Quoted, with doubled quotes inside to undouble. */
const FIELD_ESCAPED = 2;
/** Holds a byte >= 0x80: decode it as UTF-8 from its bytes. */
const FIELD_NON_ASCII = 4;

/**
 * A row with more non-ASCII fields than this is decoded as UTF-8 whole and split as a string.
 * NOTE: measured on the csv-codec-bench.ts mixed file (≤ 2 non-ASCII fields per row: per-field
 * decoding ~10% faster than whole-row) and on a file of 8 columns, 7 of them Czech text
 * (whole-row ~25% faster than per-field).
 */
const MAX_FIELD_DECODES = 2;

/** The row object handed to handlers; one per parser, refilled for each row. */
class ParsedRow implements CsvRow {
  rowNumber = 0;
  offset = 0;
  problem: CsvProblem | null = null;
  #buffer: DecodableBuffer | null = null;
  #start = 0;
  #end = 0;
  /** The row's text when already decoded as UTF-8 (or ASCII); null until asked for otherwise. */
  #text: string | null = null;

  fill(rowNumber: number, offset: number, buffer: DecodableBuffer, start: number, end: number, text: string | null): void {
    this.rowNumber = rowNumber;
    this.offset = offset;
    this.problem = null;
    this.#buffer = buffer;
    this.#start = start;
    this.#end = end;
    this.#text = text;
  }

  originalText(): string {
    return (this.#text ??= this.#buffer!.utf8Slice(this.#start, this.#end));
  }
}

/**
 * Parses CSV pushed as byte chunks split anywhere (inside a field, a UTF-8 character, a CRLF or a
 * multi-character delimiter) and calls the handler once per row, synchronously, in input order.
 *
 * @example
 * const parser = new CsvParser((fields, row) => {
 *   if (row.problem) throw malformedRowError(row.problem, { file });
 *   records.push(fields);
 * });
 * for await (const chunk of fs.createReadStream(file)) parser.push(chunk);
 * parser.end();
 */
export class CsvParser {
  readonly #onRow: CsvRowHandler;
  readonly #delimiter: string;
  readonly #delimiterBytes: Uint8Array;
  readonly #delimiterFirstByte: number;
  readonly #asciiDelimiter: boolean;
  readonly #quote: string;
  readonly #doubledQuote: string;
  /** -1 when quoting is off: no byte equals it. */
  readonly #quoteByte: number;
  readonly #skipEmptyLines: boolean;
  /** PLAIN_BYTE, SPECIAL_BYTE or NON_ASCII_BYTE for each byte value. */
  readonly #byteClass: Uint8Array;
  readonly #row = new ParsedRow();

  /** True until the first bytes were checked for a BOM (false at once when not stripping). */
  #atInputStart: boolean;
  #ended = false;
  #rowCount = 0;
  /** Byte offset in the input of the first byte of the buffer being parsed. */
  #bufferOffset = 0;

  // Bytes of an incomplete row (and chunks after it), kept until the retry threshold.
  // Invariant: #pending is null, or it is non-empty and #pendingLength is the sum of its lengths.
  #pending: Buffer[] | null = null;
  #pendingLength = 0;
  /** Re-parse the pending bytes once they reach this length (twice the last failed attempt). */
  #retryLength = 0;

  // Where the fields of the row being parsed end (byte index of the delimiter or line break) and
  // their FIELD_* kinds; entries [0, field count) are valid. Grown, never shrunk.
  #fieldEnds: Int32Array = new Int32Array(64);
  #fieldKinds: Uint8Array = new Uint8Array(64);

  /** @throws TrefoilError `TREFOIL_ERR_CSV_OPTIONS` for an invalid delimiter or quote. */
  constructor(onRow: CsvRowHandler, options: CsvParserOptions = {}) {
    const dialect = resolveCsvDialect(options);
    this.#onRow = onRow;
    this.#delimiter = dialect.delimiter;
    this.#delimiterBytes = dialect.delimiterBytes;
    this.#delimiterFirstByte = dialect.delimiterBytes[0]!;
    this.#asciiDelimiter = dialect.delimiterBytes.every((byte) => byte < 0x80);
    this.#quote = dialect.quote ?? '';
    this.#doubledQuote = this.#quote + this.#quote;
    this.#quoteByte = dialect.quoteByte;
    this.#skipEmptyLines = options.skipEmptyLines ?? false;
    this.#byteClass = classifyBytes(this.#delimiterFirstByte, this.#quoteByte);
    this.#atInputStart = options.stripBom ?? true;
  }

  /** Rows delivered so far, plus empty lines skipped. */
  get rowCount(): number {
    return this.#rowCount;
  }

  /**
   * Parses the next bytes of the input; complete rows are delivered before it returns. The parser
   * may keep a reference to `chunk` until later rows complete: do not reuse its memory.
   */
  push(chunk: Uint8Array): void {
    if (this.#ended) throw new Error('CsvParser.push() after end()');
    if (chunk.length === 0) return;
    let buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pending !== null) {
      this.#pending.push(buffer);
      this.#pendingLength += buffer.length;
      if (this.#pendingLength < this.#retryLength) return;
      buffer = Buffer.concat(this.#pending, this.#pendingLength);
      this.#pending = null;
    }
    this.#consume(buffer, false);
  }

  /** Marks the end of the input and delivers the last row (which needs no line break). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    this.#consume(pending.length === 1 ? pending[0]! : Buffer.concat(pending, this.#pendingLength), true);
  }

  #consume(buffer: Buffer, atEnd: boolean): void {
    let start = 0;
    if (this.#atInputStart) {
      if (buffer.length < BOM.length && !atEnd && isBomPrefix(buffer)) {
        this.#keep(buffer);
        return;
      }
      if (buffer[0] === BOM[0] && buffer[1] === BOM[1] && buffer[2] === BOM[2]) start = BOM.length;
      this.#atInputStart = false;
    }
    const consumed = this.#parseRows(buffer as DecodableBuffer, start, atEnd);
    if (consumed < buffer.length) this.#keep(buffer.subarray(consumed));
    this.#bufferOffset += consumed;
  }

  #keep(rest: Buffer): void {
    this.#pending = [rest];
    this.#pendingLength = rest.length;
    this.#retryLength = rest.length * 2;
  }

  /**
   * Delivers every complete row of `buffer` from `start`; returns where the first incomplete row
   * starts (`buffer.length` when none is).
   *
   * NOTE: the scan below and #splitDecodedRow implement the same grammar (the module comment) and
   * must agree on where quoted fields start and end. The differential test in
   * test/components/csv/csv-parser-reference.test.ts checks both against a one-character-at-a-time
   * reference parser, at random chunk splits. The scan is inlined here, not a method, so that the
   * per-row cost stays a few local variables (test/bench/csv-codec-bench.ts).
   */
  #parseRows(buffer: DecodableBuffer, start: number, atEnd: boolean): number {
    const length = buffer.length;
    const byteClass = this.#byteClass;
    const quote = this.#quoteByte;
    const delimiterFirstByte = this.#delimiterFirstByte;
    const delimiterLength = this.#delimiterBytes.length;
    const skipEmptyLines = this.#skipEmptyLines;
    const row = this.#row;
    let fieldEnds = this.#fieldEnds;
    let fieldKinds = this.#fieldKinds;
    let position = start;

    rows: while (position < length) {
      /** Possibly malformed: the string splitter decides and reports. */
      let suspect = false;
      let nonAsciiFields = 0;
      let fieldCount = 0;
      let rowEnd = length;
      let terminatorLength = 0;
      let i = position;

      fields: for (;;) {
        if (fieldCount === fieldEnds.length) {
          fieldEnds = this.#growFieldEnds();
          fieldKinds = this.#fieldKinds;
        }
        let kind = 0;
        if (i < length && buffer[i] === quote) {
          kind = FIELD_QUOTED;
          let j = i + 1;
          for (;;) {
            if (j >= length) {
              // Not closed in the bytes so far: decide with more, or at the end of the input
              // the field runs to it.
              if (!atEnd) break rows;
              suspect = true;
              fieldEnds[fieldCount] = length;
              fieldKinds[fieldCount++] = kind;
              break fields;
            }
            const byte = buffer[j]!;
            if (byte === quote) {
              if (j + 1 >= length) {
                if (!atEnd) break rows; // a doubled quote may follow in the next chunk
                nonAsciiFields += kind >> 2;
                fieldEnds[fieldCount] = length;
                fieldKinds[fieldCount++] = kind;
                break fields;
              }
              if (buffer[j + 1] !== quote) {
                i = j + 1;
                break;
              }
              kind |= FIELD_ESCAPED;
              j += 2;
              continue;
            }
            if (byte >= 0x80) kind |= FIELD_NON_ASCII;
            j++;
          }
          // Anything but a line break or the delimiter here is text after the closing quote.
          const next = buffer[i]!;
          if (next !== LF && next !== CR && (next !== delimiterFirstByte || (delimiterLength > 1 && this.#matchDelimiter(buffer, i) !== 1))) {
            suspect = true;
          }
        }
        // Unquoted text (or the text after a closing quote) up to a delimiter or a line break.
        while (i < length) {
          const byte = buffer[i]!;
          const byteKind = byteClass[byte]!;
          if (byteKind === PLAIN_BYTE) {
            i++;
            continue;
          }
          if (byteKind === NON_ASCII_BYTE) {
            kind |= FIELD_NON_ASCII;
          } else {
            if (byte === LF) {
              rowEnd = i;
              terminatorLength = 1;
              break;
            }
            if (byte === CR) {
              if (i + 1 >= length && !atEnd) break rows; // an LF may follow in the next chunk
              rowEnd = i;
              terminatorLength = buffer[i + 1] === LF ? 2 : 1;
              break;
            }
            if (byte === quote) {
              suspect = true;
            } else {
              // The delimiter's first byte.
              const match = delimiterLength === 1 ? 1 : this.#matchDelimiter(buffer, i);
              if (match === 1) {
                nonAsciiFields += kind >> 2;
                fieldEnds[fieldCount] = i;
                fieldKinds[fieldCount++] = kind;
                i += delimiterLength;
                continue fields;
              }
              if (match < 0 && !atEnd) break rows;
              if (byte >= 0x80) kind |= FIELD_NON_ASCII;
            }
          }
          i++;
        }
        if (i >= length && !atEnd) break rows;
        nonAsciiFields += kind >> 2;
        fieldEnds[fieldCount] = rowEnd;
        fieldKinds[fieldCount++] = kind;
        break;
      }

      const rowNumber = ++this.#rowCount;
      const rowStart = position;
      position = rowEnd + terminatorLength;
      if (rowEnd === rowStart && skipEmptyLines) continue;

      const offset = this.#bufferOffset + rowStart;
      let fields: (string | null)[];
      if (suspect || nonAsciiFields > MAX_FIELD_DECODES) {
        const text = buffer.utf8Slice(rowStart, rowEnd);
        row.fill(rowNumber, offset, buffer, rowStart, rowEnd, text);
        fields = this.#splitDecodedRow(text);
      } else {
        // NOTE: latin1Slice decodes about twice as fast as utf8Slice (861 vs 425 MB/s per row of
        // the csv-codec-bench.ts mixed file) and gives one character per byte, so the recorded
        // byte positions index the string.
        const text = buffer.latin1Slice(rowStart, rowEnd);
        const isAscii = nonAsciiFields === 0 && (this.#asciiDelimiter || fieldCount === 1);
        row.fill(rowNumber, offset, buffer, rowStart, rowEnd, isAscii ? text : null);
        fields = this.#splitAtFieldEnds(buffer, text, rowStart, fieldCount);
      }
      this.#onRow(fields, row);
    }
    return position;
  }

  #growFieldEnds(): Int32Array {
    const ends = new Int32Array(this.#fieldEnds.length * 2);
    ends.set(this.#fieldEnds);
    const kinds = new Uint8Array(ends.length);
    kinds.set(this.#fieldKinds);
    this.#fieldEnds = ends;
    this.#fieldKinds = kinds;
    return ends;
  }

  /** 1 when a multi-byte delimiter starts at `at`, 0 when not, -1 when the buffer ends before it could. */
  #matchDelimiter(buffer: Buffer, at: number): number {
    const delimiter = this.#delimiterBytes;
    for (let k = 1; k < delimiter.length; k++) {
      if (at + k >= buffer.length) return -1;
      if (buffer[at + k] !== delimiter[k]) return 0;
    }
    return 1;
  }

  /**
   * Cuts a well-formed row at the field ends the scan recorded: ASCII fields are slices of
   * `latin1Text` (the row decoded one character per byte), non-ASCII fields are decoded from
   * their bytes.
   */
  #splitAtFieldEnds(buffer: DecodableBuffer, latin1Text: string, rowStart: number, fieldCount: number): (string | null)[] {
    const fieldEnds = this.#fieldEnds;
    const fieldKinds = this.#fieldKinds;
    const step = this.#delimiterBytes.length;
    // NOTE: sized up front and filled by index: ~8% faster than push on the csv-codec-bench.ts
    // mixed file; every slot is written before the array is returned.
    const fields = new Array<string | null>(fieldCount);
    let fieldStart = rowStart;
    for (let k = 0; k < fieldCount; k++) {
      const fieldEnd = fieldEnds[k]!;
      const kind = fieldKinds[k]!;
      if (kind === 0) {
        fields[k] = fieldEnd === fieldStart ? null : latin1Text.slice(fieldStart - rowStart, fieldEnd - rowStart);
      } else {
        // Quoted fields lose their quotes; they are never null.
        const from = kind & FIELD_QUOTED ? fieldStart + 1 : fieldStart;
        const to = kind & FIELD_QUOTED ? fieldEnd - 1 : fieldEnd;
        const value = kind & FIELD_NON_ASCII ? buffer.utf8Slice(from, to) : latin1Text.slice(from - rowStart, to - rowStart);
        fields[k] = kind & FIELD_ESCAPED ? value.replaceAll(this.#doubledQuote, this.#quote) : value;
      }
      fieldStart = fieldEnd + step;
    }
    return fields;
  }

  /**
   * Splits a row decoded as a string, quote-aware, reporting the first malformed spot (for rows
   * the scan found suspect, or with too many non-ASCII fields to decode one by one).
   */
  #splitDecodedRow(text: string): (string | null)[] {
    const delimiter = this.#delimiter;
    const step = delimiter.length;
    const quote = this.#quote;
    const quoteCode = this.#quoteByte;
    const length = text.length;
    const fields: (string | null)[] = [];
    /** Next quote at or after the current unquoted field (`length` when none); -1 before the first search. */
    let nextQuote = -1;
    let i = 0;
    for (;;) {
      if (text.charCodeAt(i) === quoteCode) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf(quote, from);
          if (close < 0) {
            this.#report('unterminated-quote', fields.length, text, i);
            value += text.slice(from);
            i = length;
            break;
          }
          if (text.charCodeAt(close + 1) === quoteCode) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          i = close + 1;
          break;
        }
        if (i < length && !text.startsWith(delimiter, i)) {
          this.#report('text-after-closing-quote', fields.length, text, i);
          let fieldEnd = text.indexOf(delimiter, i);
          if (fieldEnd < 0) fieldEnd = length;
          value += text.slice(i, fieldEnd);
          i = fieldEnd;
        }
        fields.push(value);
      } else {
        let fieldEnd = text.indexOf(delimiter, i);
        if (fieldEnd < 0) fieldEnd = length;
        if (quoteCode >= 0) {
          if (nextQuote < i && nextQuote !== length) {
            nextQuote = text.indexOf(quote, i);
            if (nextQuote < 0) nextQuote = length;
          }
          if (nextQuote < fieldEnd) this.#report('quote-in-unquoted-field', fields.length, text, nextQuote);
        }
        fields.push(fieldEnd === i ? null : text.slice(i, fieldEnd));
        i = fieldEnd;
      }
      if (i >= length) return fields;
      i += step;
      if (i === length) {
        fields.push(null);
        return fields;
      }
    }
  }

  /** Records the row's first problem; `at` is a character index into the row's text. */
  #report(kind: CsvProblemKind, fieldIndex: number, text: string, at: number): void {
    const row = this.#row;
    if (row.problem !== null) return;
    const offset = row.offset + Buffer.byteLength(text.slice(0, at), 'utf8');
    row.problem = describeCsvProblem(kind, row.rowNumber, fieldIndex, offset);
  }
}

function isBomPrefix(buffer: Buffer): boolean {
  for (let k = 0; k < buffer.length; k++) if (buffer[k] !== BOM[k]) return false;
  return true;
}
