/**
 * Form fields for a graph's declared parameters (GET /api/graphs: name, description, type,
 * default, required, secure): secure ones are password inputs and never prefilled, required
 * ones say so in words and are checked by the browser, defaults are filled in and named in the
 * hint. `values()` returns only what the user set, so the server still resolves every other
 * parameter as for any run (defaults, params files, the environment).
 */
import { element } from './create-element.js';

/** @returns {{ element: HTMLElement, values(): Record<string, string | number | boolean> }} */
export function parameterFields(parameters) {
  const fields = parameters.map(parameterField);
  const fieldset = element(
    'fieldset',
    { class: 'parameter-fieldset' },
    element('legend', {}, 'Parameters'),
    fields.length === 0 ? element('p', { class: 'hint' }, 'This graph declares no parameters.') : fields.map((field) => field.element),
  );
  return {
    element: fieldset,
    values() {
      const values = {};
      for (const field of fields) {
        const value = field.value();
        if (value !== undefined) values[field.name] = value;
      }
      return values;
    },
  };
}

function parameterField(parameter) {
  const id = `parameter-${parameter.name}`;
  const hintId = `${id}-hint`;
  const hasDefault = parameter.default !== undefined;
  const hints = [];
  if (parameter.description) hints.push(parameter.description);
  if (parameter.secure) hints.push(hasDefault ? 'Secure: leave empty to keep the hidden default.' : 'Secure: the value is masked in logs and history.');
  else if (hasDefault) hints.push(`Default: ${String(parameter.default)}`);
  if (parameter.type) hints.push(`type ${parameter.type}`);

  const common = { id, name: parameter.name, 'aria-describedby': hints.length > 0 ? hintId : null, required: parameter.required && !hasDefault };
  let input;
  let read;
  if (parameter.type === 'boolean' && !parameter.secure) {
    input = element(
      'select',
      common,
      element('option', { value: '' }, hasDefault ? `default (${String(parameter.default)})` : '— not set —'),
      element('option', { value: 'true' }, 'true'),
      element('option', { value: 'false' }, 'false'),
    );
    read = () => (input.value === '' ? undefined : input.value === 'true');
  } else if (parameter.secure) {
    input = element('input', { ...common, type: 'password', autocomplete: 'off', spellcheck: 'false' });
    read = () => (input.value === '' ? undefined : input.value);
  } else {
    const numeric = parameter.type === 'integer' || parameter.type === 'number';
    input = element('input', {
      ...common,
      type: numeric ? 'number' : 'text',
      step: parameter.type === 'integer' ? '1' : numeric ? 'any' : null,
      inputmode: parameter.type === 'integer' ? 'numeric' : null,
      value: hasDefault ? String(parameter.default) : null,
      spellcheck: 'false',
    });
    read = () => {
      const text = input.value;
      if (hasDefault ? text === String(parameter.default) : text === '') return undefined;
      return numeric && text !== '' ? Number(text) : text;
    };
  }
  const label = element(
    'label',
    { for: id },
    element('span', { class: 'parameter-name' }, parameter.name),
    parameter.required ? element('span', { class: 'required-tag' }, ' (required)') : null,
    parameter.secure ? element('span', { class: 'secure-tag' }, ' (secure)') : null,
  );
  return {
    name: parameter.name,
    element: element('div', { class: 'field', 'data-parameter': parameter.name }, label, input, hints.length > 0 ? element('p', { class: 'hint', id: hintId }, hints.join(' · ')) : null),
    value: read,
  };
}
