/**
 * Escaping for text that goes into XML: SVG text and attributes, and Graphviz HTML-like labels
 * (which follow XML's rules).
 */

// NOTE: one pass with one regular expression, compiled once. Characters XML 1.0 forbids
// (C0 controls other than tab, newline, carriage return; lone surrogates; U+FFFE/U+FFFF)
// become U+FFFD, so any string a user typed still yields a well-formed document.
const NEEDS_ESCAPE = /[&<>"']|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in XML character data and in single- or double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(NEEDS_ESCAPE, (match) => ENTITIES[match] ?? '\uFFFD');
}
