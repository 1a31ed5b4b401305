/**
 * A push parser for JSON (RFC 8259) over byte chunks: feed `write(chunk)` as bytes arrive, then
 * `end()`; events go to a `JsonEventHandler` as soon as each token is complete.
 *
 * What it accepts is exactly RFC 8259's grammar over UTF-8, with one permitted leniency:
 *
 * - The input must be UTF-8: invalid sequences, overlong forms, UTF-8-encoded surrogates
 *   (`ED A0 80`) and code points above U+10FFFF are `TREFOIL_ERR_JSON_ENCODING` errors, wherever
 *   they appear (outside strings any non-ASCII byte is a syntax error anyway). UTF-16 and UTF-32
 *   input (a FE/FF byte order mark, or NUL bytes between tokens) is an encoding error too.
 * - NOTE: a single leading UTF-8 byte order mark (EF BB BF) is skipped. RFC 8259 §8.1 lets a
 *   parser ignore it ("MAY"), JSONTestSuite rates it implementation-defined
 *   (`i_structure_UTF-8_BOM_empty_object`), and files written on Windows often carry one. A BOM
 *   with no document after it is still an error (empty document).
 * - Escaped lone surrogates (`"\uD800"`) are kept as lone UTF-16 code units, as `JSON.parse`
 *   does (the grammar allows them; RFC 8259 §8.2 leaves their meaning open).
 * - Numbers follow `json-number.ts` (bigint beyond ±(2^53−1), `ExactNumber` when a double would
 *   change the literal), so `1e400` and 100-digit integers are accepted without loss.
 * - Nesting depth is unlimited: containers are tracked in a byte stack, never by recursion.
 * - Objects may repeat a member name (RFC 8259 says names SHOULD be unique); every occurrence
 *   is reported. Materializing keeps the last one, as `JSON.parse` does.
 *
 * Every problem is a `TrefoilError` (`TREFOIL_ERR_JSON_SYNTAX`, `…_ENCODING`, `…_TRUNCATED`)
 * whose message names the source and the 0-based byte offset of the offending byte, also
 * available as `error.location.offset` (and `error.location.file` = the source name). After an
 * error the parser throws the same error again on every call; it never hangs on any input.
 *
 * Performance: bytes are scanned in tight loops over the chunk; strings are decoded with one
 * native slice per run of unescaped bytes (no per-character concatenation); numbers with up to
 * 15 significant digits and a small exponent are computed while scanning (exact: one correctly
 * rounded IEEE operation); values a handler skips are validated but never decoded.
 */
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { ErrorCode } from '../../engine/errors/registry.ts';
import type { JsonEventHandler } from './json-event-handler.ts';
import { EXACT_DOUBLE_DIGITS, jsonNumberFromText } from './json-number.ts';
import type { JsonNumber } from './json-value.ts';

/** Options for a parser. */
export interface StreamingJsonParserOptions {
  /**
   * The name of the source, used in error messages and `error.location.file` (a file name, a
   * URL, `record 12 field body`).
   * @default 'JSON document'
   */
  readonly source?: string;
}

// Parser states. Structural states expect a token after optional whitespace.
const S_START = 0; // before anything: a BOM or the top-level value
const S_BOM = 1; // inside a leading BOM (#literalIndex bytes matched)
const S_VALUE = 2; // a value must follow (top level, after ':' or after ',' in an array)
const S_ARRAY_FIRST = 3; // after '[': a value or ']'
const S_OBJECT_FIRST = 4; // after '{': a member name or '}'
const S_MEMBER_NAME = 5; // after ',' in an object: a member name
const S_COLON = 6; // after a member name: ':'
const S_AFTER_VALUE = 7; // after a value in a container: ',' or the container's closing bracket
const S_DONE = 8; // after the top-level value: whitespace only
const S_STRING = 9; // inside a string (#stringIsName says which kind)
const S_STRING_ESCAPE = 10; // after a backslash
const S_STRING_UNICODE = 11; // inside \uXXXX (#hexCount digits read)
const S_STRING_UTF8 = 12; // inside a multi-byte UTF-8 sequence (#utf8Need bytes missing)
const S_NUMBER = 13; // inside a number (#numberPhase)
const S_LITERAL = 14; // inside true / false / null (#literal, #literalIndex)
const S_FAILED = 15;

