/**
 * `format: jsonl` and `format: json` of FileWriter: each record as one JSON object with the
 * fields in metadata order; long and decimal values as exact JSON numbers (`12345678901234567890`,
 * `0.30`), dates as ISO-8601 strings (or the field's `format`), bytes base64, null as `null`
 * (engine/metadata/text-codec.ts `writeJson`). jsonl writes one object per line; json writes one
 * array, one element per line (`[]` when there are no records).
 */
import type { FieldDef } from '../../engine/metadata/field.ts';
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import { compileJsonCodec } from '../../engine/metadata/text-codec.ts';
import { isoInstantText } from './iso-instant-text.ts';
import type { RecordFormat } from './record-format.ts';

/** JSON text of one field's values; strings and unformatted dates take a shorter path. */
function valueWriter(field: FieldDef): (value: unknown) => string {
  const scalar = field.container === undefined;
  if (scalar && field.type === 'string') return (value) => (value === null || value === undefined ? 'null' : JSON.stringify(value));
  if (scalar && field.type === 'date' && (field.format === undefined || field.format === '')) {
    return (value) => (value === null || value === undefined ? 'null' : `"${isoInstantText(value as Date)}"`);
  }
  return compileJsonCodec(field).writeJson;
}

/**
 * @param valueField write this field's JSON value per record instead of an object of all fields
 *   (a map or variant field becomes the object itself)
 */
export function createJsonRecordFormat(metadata: RecordType, array: boolean, lineEnding: '\n' | '\r\n', valueField?: string): RecordFormat {
  const names = metadata.fieldNames;
  // `{"id":`, `,"name":` … computed once.
  const prefixes = names.map((name, k) => `${k === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const writers = metadata.fields.map((field) => valueWriter(field));
  const count = names.length;
  const single = valueField === undefined ? undefined : valueWriter(metadata.field(valueField)!);
  const object = (record: DataRecord): string => {
    if (single !== undefined) return single(record[valueField!]);
    if (count === 0) return '{}';
    let text = '';
    for (let k = 0; k < count; k++) text += prefixes[k]! + writers[k]!(record[names[k]!]);
    return text + '}';
  };
  if (!array) {
    return { begin: () => '', format: (record) => object(record) + lineEnding, end: () => '' };
  }
  return {
    begin: () => '[',
    format: (record, index) => (index === 0 ? lineEnding : ',' + lineEnding) + object(record),
    end: (records) => (records === 0 ? ']' : lineEnding + ']') + lineEnding,
  };
}
