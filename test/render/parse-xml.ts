/**
 * A strict, tiny XML parser for tests: it accepts only well-formed documents (one root element,
 * balanced and matching tags, quoted and unique attributes, no raw `<` or stray `&` in text or
 * attribute values, only known entity references) and throws with the offset of the first
 * violation otherwise. Node has no DOMParser, and the project takes no XML dependency.
 *
 * Supported: elements, attributes, text, comments, an XML declaration. Not supported (rejected):
 * DOCTYPE, CDATA, processing instructions other than the declaration.
 */

export interface XmlElement {
  name: string;
  attributes: ReadonlyMap<string, string>;
  children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses `source` and returns its root element, or throws on the first well-formedness error. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (message: string): never => {
    throw new Error(`not well-formed XML at offset ${at}: ${message} near ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const skipSpace = (): void => {
    while (at < source.length && /\s/.test(source[at]!)) at++;
  };
  const readName = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (match === null) fail('expected a name');
    at += match![0].length;
    return match![0];
  };
  /** Decodes character data up to `stop` (exclusive), rejecting raw `<` and stray `&`. */
  const decode = (end: number): string => {
    let text = '';
    while (at < end) {
      const char = source[at]!;
      if (char === '<') fail('raw "<" in text or attribute');
      if (char === '&') {
        ENTITY.lastIndex = at;
        const match = ENTITY.exec(source);
        if (match === null || at + match[0].length > end) fail('stray "&" (not an entity reference)');
        const [whole, named, decimal, hex] = match!;
        text += named !== undefined ? NAMED[named]! : String.fromCodePoint(Number.parseInt(decimal ?? hex!, decimal !== undefined ? 10 : 16));
        at += whole.length;
      } else {
        text += char;
        at++;
      }
    }
    return text;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at + 4);
        if (end < 0) fail('unterminated comment');
        at = end + 3;
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[at] !== '<') fail('expected "<"');
    at++;
    const name = readName();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = at;
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return { name, attributes, children: [] };
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      if (at === before) fail('expected whitespace before an attribute');
      const attribute = readName();
      skipSpace();
      if (source[at] !== '=') fail(`attribute ${attribute} has no "="`);
      at++;
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attribute} is not quoted`);
      at++;
      const end = source.indexOf(quote!, at);
      if (end < 0) fail('unterminated attribute value');
      if (attributes.has(attribute)) fail(`duplicate attribute ${attribute}`);
      attributes.set(attribute, decode(end));
      at = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (at >= source.length) fail(`element <${name}> is not closed`);
      if (source.startsWith('</', at)) {
        at += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (source[at] !== '>') fail('expected ">"');
        at++;
        return { name, attributes, children };
      }
      if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at + 4);
        if (end < 0) fail('unterminated comment');
        at = end + 3;
      } else if (source.startsWith('<![CDATA[', at) || source.startsWith('<?', at) || source.startsWith('<!', at)) {
        fail('CDATA, processing instructions and declarations are not supported');
      } else if (source[at] === '<') {
        children.push(parseElement());
      } else {
        const next = source.indexOf('<', at);
        children.push(decode(next < 0 ? source.length : next));
      }
    }
  };

  if (source.startsWith('<?xml', at)) {
    const end = source.indexOf('?>', at);
    if (end < 0) fail('unterminated XML declaration');
    at = end + 2;
  }
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (at !== source.length) fail('content after the root element');
  return root;
}

/** Every element of the tree, depth first, root included. */
export function allElements(root: XmlElement): XmlElement[] {
  const found: XmlElement[] = [root];
  for (const child of root.children) if (typeof child !== 'string') found.push(...allElements(child));
  return found;
}

/** Elements whose attribute `name` equals `value` (or exists, when `value` is omitted). */
export function elementsWith(root: XmlElement, name: string, value?: string): XmlElement[] {
  return allElements(root).filter((element) => (value === undefined ? element.attributes.has(name) : element.attributes.get(name) === value));
}

/** The text content of an element (all descendant text, concatenated). */
export function textOf(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}

/** The direct children of an element named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && child.name === name);
}
