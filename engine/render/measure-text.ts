/**
 * Estimates how wide a line of text is drawn, without fonts or a canvas (pictures are rendered
 * in Node, where neither exists).
 *
 * NOTE: widths are those of Helvetica/Arial, the usual sans-serif fallback, in ems, grouped by
 * character class; a box sized from them fits the text in common sans-serif fonts with a little
 * room to spare (`SAFETY` below; DejaVu Sans, common on Linux, is the widest we met). Wide East Asian characters and emoji count as one em.
 */

const SAFETY = 1.12;
const BOLD = 1.08;

/** Width in ems of each ASCII character from 0x20 to 0x7E (Helvetica metrics, rounded). */
const ASCII_EM = new Float32Array(95);
(function fillAsciiWidths(): void {
  ASCII_EM.fill(0.556); // digits and most lowercase letters
  const set = (chars: string, em: number): void => {
    for (const char of chars) ASCII_EM[char.charCodeAt(0) - 0x20] = em;
  };
  set(' ', 0.278);
  set("!'|.,:;`", 0.26);
  set('ijl', 0.222);
  set('ftI[]/\\()', 0.3);
  set('r"-', 0.34);
  set('sczk*^', 0.5);
  set('xyv', 0.5);
  set('J', 0.5);
  set('_#$?', 0.556);
  set('ABEFKPSTVXYZ&+<>=~', 0.64);
  set('CDHNRUw', 0.72);
  set('GOQ', 0.78);
  set('m', 0.833);
  set('M', 0.833);
  set('W%', 0.944);
  set('@', 1.015);
})();

/** Estimated width in pixels of `text` drawn at `fontSize` pixels, bold or not. */
export function measureText(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) ems += ASCII_EM[code - 0x20]!;
    else if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x1f300)) ems += 1;
    else if (code >= 0x2190 && code <= 0x2bff) ems += 0.9; // arrows, symbols and dingbats (✖ ⚠ →)
    else ems += 0.6;
  }
  return ems * fontSize * SAFETY * (bold ? BOLD : 1);
}

/**
 * `text` shortened with a trailing `…` so it is at most `maxWidth` pixels wide (as measured by
 * `measureText`); returned unchanged when it fits.
 */
export function truncateText(text: string, fontSize: number, maxWidth: number): string {
  if (measureText(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  // Binary search for the longest prefix that fits together with the ellipsis.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measureText(`${chars.slice(0, middle).join('')}…`, fontSize) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return `${chars.slice(0, low).join('').trimEnd()}…`;
}
