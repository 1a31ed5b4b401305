/**
 * A JSON number kept as its source text, so digits beyond a double's 15–17 survive between a
 * JSON reader and a `long` or `decimal` field (or a JSON writer, which emits the text raw).
 */

/** A JSON number literal, exactly as written (`12345678901234567890`, `0.30`, `1e-7`). */
export class ExactNumber {
  /** The number's text: a valid JSON number literal. */
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** The nearest double. */
  valueOf(): number {
    return Number(this.text);
  }

  /**
   * NOTE: `JSON.stringify` cannot emit raw digits (no `JSON.rawJSON` on Node 20), so this falls
   * back to the text as a JSON string; JSON writers use `writeJsonText`, which writes it raw.
   */
  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/**
 * True for an {@link ExactNumber} or any object with a string `text` property (what other JSON
 * readers may produce for exact numbers). Only meaningful where a number is expected: a `variant`
 * field keeps `{ "text": "…" }` objects as data.
 */
export function isExactNumberLike(value: unknown): value is { readonly text: string } {
  return (
    value instanceof ExactNumber ||
    (typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string')
  );
}
