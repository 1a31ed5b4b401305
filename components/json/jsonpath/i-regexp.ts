/**
 * I-Regexp (RFC 9485), the interoperable regular expressions of JSONPath's `match` and
 * `search`, translated to ECMAScript `RegExp` with the `u` flag (RFC 9485 §5.3).
 *
 * The translation checks the I-Regexp grammar first, so constructs JavaScript knows but
 * I-Regexp does not (`\d`, `\w`, `\b`, lazy `*?`, lookarounds, back-references) make the
 * pattern invalid rather than silently meaning something else. `.` matches any character but CR
 * and LF.
 *
 * NOTE: `^` and `$` are NormalChars in the I-Regexp grammar, but RFC 9485 §5.3's translation
 * passes them through unchanged, so in ECMAScript they anchor; the JSONPath compliance suite
 * expects exactly that (`match(@, '^ab.*')` matches "abc"), and so do we.
 * An invalid pattern makes `match`/`search` false (RFC 9535 §2.4.6), never an error.
 */

/** `full`: the whole string must match (`match`); `substring`: any part may (`search`). */
export type IRegexpMode = 'full' | 'substring';

/** The General_Category values I-Regexp allows in `\p{…}` / `\P{…}` (RFC 9485 §3). */
const CATEGORIES = new Set([
  'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu',
  'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps',
  'Z', 'Zl', 'Zp', 'Zs',
  'S', 'Sc', 'Sk', 'Sm', 'So',
  'C', 'Cc', 'Cf', 'Cn', 'Co',
]);

/** Characters that may follow `\` as a single-character escape (SingleCharEsc). */
const SINGLE_CHAR_ESCAPES = new Set(['(', ')', '*', '+', '-', '.', '?', '[', '\\', ']', '^', '{', '|', '}', 'n', 'r', 't']);

const MAX_CACHED = 256;
const cache = new Map<string, RegExp | null>();

/**
 * The compiled RegExp for an I-Regexp pattern, or null when the pattern is not valid I-Regexp.
 * Compiled patterns are cached (patterns are usually literals in the query).
 */
export function compileIRegexp(pattern: string, mode: IRegexpMode): RegExp | null {
  const key = mode === 'full' ? `F${pattern}` : `S${pattern}`;
  let regexp = cache.get(key);
  if (regexp === undefined) {
    const source = translateIRegexp(pattern);
    regexp = null;
    if (source !== null) {
      try {
        regexp = new RegExp(mode === 'full' ? `^(?:${source})$` : source, 'u');
      } catch {
        regexp = null; // e.g. a quantifier range out of order: {3,1}
      }
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, regexp);
  }
  return regexp;
}

/** The ECMAScript source for a valid I-Regexp, or null when the pattern is not I-Regexp. */
export function translateIRegexp(pattern: string): string | null {
  const chars = Array.from(pattern); // code points
  for (const c of chars) {
    const code = c.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) return null; // lone surrogate
  }
  let out = '';
  let i = 0;
  let groupDepth = 0;
  /** Whether the previous piece is an atom that may take a quantifier. */
  let canQuantify = false;

  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '(') {
      out += '(?:';
      groupDepth++;
      canQuantify = false;
      i++;
    } else if (c === ')') {
      if (groupDepth === 0) return null;
      groupDepth--;
      out += ')';
      canQuantify = true;
      i++;
    } else if (c === '|') {
      out += '|';
      canQuantify = false;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      if (!canQuantify) return null;
      out += c;
      canQuantify = false;
      i++;
    } else if (c === '{') {
      if (!canQuantify) return null;
      const match = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i, i + 64).join(''));
      if (match === null) return null;
      out += match[0];
      canQuantify = false;
      i += match[0].length;
    } else if (c === '.') {
      out += '[^\\n\\r]';
      canQuantify = true;
      i++;
    } else if (c === '[') {
      const translated = translateClass(chars, i);
      if (translated === null) return null;
      out += translated.source;
      i = translated.next;
      canQuantify = true;
    } else if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) return null;
      if (next === 'p' || next === 'P') {
        const escape = categoryEscape(chars, i);
        if (escape === null) return null;
        out += escape.source;
        i = escape.next;
      } else if (SINGLE_CHAR_ESCAPES.has(next)) {
        // `\-` is not a valid escape outside a class in ECMAScript's u mode.
        out += next === '-' ? '-' : `\\${next}`;
        i += 2;
      } else {
        return null;
      }
      canQuantify = true;
    } else if (c === ']' || c === '}') {
      return null;
    } else {
      out += c;
      canQuantify = true;
      i++;
    }
  }
  return groupDepth === 0 ? out : null;

  function translateClass(cs: string[], start: number): { source: string; next: number } | null {
    let k = start + 1;
    let source = '[';
    if (cs[k] === '^') {
      source += '^';
      k++;
    }
    let first = true;
    let previousWasChar = false;
    let rangePending = false;
    while (k < cs.length) {
      const c = cs[k]!;
      if (c === ']') {
        if (first || rangePending) return null;
        return { source: source + ']', next: k + 1 };
      }
      if (c === '-') {
        if (first) {
          source += '\\-';
          k++;
          first = false;
          previousWasChar = false;
          continue;
        }
        if (cs[k + 1] === ']') {
          // a trailing '-' is literal
          source += '\\-';
          k++;
          continue;
        }
        if (!previousWasChar || rangePending) return null;
        source += '-';
        rangePending = true;
        previousWasChar = false;
        k++;
        continue;
      }
      first = false;
      if (c === '[') return null;
      if (c === '\\') {
        const next = cs[k + 1];
        if (next === undefined) return null;
        if (next === 'p' || next === 'P') {
          if (rangePending) return null;
          const escape = categoryEscape(cs, k);
          if (escape === null) return null;
          source += escape.source;
          k = escape.next;
          previousWasChar = false;
          continue;
        }
        if (!SINGLE_CHAR_ESCAPES.has(next)) return null;
        source += `\\${next}`;
        k += 2;
      } else {
        source += c === '^' || c === '\\' || c === ']' || c === '[' ? `\\${c}` : c;
        k++;
      }
      // a completed range cannot itself start another range
      previousWasChar = !rangePending;
      rangePending = false;
    }
    return null;
  }
}

/** `\p{X}` or `\P{X}` at `start` (chars[start] is the backslash), or null when not a valid category. */
function categoryEscape(chars: readonly string[], start: number): { source: string; next: number } | null {
  const letter = chars[start + 1]!;
  if (chars[start + 2] !== '{') return null;
  const close = chars.indexOf('}', start + 3);
  if (close < 0) return null;
  const name = chars.slice(start + 3, close).join('');
  if (!CATEGORIES.has(name)) return null;
  return { source: `\\${letter}{${name}}`, next: close + 1 };
}
