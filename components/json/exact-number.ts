/**
 * A JSON number kept as its literal text because a double would change it.
 *
 * The JSON parser produces one for a non-integer literal with more than 15 significant digits
 * (`3.14159265358979323846`), or whose magnitude a double cannot hold (`1e400`, `1e-400`), so a
 * later conversion into an exact decimal loses nothing. Integer literals beyond ±(2^53−1) become
 * `bigint` instead; everything else is a plain `number`.
 *
 * In arithmetic and comparisons it behaves as the nearest double (`valueOf`), and
 * `JSON.stringify` writes that double (`toJSON`). Read `text` for the exact value.
 */
export class ExactNumber {
  /** The number exactly as written in the document: a valid RFC 8259 number literal. */
  readonly text: string;

  /** @param text a valid RFC 8259 number literal; not re-validated. */
  constructor(text: string) {
    this.text = text;
  }

  /** The nearest double (may be ±Infinity or 0 for literals beyond the double range). */
  valueOf(): number {
    return Number(this.text);
  }

  /** What `JSON.stringify` writes: the nearest double. */
  toJSON(): number {
    return Number(this.text);
  }

  /** The literal text. */
  toString(): string {
    return this.text;
  }
}
