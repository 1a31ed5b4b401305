/**
 * Templates (SPEC §6): component attributes evaluated per input record. `*{field}` is the
 * current record's field as text, `*{dict.NAME}` a dictionary entry; encoders `:url`
 * (percent-encoding) and `:json` (a JSON string literal, non-ASCII escaped as \uXXXX so it is
 * safe inside an HTTP header). A template is compiled once into a list of parts; rendering is
 * a loop of string concatenations.
 */
import { TrefoilError } from '../errors/trefoil-error.ts';
import type { DataRecord, RecordType } from '../metadata/record-type.ts';
import { valueToText } from '../metadata/value-text.ts';

export type TemplateEncoder = 'url' | 'json';

export interface Template {
  readonly source: string;
  /** True when there are no placeholders: `render` always returns `source`. */
  readonly constant: boolean;
  /** Field names referenced (for validation and docs). */
  readonly fields: readonly string[];
  render(record: DataRecord | null, dictionary?: Record<string, unknown>): string;
}

const PLACEHOLDER = /\*\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*(?::\s*(url|json)\s*)?\}/g;

type Part = string | ((record: DataRecord | null, dictionary: Record<string, unknown> | undefined) => string);

/**
 * Compiles a template. With `metadata`, unknown field names are an error now rather than at
 * the first record.
 */
export function compileTemplate(source: string, metadata?: RecordType): Template {
  const parts: Part[] = [];
  const fields: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    last = match.index + match[0].length;
    const reference = match[1]!;
    const encode = encoderFor(match[2] as TemplateEncoder | undefined);
    if (reference.startsWith('dict.')) {
      const name = reference.slice(5);
      parts.push((_record, dictionary) => encode(valueToText(dictionary?.[name])));
    } else {
      if (metadata && !metadata.has(reference)) {
        throw new TrefoilError(
          'TREFOIL_ERR_GRAPH_TEMPLATE_FIELD',
          `template ${JSON.stringify(source)} refers to field ${reference}, which metadata ${metadata.name} does not have (fields: ${metadata.fieldNames.join(', ')})`,
        );
      }
      fields.push(reference);
      parts.push((record) => encode(valueToText(record?.[reference])));
    }
  }
  if (last < source.length) parts.push(source.slice(last));
  const constant = parts.every((part) => typeof part === 'string');
  if (constant) return { source, constant, fields, render: () => source };
  if (parts.length === 1) {
    const only = parts[0] as Exclude<Part, string>;
    return { source, constant, fields, render: (record, dictionary) => only(record, dictionary) };
  }
  return {
    source,
    constant,
    fields,
    render(record, dictionary) {
      let text = '';
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        text += typeof part === 'string' ? part : part(record, dictionary);
      }
      return text;
    },
  };
}

/** Names referenced by `*{...}` placeholders, without compiling (for validation). */
export function templateReferences(source: string): { fields: string[]; dictionary: string[] } {
  const fields: string[] = [];
  const dictionary: string[] = [];
  for (const match of source.matchAll(PLACEHOLDER)) {
    const reference = match[1]!;
    if (reference.startsWith('dict.')) dictionary.push(reference.slice(5));
    else fields.push(reference);
  }
  return { fields, dictionary };
}

function encoderFor(encoder: TemplateEncoder | undefined): (text: string) => string {
  switch (encoder) {
    case 'url':
      return encodeURIComponent;
    case 'json':
      return jsonStringAsciiSafe;
    default:
      return (text) => text;
  }
}

/** A JSON string literal with every non-ASCII character (and DEL) escaped as \uXXXX. */
export function jsonStringAsciiSafe(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