// Number phases (where we are inside a number literal).
const N_SIGN = 0; // after '-'
const N_ZERO = 1; // after a leading '0'
const N_INT = 2; // in integer digits
const N_FRAC_FIRST = 3; // after '.'
const N_FRAC = 4; // in fraction digits
const N_EXP_FIRST = 5; // after 'e' / 'E'
const N_EXP_SIGN = 6; // after the exponent's sign
const N_EXP = 7; // in exponent digits

const CONTAINER_OBJECT = 1;
const CONTAINER_ARRAY = 2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes that end the fast scan of a string: '"', '\', control characters, non-ASCII. */
const STRING_STOP = new Uint8Array(256);
for (let b = 0; b < 256; b++) STRING_STOP[b] = b === QUOTE || b === BACKSLASH || b < 0x20 || b >= 0x80 ? 1 : 0;

const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[0x30 + d] = d;
for (let d = 0; d < 6; d++) {
  HEX_VALUE[0x41 + d] = 10 + d;
  HEX_VALUE[0x61 + d] = 10 + d;
}

/** The character a single-character escape stands for, by the byte after the backslash. */
const SIMPLE_ESCAPE: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

const LITERAL_TRUE = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const LITERAL_FALSE = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const LITERAL_NULL = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** Exact powers of ten for the fast number path (10^22 is the largest a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_FAST_SCALE = 22;
/** Exponent digits beyond this magnitude no longer change the fast path's decision. */
const EXPONENT_CLAMP = 100_000_000;

/**
 * NOTE: `utf8Slice`/`latin1Slice` are Buffer's own decoders without `toString`'s argument
 * normalization; on short keys and values they measured ~1.4x faster than
 * `buffer.toString('utf8', start, end)` and ~3x faster than `TextDecoder.decode(subarray)`.
 */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
type SliceableBuffer = Buffer & NativeSlices;

const EMPTY = Buffer.alloc(0) as SliceableBuffer;

/**
 * Member names recur (every object of an array has the same few), so short names are decoded
 * once and reused from a direct-mapped cache keyed by their bytes. Shared by all parsers.
 *
 * NOTE: measured with the builder on a 23 MB array of 6-member objects: decoding every name
 * (`utf8Slice`) plus adding it as a fresh, not yet internalized property key cost ~20% of the
 * run; a hit costs a short hash and byte compare and hands V8 an already internalized string.
 */
const NAME_CACHE_SLOTS = 1024; // a power of two
const NAME_CACHE_MAX_BYTES = 32;
const nameCacheBytes = new Uint8Array(NAME_CACHE_SLOTS * NAME_CACHE_MAX_BYTES);
const nameCacheLengths = new Int8Array(NAME_CACHE_SLOTS).fill(-1);
const nameCacheTexts: string[] = new Array<string>(NAME_CACHE_SLOTS).fill('');

/** The member name in `buffer[start, end)` (valid UTF-8, no escapes), from the cache if there. */
function cachedName(buffer: SliceableBuffer, start: number, end: number): string {
  const length = end - start;
  if (length > NAME_CACHE_MAX_BYTES) return buffer.utf8Slice(start, end);
  let hash = length;
  for (let k = start; k < end; k++) hash = (Math.imul(hash, 31) + buffer[k]!) | 0;
  const slot = (hash ^ (hash >>> 15)) & (NAME_CACHE_SLOTS - 1);
  const base = slot * NAME_CACHE_MAX_BYTES;
  if (nameCacheLengths[slot] === length) {
    let same = true;
    for (let k = 0; k < length; k++) {
      if (nameCacheBytes[base + k] !== buffer[start + k]) {
        same = false;
        break;
      }
    }
    if (same) return nameCacheTexts[slot]!;
  }
  const text = buffer.utf8Slice(start, end);
  nameCacheBytes.set(buffer.subarray(start, end), base);
  nameCacheLengths[slot] = length;
  nameCacheTexts[slot] = text;
  return text;
}

/**
 * A push parser over UTF-8 bytes. Create one per document.
 *
 * @example
 * const parser = new StreamingJsonParser(handler, { source: 'orders.json' });
 * for await (const chunk of stream) parser.write(chunk);
 * parser.end();
 */
export class StreamingJsonParser {
  readonly #handler: JsonEventHandler;
  readonly #source: string;

  #state = S_START;
  /** Absolute offset of the current chunk's first byte. */
  #chunkOffset = 0;
  /** Absolute offset just past the last value completed (set before its event is reported). */
  #valueEnd = 0;
  /** Set by the first error (ours or a handler's); every later call throws it again. */
  #failure: { readonly error: unknown } | null = null;

  /** Open containers, innermost last: CONTAINER_OBJECT or CONTAINER_ARRAY per level. */
  #containers = new Uint8Array(64);
  #depth = 0;

  // Skipping. Invariant: while #muted, no events are emitted; the skipped value began at
  // container depth #muteDepth and ends when a value completes back at that depth.
  #skipRequested = false;
  #muted = false;
  #muteDepth = 0;

  // Strings. Raw bytes not yet decoded start at #runStart in the current chunk; bytes carried
  // over from earlier chunks wait in #scratch[0..#scratchLength). #decoded holds the text of
  // the string before those raw bytes (escapes and earlier runs).
  #stringIsName = false;
  #runStart = 0;
  #decoded = '';
  #hexCount = 0;
  #hexValue = 0;
  #utf8Need = 0;
  #utf8Low = 0x80;
  #utf8High = 0xbf;

  // Numbers. #numberStart is the literal's start in the current chunk (or 0 when its first
  // bytes were carried over into #scratch).
  #numberPhase = N_SIGN;
  #numberStart = 0;
  #numberNegative = false;
  /** The first (up to 15) significant digits as an integer. */
  #mantissa = 0;
  /** Digits from the first non-zero mantissa digit on (trailing zeros included). */
  #significantDigits = 0;
  #fractionDigits = 0;
  #exponent = 0;
  #exponentNegative = false;

  // Literals (true / false / null) and the BOM.
  #literal: Uint8Array = LITERAL_NULL;
  #literalIndex = 0;

  /** Carry-over bytes of a string or number that spans chunks. */
  #scratch: SliceableBuffer = Buffer.allocUnsafe(256) as SliceableBuffer;
  #scratchLength = 0;

  constructor(handler: JsonEventHandler, options: StreamingJsonParserOptions = {}) {
    this.#handler = handler;
    this.#source = options.source ?? 'JSON document';
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.#chunkOffset;
  }

  /**
   * The byte offset just past the value being completed, when read inside `onScalar`,
   * `onEndObject` or `onEndArray` (one past its last byte: the closing bracket, quote, digit or
   * literal letter); after any other call, the end of the last value completed. Lets a handler
   * say where a match ended in a document.
   */
  get valueEnd(): number {
    return this.#valueEnd;
  }

  /** Current container nesting depth (0 at top level). */
  get depth(): number {
    return this.#depth;
  }

  /**
   * Asks the parser to consume the next value that begins (a member's value after `onKey`, or
   * the next array element) without events: it is validated but not decoded, and reported as a
   * single `onSkippedValue`. The request lapses if the enclosing container closes first. Call it
   * from a callback (`onKey`, `onStartArray`, or the end of the previous element).
   */
  skipNextValue(): void {
    this.#skipRequested = true;
  }

  /**
   * Parses the next chunk of the document. The chunk is not retained after the call returns.
   * @throws TrefoilError on invalid JSON or invalid UTF-8 (the offset is exact).
   */
  write(chunk: Uint8Array): void {
    if (this.#failure !== null) throw this.#failure.error;
    const buffer = (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)) as SliceableBuffer;
    try {
      this.#parse(buffer);
    } catch (error) {
      this.#state = S_FAILED;
      this.#failure = { error };
      throw error;
    }
    this.#chunkOffset += buffer.length;
  }

  /**
   * Ends the document: completes a trailing top-level number and checks nothing is left open.
   * @throws TrefoilError `TREFOIL_ERR_JSON_TRUNCATED` when the document is empty or incomplete.
   */
  end(): void {
    if (this.#failure !== null) throw this.#failure.error;
    try {
      if (this.#state === S_NUMBER) this.#endNumberAtEndOfInput();
      if (this.#state !== S_DONE) {
        const what = this.#state === S_START || (this.#state === S_VALUE && this.#depth === 0) ? 'the document is empty' : `it ended inside ${this.#describeOpenPart()}`;
        throw this.#error('TREFOIL_ERR_JSON_TRUNCATED', `Incomplete JSON: ${what}`, this.#chunkOffset);
      }
    } catch (error) {
      this.#state = S_FAILED;
      this.#failure = { error };
      throw error;
    }
  }

  #parse(buffer: SliceableBuffer): void {
    const length = buffer.length;
    const handler = this.#handler;
    let i = 0;
    if (this.#state === S_STRING || this.#state === S_STRING_UTF8) this.#runStart = 0;
    else if (this.#state === S_NUMBER) this.#numberStart = 0;

    while (i < length) {
      switch (this.#state) {
        case S_VALUE:
        case S_ARRAY_FIRST:
        case S_OBJECT_FIRST:
        case S_MEMBER_NAME:
        case S_COLON:
        case S_AFTER_VALUE:
        case S_DONE: {
          let b = buffer[i]!;
          while (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
            if (++i === length) return;
            b = buffer[i]!;
          }
          i = this.#structural(buffer, i, b);
          break;
        }

        case S_STRING: {
          // Fast scan to the next byte that needs attention.
          let j = i;
          while (j < length && STRING_STOP[buffer[j]!] === 0) j++;
          if (j === length) {
            i = j;
            break;
          }
          const b = buffer[j]!;
          if (b === QUOTE) {
            i = this.#finishString(buffer, j);
          } else if (b === BACKSLASH) {
            if (!this.#muted) this.#flushRun(buffer, j);
            this.#state = S_STRING_ESCAPE;
            i = j + 1;
          } else if (b < 0x20) {
            throw this.#syntaxError(`control character 0x${hex(b)} inside a string (escape it as \\u00${hex(b)})`, j);
          } else {
            i = this.#utf8Lead(buffer, j, b);
          }
          break;
        }

        case S_STRING_UTF8: {
          const b = buffer[i]!;
          if (b < this.#utf8Low || b > this.#utf8High) throw this.#encodingError(i);
          this.#utf8Low = 0x80;
          this.#utf8High = 0xbf;
          if (--this.#utf8Need === 0) this.#state = S_STRING;
          i++;
          break;
        }

        case S_STRING_ESCAPE: {
          const b = buffer[i]!;
          if (b === 0x75 /* u */) {
            this.#hexCount = 0;
            this.#hexValue = 0;
            this.#state = S_STRING_UNICODE;
          } else {
            const replacement = SIMPLE_ESCAPE[b];
            if (replacement === undefined) throw this.#syntaxError(`invalid escape '\\${printable(b)}' inside a string`, i);
            if (!this.#muted) this.#decoded += replacement;
            this.#state = S_STRING;
            this.#runStart = i + 1;
          }
          i++;
          break;
        }

        case S_STRING_UNICODE: {
          const value = HEX_VALUE[buffer[i]!]!;
          if (value < 0) throw this.#syntaxError(`invalid \\u escape: expected 4 hex digits, found '${printable(buffer[i]!)}'`, i);
          this.#hexValue = this.#hexValue * 16 + value;
          i++;
          if (++this.#hexCount === 4) {
            if (!this.#muted) this.#decoded += String.fromCharCode(this.#hexValue);
            this.#state = S_STRING;
            this.#runStart = i;
          }
          break;
        }

        case S_NUMBER:
          i = this.#scanNumber(buffer, i);
          break;

        case S_LITERAL: {
          const literal = this.#literal;
          while (i < length && this.#literalIndex < literal.length) {
            if (buffer[i] !== literal[this.#literalIndex]) throw this.#syntaxError(`invalid literal (expected '${String.fromCharCode(...literal)}')`, i);
            i++;
            this.#literalIndex++;
          }
          if (this.#literalIndex === literal.length) {
            this.#valueEnd = this.#chunkOffset + i;
            if (!this.#muted) handler.onScalar(literal === LITERAL_NULL ? null : literal === LITERAL_TRUE);
            this.#valueDone();
          }
          break;
        }

        case S_START:
          if (buffer[i] === 0xfe || buffer[i] === 0xff) {
            throw this.#error('TREFOIL_ERR_JSON_ENCODING', 'Invalid UTF-8 in JSON: the document starts with a UTF-16 or UTF-32 byte order mark; JSON must be UTF-8', this.#chunkOffset + i);
          }
          if (buffer[i] === BOM[0]) {
            this.#state = S_BOM;
            this.#literalIndex = 0;
          } else {
            this.#state = S_VALUE;
          }
          break;

        case S_BOM:
          if (buffer[i] !== BOM[this.#literalIndex]) {
            throw this.#literalIndex === 0 ? this.#syntaxError(`unexpected byte 0x${hex(buffer[i]!)}`, i) : this.#encodingError(i);
          }
          i++;
          if (++this.#literalIndex === BOM.length) this.#state = S_VALUE;
          break;

        default:
          throw this.#syntaxError('parser used after a failure', i); // unreachable: write() rethrows the failure
      }
    }

    // The chunk ended inside a string or number: keep what the next chunk continues.
    if (this.#state === S_STRING || this.#state === S_STRING_UTF8) {
      if (!this.#muted) this.#carry(buffer, this.#runStart, length);
    } else if (this.#state === S_NUMBER) {
      this.#carry(buffer, this.#numberStart, length);
    }
  }

  /** Handles one non-whitespace byte in a structural state; returns the next index. */
  #structural(buffer: SliceableBuffer, i: number, b: number): number {
    switch (this.#state) {
      case S_VALUE:
        return this.#beginValue(buffer, i, b);

      case S_ARRAY_FIRST:
        if (b === 0x5d /* ] */) return this.#closeContainer(CONTAINER_ARRAY, i);
        return this.#beginValue(buffer, i, b);

      case S_AFTER_VALUE:
        if (b === 0x2c /* , */) {
          this.#state = this.#containers[this.#depth - 1] === CONTAINER_ARRAY ? S_VALUE : S_MEMBER_NAME;
          return i + 1;
        }
        if (b === 0x5d /* ] */) return this.#closeContainer(CONTAINER_ARRAY, i);
        if (b === 0x7d /* } */) return this.#closeContainer(CONTAINER_OBJECT, i);
        throw this.#unexpected(`expected ',' or '${this.#containers[this.#depth - 1] === CONTAINER_ARRAY ? ']' : '}'}' but found ${describeByte(b)}`, b, i);

      case S_OBJECT_FIRST:
        if (b === 0x7d /* } */) return this.#closeContainer(CONTAINER_OBJECT, i);
        return this.#beginMemberName(i, b);

      case S_MEMBER_NAME:
        return this.#beginMemberName(i, b);

      case S_COLON:
        if (b !== 0x3a /* : */) throw this.#unexpected(`expected ':' after the member name but found ${describeByte(b)}`, b, i);
        this.#state = S_VALUE;
        return i + 1;

      default: // S_DONE
        throw this.#unexpected(`unexpected ${describeByte(b)} after the end of the JSON document`, b, i);
    }
  }

  #beginMemberName(i: number, b: number): number {
    if (b !== QUOTE) {
      const trailing = b === 0x7d && this.#state === S_MEMBER_NAME ? " after ',' (trailing comma)" : '';
      throw this.#unexpected(`expected a member name in double quotes${trailing} but found ${describeByte(b)}`, b, i);
    }
    this.#beginString(true, i + 1);
    return i + 1;
  }

  /** Starts the value whose first byte is `b` at `i`; returns the next index. */
  #beginValue(buffer: SliceableBuffer, i: number, b: number): number {
    if (this.#skipRequested) {
      this.#skipRequested = false;
      if (!this.#muted) {
        this.#muted = true;
        this.#muteDepth = this.#depth;
      }
    }
    switch (b) {
      case 0x7b /* { */:
        this.#push(CONTAINER_OBJECT);
        this.#state = S_OBJECT_FIRST;
        if (!this.#muted) this.#handler.onStartObject();
        return i + 1;
      case 0x5b /* [ */:
        this.#push(CONTAINER_ARRAY);
        this.#state = S_ARRAY_FIRST;
        if (!this.#muted) this.#handler.onStartArray();
        return i + 1;
      case QUOTE:
        this.#beginString(false, i + 1);
        return i + 1;
      case 0x74 /* t */:
        return this.#beginLiteral(buffer, i, LITERAL_TRUE);
      case 0x66 /* f */:
        return this.#beginLiteral(buffer, i, LITERAL_FALSE);
      case 0x6e /* n */:
        return this.#beginLiteral(buffer, i, LITERAL_NULL);
      default:
        if (b === 0x2d /* - */ || (b >= 0x30 && b <= 0x39)) return this.#beginNumber(buffer, i, b);
        if (b === 0x5d /* ] */ && this.#state === S_VALUE && this.#depth > 0) throw this.#syntaxError(`expected a value after ',' but found ']' (trailing comma)`, i);
        throw this.#unexpected(`expected a value but found ${describeByte(b)}`, b, i);
    }
  }

  #push(kind: number): void {
    if (this.#depth === this.#containers.length) {
      const grown = new Uint8Array(this.#containers.length * 2);
      grown.set(this.#containers);
      this.#containers = grown;
    }
    this.#containers[this.#depth++] = kind;
  }

  #closeContainer(kind: number, i: number): number {
    const open = this.#containers[this.#depth - 1];
    if (open !== kind) {
      throw this.#syntaxError(`found '${kind === CONTAINER_ARRAY ? ']' : '}'}' but the open ${open === CONTAINER_ARRAY ? 'array' : 'object'} needs '${open === CONTAINER_ARRAY ? ']' : '}'}'`, i);
    }
    this.#depth--;
    this.#skipRequested = false;
    this.#valueEnd = this.#chunkOffset + i + 1;
    if (!this.#muted) {
      if (kind === CONTAINER_ARRAY) this.#handler.onEndArray();
      else this.#handler.onEndObject();
    }
    this.#valueDone();
    return i + 1;
  }

  /** A value just completed at the current depth. */
  #valueDone(): void {
    this.#state = this.#depth === 0 ? S_DONE : S_AFTER_VALUE;
    if (this.#muted && this.#depth === this.#muteDepth) {
      this.#muted = false;
      this.#handler.onSkippedValue();
    }
  }

  // ---- strings -------------------------------------------------------------------------------

  #beginString(isName: boolean, runStart: number): void {
    if (isName) this.#skipRequested = false;
    this.#stringIsName = isName;
    this.#state = S_STRING;
    this.#runStart = runStart;
    this.#decoded = '';
    this.#scratchLength = 0;
  }

  /** The closing quote is at `j`: emits the string and returns the next index. */
  #finishString(buffer: SliceableBuffer, j: number): number {
    if (!this.#muted) {
      let text: string;
      if (this.#scratchLength === 0 && this.#decoded === '') {
        text = this.#stringIsName ? cachedName(buffer, this.#runStart, j) : buffer.utf8Slice(this.#runStart, j);
      } else {
        this.#flushRun(buffer, j);
        text = this.#decoded;
        this.#decoded = '';
      }
      if (this.#stringIsName) {
        this.#handler.onKey(text);
        this.#state = S_COLON;
        return j + 1;
      }
      this.#valueEnd = this.#chunkOffset + j + 1;
      this.#handler.onScalar(text);
    } else if (this.#stringIsName) {
      this.#state = S_COLON;
      return j + 1;
    }
    this.#valueDone();
    return j + 1;
  }

  /** Decodes the raw bytes before `end` (with any carried-over bytes) into #decoded. */
  #flushRun(buffer: SliceableBuffer, end: number): void {
    if (this.#scratchLength > 0) {
      this.#carry(buffer, this.#runStart, end);
      this.#decoded += this.#scratch.utf8Slice(0, this.#scratchLength);
      this.#scratchLength = 0;
    } else if (end > this.#runStart) {
      this.#decoded += buffer.utf8Slice(this.#runStart, end);
    }
  }

  /** Validates the UTF-8 sequence whose lead byte `b` is at `j`; returns the index after it. */
  #utf8Lead(buffer: SliceableBuffer, j: number, b: number): number {
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b < 0xc2) throw this.#encodingError(j); // a continuation byte, or an overlong 2-byte form
    if (b < 0xe0) {
      need = 1;
    } else if (b < 0xf0) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // overlong 3-byte form
      else if (b === 0xed) high = 0x9f; // UTF-8-encoded surrogate
    } else if (b < 0xf5) {
      need = 3;
      if (b === 0xf0) low = 0x90; // overlong 4-byte form
      else if (b === 0xf4) high = 0x8f; // above U+10FFFF
    } else {
      throw this.#encodingError(j);
    }
    let k = j + 1;
    const length = buffer.length;
    while (need > 0) {
      if (k === length) {
        this.#utf8Need = need;
        this.#utf8Low = low;
        this.#utf8High = high;
        this.#state = S_STRING_UTF8;
        return k;
      }
      const c = buffer[k]!;
      if (c < low || c > high) throw this.#encodingError(k);
      low = 0x80;
      high = 0xbf;
      need--;
      k++;
    }
    return k;
  }

  /** Appends `buffer[start, end)` to the carry-over scratch buffer. */
  #carry(buffer: SliceableBuffer, start: number, end: number): void {
    const needed = this.#scratchLength + (end - start);
    if (needed > this.#scratch.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#scratch.length * 2)) as SliceableBuffer;
      this.#scratch.copy(grown, 0, 0, this.#scratchLength);
      this.#scratch = grown;
    }
    buffer.copy(this.#scratch, this.#scratchLength, start, end);
    this.#scratchLength = needed;
  }

  // ---- numbers -------------------------------------------------------------------------------

  #beginNumber(buffer: SliceableBuffer, i: number, b: number): number {
    this.#state = S_NUMBER;
    this.#numberStart = i;
    this.#scratchLength = 0;
    this.#mantissa = 0;
    this.#significantDigits = 0;
    this.#fractionDigits = 0;
    this.#exponent = 0;
    this.#exponentNegative = false;
    this.#numberNegative = b === 0x2d;
    this.#numberPhase = b === 0x2d ? N_SIGN : b === 0x30 ? N_ZERO : N_INT;
    if (b > 0x30) {
      this.#mantissa = b - 0x30;
      this.#significantDigits = 1;
    }
    return this.#scanNumber(buffer, i + 1);
  }

  /** Continues a number at `i`; returns the index of the first byte after it (or the chunk end). */
  #scanNumber(buffer: SliceableBuffer, i: number): number {
    const length = buffer.length;
    let phase = this.#numberPhase;
    let mantissa = this.#mantissa;
    let significant = this.#significantDigits;
    for (; i < length; i++) {
      const b = buffer[i]!;
      const digit = b - 0x30;
      if (digit >= 0 && digit <= 9) {
        if (phase === N_INT) {
          if (significant < EXACT_DOUBLE_DIGITS) mantissa = mantissa * 10 + digit;
          significant++;
        } else if (phase === N_FRAC || phase === N_FRAC_FIRST) {
          phase = N_FRAC;
          this.#fractionDigits++;
          if (significant > 0 || digit > 0) {
            if (significant < EXACT_DOUBLE_DIGITS) mantissa = mantissa * 10 + digit;
            significant++;
          }
        } else if (phase >= N_EXP_FIRST) {
          phase = N_EXP;
          if (this.#exponent < EXPONENT_CLAMP) this.#exponent = this.#exponent * 10 + digit;
        } else if (phase === N_SIGN) {
          phase = digit === 0 ? N_ZERO : N_INT;
          mantissa = digit;
          significant = digit === 0 ? 0 : 1;
        } else {
          throw this.#syntaxError('a number must not have a leading zero', i);
        }
        continue;
      }
      if (b === 0x2e /* . */ && (phase === N_ZERO || phase === N_INT)) {
        phase = N_FRAC_FIRST;
        continue;
      }
      if ((b === 0x65 || b === 0x45) /* e E */ && (phase === N_ZERO || phase === N_INT || phase === N_FRAC)) {
        phase = N_EXP_FIRST;
        continue;
      }
      if ((b === 0x2b || b === 0x2d) /* + - */ && phase === N_EXP_FIRST) {
        phase = N_EXP_SIGN;
        this.#exponentNegative = b === 0x2d;
        continue;
      }
      // Any other byte ends the number (the caller checks it is a valid follower).
      this.#numberPhase = phase;
      this.#mantissa = mantissa;
      this.#significantDigits = significant;
      this.#finishNumber(buffer, i);
      return i;
    }
    this.#numberPhase = phase;
    this.#mantissa = mantissa;
    this.#significantDigits = significant;
    return i;
  }

  #endNumberAtEndOfInput(): void {
    const phase = this.#numberPhase;
    if (phase === N_SIGN || phase === N_FRAC_FIRST || phase === N_EXP_FIRST || phase === N_EXP_SIGN) {
      throw this.#error('TREFOIL_ERR_JSON_TRUNCATED', 'Incomplete JSON: it ended inside a number', this.#chunkOffset);
    }
    this.#numberStart = 0;
    this.#finishNumber(EMPTY, 0);
  }

  /** The number ended just before `end` in `buffer` (its start is #numberStart or carried over). */
  #finishNumber(buffer: SliceableBuffer, end: number): void {
    const phase = this.#numberPhase;
    if (phase === N_SIGN || phase === N_FRAC_FIRST || phase === N_EXP_FIRST || phase === N_EXP_SIGN) {
      throw this.#syntaxError(`incomplete number before ${describeByte(buffer[end]!)}`, end);
    }
    if (!this.#muted) {
      let value: JsonNumber;
      const scale = (this.#exponentNegative ? -this.#exponent : this.#exponent) - this.#fractionDigits;
      if (this.#significantDigits <= EXACT_DOUBLE_DIGITS && scale >= -MAX_FAST_SCALE && scale <= MAX_FAST_SCALE) {
        // Clinger's fast path: an exact mantissa below 2^53 and an exact power of ten give the
        // correctly rounded double in one IEEE operation.
        const magnitude = scale === 0 ? this.#mantissa : scale > 0 ? this.#mantissa * POW10[scale]! : this.#mantissa / POW10[-scale]!;
        value = this.#numberNegative ? -magnitude : magnitude;
      } else {
        let text: string;
        if (this.#scratchLength > 0) {
          this.#carry(buffer, this.#numberStart, end);
          text = this.#scratch.latin1Slice(0, this.#scratchLength);
          this.#scratchLength = 0;
        } else {
          text = buffer.latin1Slice(this.#numberStart, end);
        }
        value = jsonNumberFromText(text);
      }
      this.#valueEnd = this.#chunkOffset + end;
      this.#handler.onScalar(value);
    }
    this.#scratchLength = 0;
    this.#valueDone();
  }

  // ---- literals ------------------------------------------------------------------------------

  #beginLiteral(buffer: SliceableBuffer, i: number, literal: Uint8Array): number {
    const n = literal.length;
    if (i + n <= buffer.length) {
      // Fast path: the whole literal is in this chunk.
      for (let k = 1; k < n; k++) {
        if (buffer[i + k] !== literal[k]) throw this.#syntaxError(`invalid literal (expected '${String.fromCharCode(...literal)}')`, i + k);
      }
      this.#valueEnd = this.#chunkOffset + i + n;
      if (!this.#muted) this.#handler.onScalar(literal === LITERAL_NULL ? null : literal === LITERAL_TRUE);
      this.#valueDone();
      return i + n;
    }
    this.#literal = literal;
    this.#literalIndex = 1;
    this.#state = S_LITERAL;
    return i + 1;
  }

  // ---- errors --------------------------------------------------------------------------------

  #describeOpenPart(): string {
    switch (this.#state) {
      case S_STRING:
      case S_STRING_ESCAPE:
      case S_STRING_UNICODE:
      case S_STRING_UTF8:
        return this.#stringIsName ? 'a member name' : 'a string';
      case S_LITERAL:
        return 'a literal';
      case S_BOM:
        return 'a byte order mark';
      default:
        return this.#depth > 0 ? `an ${this.#containers[this.#depth - 1] === CONTAINER_ARRAY ? 'array' : 'object'} (${this.#depth} container${this.#depth > 1 ? 's' : ''} left open)` : 'the document';
    }
  }

  #syntaxError(what: string, index: number): TrefoilError {
    return this.#error('TREFOIL_ERR_JSON_SYNTAX', `Invalid JSON: ${what}`, this.#chunkOffset + index);
  }

  /**
   * A byte that cannot appear here. NOTE: a NUL byte between tokens is what UTF-16 and UTF-32
   * text looks like when read as bytes (`[` is `5B 00` in UTF-16LE), so it is reported as an
   * encoding problem, which points the user at the real cause.
   */
  #unexpected(what: string, b: number, index: number): TrefoilError {
    if (b === 0) {
      return this.#error('TREFOIL_ERR_JSON_ENCODING', 'Invalid JSON: NUL byte between tokens; the document looks like UTF-16 or UTF-32, but JSON must be UTF-8', this.#chunkOffset + index);
    }
    return this.#syntaxError(what, index);
  }

  #encodingError(index: number): TrefoilError {
    return this.#error('TREFOIL_ERR_JSON_ENCODING', 'Invalid UTF-8 in JSON: malformed, overlong or surrogate byte sequence', this.#chunkOffset + index);
  }

  #error(code: ErrorCode, message: string, offset: number): TrefoilError {
    return new TrefoilError(code, `${message} at byte ${offset} of ${this.#source}`, { file: this.#source, offset });
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}

function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${hex(b)}`;
}

function describeByte(b: number | undefined): string {
  if (b === undefined) return 'the end of the input';
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${hex(b)}`;
}
