/**
 * Glob patterns on a file's NAME (not its path), as file listeners use them: `*` any run of
 * characters, `?` one character, `[abc]` / `[a-z]` / `[!abc]` (or `[^abc]`) a class,
 * `{csv,tsv}` alternatives, `\` escapes the next character. Matching is case-sensitive and
 * covers the whole name. Compiled once to a RegExp.
 */
import { TrefoilError, type ErrorLocation } from '../errors/trefoil-error.ts';

/** A compiled name pattern. */
export interface FileNamePattern {
  readonly source: string;
  matches(name: string): boolean;
}

/**
 * Compiles a name glob.
 * @throws TrefoilError TREFOIL_ERR_SERVER_FILE_PATTERN for an unclosed `[` or `{`, a nested
 *   `{`, or a `/` (patterns see names only).
 * @example compileFileNamePattern('*.{csv,tsv}').matches('orders.csv') // true
 */
export function compileFileNamePattern(pattern: string, location?: ErrorLocation): FileNamePattern {
  const fail = (why: string): never => {
    throw new TrefoilError('TREFOIL_ERR_SERVER_FILE_PATTERN', `invalid file name pattern "${pattern}": ${why}`, location);
  };
  let regex = '';
  let inBraces = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    switch (char) {
      case '*':
        regex += '.*';
        break;
      case '?':
        regex += '.';
        break;
      case '\\':
        if (i + 1 >= pattern.length) fail('it ends with a lone backslash');
        regex += escapeRegExp(pattern[++i]!);
        break;
      case '[': {
        const close = pattern.indexOf(']', i + 2);
        if (close === -1) fail('a "[" is not closed');
        let body = pattern.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        regex += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
        break;
      }
      case '{':
        if (inBraces) fail('braces cannot be nested');
        inBraces = true;
        regex += '(?:';
        break;
      case '}':
        if (!inBraces) fail('a "}" has no matching "{"');
        inBraces = false;
        regex += ')';
        break;
      case ',':
        regex += inBraces ? '|' : ',';
        break;
      case '/':
        fail('patterns match file names only, without "/"; use `path` for the directory and `recursive` for subdirectories');
        break;
      default:
        regex += escapeRegExp(char);
    }
  }
  if (inBraces) fail('a "{" is not closed');
  const compiled = new RegExp(`^${regex}$`, 's');
  return { source: pattern, matches: (name) => compiled.test(name) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
