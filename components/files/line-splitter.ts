/**
 * Splits UTF-8 bytes pushed in arbitrary chunks into lines (LF or CRLF; the line break is not
 * part of the line). A final line break does not start another line; a UTF-8 byte order mark at
 * the very start is dropped. Each chunk is decoded once, up to its last LF, and split with one
 * native `split` — the bytes after the last LF wait for the next chunk (kept as a list, so a huge
 * line costs linear time).
 */
const LF = 10;

export class LineSplitter {
  readonly #onLine: (line: string) => void;
  /** Bytes after the last LF seen, not yet decoded. */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #atStart = true;

  /** @param onLine called once per line, in order, synchronously inside `push`/`end` */
  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    if (this.#atStart) {
      if (chunk.length === 0) return;
      this.#atStart = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const lastBreak = chunk.lastIndexOf(LF);
    if (lastBreak < 0) {
      this.#keep(chunk);
      return;
    }
    let complete = chunk.subarray(0, lastBreak);
    if (this.#pendingLength > 0) {
      this.#pending.push(complete);
      complete = Buffer.concat(this.#pending, this.#pendingLength + complete.length);
      this.#pending = [];
      this.#pendingLength = 0;
    }
    this.#deliver(complete.toString('utf8'));
    if (lastBreak + 1 < chunk.length) this.#keep(chunk.subarray(lastBreak + 1));
  }

  end(): void {
    if (this.#pendingLength === 0) return;
    const rest = Buffer.concat(this.#pending, this.#pendingLength).toString('utf8');
    this.#pending = [];
    this.#pendingLength = 0;
    this.#deliver(rest);
  }

  #keep(bytes: Buffer): void {
    this.#pending.push(bytes);
    this.#pendingLength += bytes.length;
  }

  #deliver(text: string): void {
    const lines = text.split('\n');
    const onLine = this.#onLine;
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      onLine(line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
    }
  }
}
