/**
 * How a value appears inside an error message: JSON-quoted (so blanks, tabs and empty text
 * are visible) and cut to a readable length (a bad CSV cell may hold a megabyte).
 */

/** Longest quoted text kept whole in a message; longer text is cut and marked with `…`. */
export const MESSAGE_TEXT_LIMIT = 80;

/**
 * Quotes `text` for an error message: `"12x"`, `""`, `"abc…"` (cut after
 * {@link MESSAGE_TEXT_LIMIT} characters).
 */
export function quoteForMessage(text: string): string {
  if (text.length <= MESSAGE_TEXT_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MESSAGE_TEXT_LIMIT))}…`;
}
