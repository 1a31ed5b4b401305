/**
 * HTTPConnector's output records (SPEC §7): fields filled by name from the input record, then
 * from the response — `statusCode`, `headers`, `content`, `contentBytes`, `file`, `url`,
 * `durationMs` — only those the output metadata has, each converted to the field's type. The
 * plan (which fields, which conversions) is made once per run; building a record is a loop over
 * precomputed names and setters.
 */
import type { FieldDef } from '../../engine/metadata/field.ts';
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import type { HttpResponse } from './http-response.ts';

/** The response fields an output record may have, with the field types each may be declared as. */
const RESPONSE_FIELD_TYPES = {
  statusCode: ['integer', 'long', 'number', 'string'],
  headers: ['string map', 'variant', 'string'],
  content: ['string'],
  contentBytes: ['bytes'],
  file: ['string'],
  url: ['string'],
  durationMs: ['integer', 'long', 'number'],
} as const;

/** Names of the response fields. */
export type ResponseFieldName = keyof typeof RESPONSE_FIELD_TYPES;

/** The fields an error-port record gets besides the input's, with their allowed types. */
const ERROR_FIELD_TYPES = {
  errorMessage: ['string'],
  statusCode: ['integer', 'long', 'number', 'string'],
  url: ['string'],
  content: ['string'],
} as const;

function typeName(field: FieldDef): string {
  return field.container === undefined ? field.type : `${field.type} ${field.container}`;
}

function checkTypes(metadata: RecordType, allowed: Readonly<Record<string, readonly string[]>>, role: string): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(allowed)) {
    const field = metadata.field(name);
    if (field === undefined || allowed[name]!.includes(typeName(field))) continue;
    problems.push(
      `field ${name} of metadata ${metadata.name} is ${typeName(field)}, but HTTPConnector fills it with ${role}: declare it as ${allowed[name]!.join(' or ')}`,
    );
  }
  return problems;
}

/** Type problems of the response fields in an output metadata (one message each). */
export function checkResponseFieldTypes(metadata: RecordType): string[] {
  return checkTypes(metadata, RESPONSE_FIELD_TYPES, 'the response');
}

/** Type problems of the error fields in an error-port metadata. */
export function checkErrorFieldTypes(metadata: RecordType): string[] {
  return checkTypes(metadata, ERROR_FIELD_TYPES, 'the failure');
}

type Setter = (record: DataRecord, response: HttpResponse) => void;

/** A converter from a number to the field's representation. */
function numberSetter(name: string, field: FieldDef, read: (response: HttpResponse) => number): Setter {
  if (field.type === 'string') return (record, response) => void (record[name] = String(read(response)));
  if (field.type === 'number') return (record, response) => void (record[name] = read(response));
  return (record, response) => void (record[name] = Math.round(read(response)));
}

function setterFor(name: ResponseFieldName, field: FieldDef): Setter {
  switch (name) {
    case 'statusCode':
      return numberSetter(name, field, (response) => response.statusCode);
    case 'durationMs':
      return numberSetter(name, field, (response) => response.durationMs);
    case 'headers':
      // The response's header object is fresh per response, plain, with string values.
      return field.type === 'string' && field.container === undefined
        ? (record, response) => void (record.headers = JSON.stringify(response.headers))
        : (record, response) => void (record.headers = response.headers);
    case 'content':
      return (record, response) => void (record.content = response.content ?? null);
    case 'contentBytes':
      return (record, response) => void (record.contentBytes = response.contentBytes ?? null);
    case 'file':
      return (record, response) => void (record.file = response.file ?? null);
    case 'url':
      return (record, response) => void (record.url = response.url);
  }
}

/** Builds output records for one output metadata and (optionally) one input metadata. */
export class ResponseRecordBuilder {
  readonly #output: RecordType;
  /** Input field names the output also has, copied first. */
  readonly #copied: readonly string[];
  readonly #setters: readonly Setter[];
  /** The response fields the output has. */
  readonly wants: ReadonlySet<ResponseFieldName>;

  constructor(output: RecordType, input: RecordType | undefined) {
    this.#output = output;
    this.#copied = input === undefined ? [] : input.fieldNames.filter((name) => output.has(name));
    const wants = new Set<ResponseFieldName>();
    const setters: Setter[] = [];
    for (const name of Object.keys(RESPONSE_FIELD_TYPES) as ResponseFieldName[]) {
      const field = output.field(name);
      if (field === undefined) continue;
      wants.add(name);
      setters.push(setterFor(name, field));
    }
    this.wants = wants;
    this.#setters = setters;
  }

  /** The output record for `response` to the request made for `input`. */
  build(input: DataRecord | null, response: HttpResponse): DataRecord {
    const record = this.#output.create();
    if (input !== null) {
      const copied = this.#copied;
      for (let i = 0; i < copied.length; i++) record[copied[i]!] = input[copied[i]!];
    }
    const setters = this.#setters;
    for (let i = 0; i < setters.length; i++) setters[i]!(record, response);
    return record;
  }
}
