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
 * - Malformed input never throws: the row is delivered with best-effort values and a
 *   {@link CsvProblem} (see `csv-problem.ts`), so the reader applies its data policy.
 *
 * How it is fast: one pass over the bytes finds the row's end and records where each field
 * ends and whether it is quoted (a table lookup per byte; quoted text is skipped with
 * `Buffer#indexOf`). The complete row is then decoded to one string with a single native call and
 * the fields are cut out of it with `slice` at the recorded positions — valid whenever the row has
 * one character per byte (ASCII, the common case). Rows with other text, and malformed rows, are
 * split again on the decoded string by a quote-aware splitter. Field strings are slices of their
 * row's string, never of a whole chunk, so a kept field pins at most its row in memory. A row cut
 * by a chunk boundary is re-parsed once the next chunks arrive; the retry waits until the kept
 * bytes have doubled, so a huge multi-line field costs linear, not quadratic, time.
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
  /** The row exactly as written in the input, without its line break (for an error port's `originalData`). */
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

// Byte classes for the row scan: one table load tells the common byte apart.
const PLAIN_BYTE = 0;
const SPECIAL_BYTE = 1; // LF, CR, the quote, the delimiter's first byte
const NON_ASCII_BYTE = 2;

function classifyBytes(delimiterFirstByte: number, quoteByte: number): Uint8Array {
  const byteClass = new Uint8Array(256);
  for (let byte = 0x80; byte < 256; byte++) byteClass[byte] = NON_ASCII_BYTE;
  for (const byte of [LF, CR, delimiterFirstByte, quoteByte]) if (byte >= 0) byteClass[byte]! |= SPECIAL_BYTE;
  return byteClass;
}

// Field kinds recorded by the scan.
const FIELD_PLAIN = 0;
const FIELD_QUOTED = 1;
/** Quoted, with doubled quotes inside to undouble. */
const FIELD_ESCAPED = 2;

// What the scan learnt about a row (bit flags), choosing its decoder and splitter.
/** A byte >= 0x80 outside quotes: the text may not have one character per byte. */
const ROW_NON_ASCII = 1;
/** A quoted field: its content was skipped unchecked, so compare the decoded length. */
const ROW_QUOTED = 2;
/** Possibly malformed: let the quote-aware splitter decide and report. */
const ROW_SUSPECT = 4;

/** The row object handed to handlers; one per parser, refilled for each row. */
class ParsedRow implements CsvRow {
  rowNumber = 0;
  offset = 0;
  problem: CsvProblem | null = null;
  /** The decoded row; decoding happens anyway to split the fields, so the original text is free. */
  text = '';

