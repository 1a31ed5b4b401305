import { describe, expect, it } from 'vitest';
import { parseXml, textOf } from './parse-xml.ts';

// The render tests trust this checker to reject broken SVG, so it is tested on its own.
describe('parseXml (the well-formedness check of the render tests)', () => {
  it('accepts a well-formed document and decodes entities', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- c --><a x="1 &amp; 2" y=\'&#60;\'><b/>t &lt;&#x3E;&quot;<c>d</c></a>\n');
    expect(root.name).toBe('a');
    expect(root.attributes.get('x')).toBe('1 & 2');
    expect(root.attributes.get('y')).toBe('<');
    expect(textOf(root)).toBe('t <>"d');
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['a mismatched closing tag', '<a></b>'],
    ['a raw ampersand', '<a>1 & 2</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a raw "<" in an attribute', '<a x="<"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['two root elements', '<a/><b/>'],
    ['attributes run together', '<a x="1"y="2"/>'],
  ])('rejects %s', (_, source) => {
    expect(() => parseXml(source)).toThrow(/not well-formed/);
  });
});
