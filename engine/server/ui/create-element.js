/**
 * `element(tag, attributes, ...children)`: builds DOM nodes without innerHTML, so text that comes
 * from the API (graph descriptions, error messages, log lines) is never parsed as markup.
 *
 * Attributes: `null`, `undefined` and `false` are left out, `true` sets an empty attribute,
 * `on<event>` functions become listeners. Children: nodes, strings, numbers, nested arrays;
 * `null`, `undefined` and `false` are skipped.
 *
 * @example element('a', { href: '#/runs' }, 'Runs')
 */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  appendChildren(node, children);
  return node;
}

/** Appends children as {@link element} accepts them. */
export function appendChildren(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return appendChildren(parent, children);
}