  originalText(): string {
    return this.text;
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
  readonly #quote: string;
  readonly #doubledQuote: string;
  /** -1 when quoting is off: no byte equals it. */
  readonly #quoteByte: number;
  readonly #skipEmptyLines: boolean;
  /** PLAIN_BYTE, or SPECIAL_BYTE and/or NON_ASCII_BYTE, for each byte value. */
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
   * NOTE: the scan below and #splitQuotedRow implement the same grammar (the module comment) and
   * must agree on where quoted fields start and end. The differential test in
   * test/components/csv/csv-parser-reference.test.ts checks both against a one-character-at-a-time
   * reference parser, at every chunk split. The scan is inlined here, not a method, so the
   * per-row cost stays a few local variables (test/components/csv/csv-codec-bench.ts).
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
      let flags = 0;
      let fieldCount = 0;
      let rowEnd = length;
      let terminatorLength = 0;
      let i = position;

      fields: for (;;) {
        if (fieldCount === fieldEnds.length) {
          fieldEnds = this.#growFieldEnds();
          fieldKinds = this.#fieldKinds;
        }
        let kind = FIELD_PLAIN;
        if (i < length && buffer[i] === quote) {
          kind = FIELD_QUOTED;
          flags |= ROW_QUOTED;
          let searchFrom = i + 1;
          for (;;) {
            const close = buffer.indexOf(quote, searchFrom);
            if (close < 0 || close + 1 >= length) {
              // Unclosed so far, or closed on the last byte (a doubled quote may follow): decide
              // with more bytes, or at the end of the input end the row there.
              if (!atEnd) break rows;
              if (close < 0) flags |= ROW_SUSPECT;
              fieldEnds[fieldCount] = length;
              fieldKinds[fieldCount++] = kind;
              break fields;
            }
            if (buffer[close + 1] !== quote) {
              i = close + 1;
              break;
            }
            kind = FIELD_ESCAPED;
            searchFrom = close + 2;
          }
          // Anything but a line break or the delimiter here is text after the closing quote.
          const next = buffer[i]!;
          if (next !== LF && next !== CR && (next !== delimiterFirstByte || (delimiterLength > 1 && this.#matchDelimiter(buffer, i) !== 1))) {
            flags |= ROW_SUSPECT;
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
          if (byteKind & NON_ASCII_BYTE) flags |= ROW_NON_ASCII;
          if (byteKind & SPECIAL_BYTE) {
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
              flags |= ROW_SUSPECT;
            } else {
              // The delimiter's first byte.
              const match = delimiterLength === 1 ? 1 : this.#matchDelimiter(buffer, i);
              if (match === 1) {
                fieldEnds[fieldCount] = i;
                fieldKinds[fieldCount++] = kind;
                i += delimiterLength;
                continue fields;
              }
              if (match < 0 && !atEnd) break rows;
            }
          }
          i++;
        }
        if (i >= length && !atEnd) break rows;
        fieldEnds[fieldCount] = rowEnd;
        fieldKinds[fieldCount++] = kind;
        break;
      }

      const rowNumber = ++this.#rowCount;
      const rowStart = position;
      position = rowEnd + terminatorLength;
      if (rowEnd === rowStart && skipEmptyLines) continue;

      // NOTE: latin1Slice is ~1.6x faster than utf8Slice and decodes ASCII the same
      // (test/components/csv/csv-codec-bench.ts); most rows of most files are ASCII.
      const byteLength = rowEnd - rowStart;
      const text = flags === 0 ? buffer.latin1Slice(rowStart, rowEnd) : buffer.utf8Slice(rowStart, rowEnd);
      row.rowNumber = rowNumber;
      row.offset = this.#bufferOffset + rowStart;
      row.text = text;
      row.problem = null;
      let fields: (string | null)[];
      if ((flags & ROW_SUSPECT) === 0 && text.length === byteLength) {
        fields = this.#splitAtFieldEnds(text, rowStart, fieldCount);
      } else if ((flags & (ROW_QUOTED | ROW_SUSPECT)) === 0) {
        fields = this.#splitPlainRow(text);
      } else {
        fields = this.#splitQuotedRow(text);
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

  /**
   * Cuts a well-formed row whose text has one character per byte at the field ends the scan
   * recorded, without searching the text again.
   */
  #splitAtFieldEnds(text: string, rowStart: number, fieldCount: number): (string | null)[] {
    const fieldEnds = this.#fieldEnds;
    const fieldKinds = this.#fieldKinds;
    const step = this.#delimiterBytes.length;
    const fields: (string | null)[] = [];
    let fieldStart = 0;
    for (let k = 0; k < fieldCount; k++) {
      const fieldEnd = fieldEnds[k]! - rowStart;
      const kind = fieldKinds[k]!;
      if (kind === FIELD_PLAIN) {
        fields.push(fieldEnd === fieldStart ? null : text.slice(fieldStart, fieldEnd));
      } else if (kind === FIELD_QUOTED) {
        fields.push(text.slice(fieldStart + 1, fieldEnd - 1));
      } else {
        fields.push(text.slice(fieldStart + 1, fieldEnd - 1).replaceAll(this.#doubledQuote, this.#quote));
      }
      fieldStart = fieldEnd + step;
    }
    return fields;
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


  /** Splits a row that holds no quote byte: fields are the text between delimiters. */
  #splitPlainRow(text: string): (string | null)[] {
    const delimiter = this.#delimiter;
    const step = delimiter.length;
    const fields: (string | null)[] = [];
    let fieldStart = 0;
    for (;;) {
      const next = text.indexOf(delimiter, fieldStart);
      if (next < 0) break;
      fields.push(next === fieldStart ? null : text.slice(fieldStart, next));
      fieldStart = next + step;
    }
    fields.push(fieldStart === text.length ? null : text.slice(fieldStart));
    return fields;
  }

  /** Splits a row that holds a quote character somewhere, reporting the first malformed spot. */
  #splitQuotedRow(text: string): (string | null)[] {
    const delimiter = this.#delimiter;
    const step = delimiter.length;
    const quote = this.#quote;
    const quoteCode = this.#quoteByte;
    const length = text.length;
    const fields: (string | null)[] = [];
    /** Next quote at or after the current unquoted field; -1 once known to be past it. */
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
        if (nextQuote < i && nextQuote !== length) {
          nextQuote = text.indexOf(quote, i);
          if (nextQuote < 0) nextQuote = length;
        }
        if (nextQuote < fieldEnd) this.#report('quote-in-unquoted-field', fields.length, text, nextQuote);
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
