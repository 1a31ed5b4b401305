/**
 * Builds records from rows of text values (CSV columns), converting each value with its field's
 * text codec (engine/metadata/text-codec.ts). Compiled once per file header: a slot per column
 * says which field it fills and how to parse it, so building a record is one loop with no lookups.
 *
 * Rules (SPEC §2, §7): an empty unquoted value (null) and a missing column leave the field at its
 * `default` (or null); text that parses to null (blank text in a non-string field) does the same.
 * Columns the metadata does not name are ignored. Values beyond the last column are a problem
 * unless they are empty (a trailing delimiter).
 */
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import { compileTextCodec } from '../../engine/metadata/text-codec.ts';
import { conversionMessage, RecordProblem } from './record-problem.ts';

interface ColumnSlot {
  readonly name: string;
  readonly parse: (text: string) => unknown;
}

export class TextRecordBuilder {
  readonly #metadata: RecordType;
  readonly #lenient: boolean;
  readonly #parsers: ReadonlyMap<string, (text: string) => unknown>;
  /** Fields that may not be null and have no default: checked after the values are in. */
  readonly #required: readonly string[];
  /** Per column: the field it fills, or undefined for an ignored column. */
  #slots: (ColumnSlot | undefined)[] = [];
  /** How many columns a row is expected to have at most. */
  #columnCount = 0;
  /** A map field that receives every column by its header name (see `collectColumnsInto`). */
  #columnsField: string | undefined;
  #columnNames: readonly (string | null)[] = [];

  /**
   * @param lenient a value that does not convert leaves its field at the default (or null)
   *   instead of failing the record
   * @throws TrefoilError for a field whose `format` or `timeZone` cannot be compiled
   */
  constructor(metadata: RecordType, lenient: boolean) {
    this.#metadata = metadata;
    this.#lenient = lenient;
    this.#parsers = new Map(metadata.fields.map((field) => [field.name, compileTextCodec(field).parse]));
    this.#required = metadata.fields.filter((field) => !field.nullable && (field.default === undefined || field.default === null)).map((field) => field.name);
    this.mapByPosition();
  }

  /**
   * Every column also goes into the map field `name`, keyed by its header name, as text (null
   * for an empty unquoted value): for files whose columns are not known in advance.
   */
  collectColumnsInto(name: string): void {
    this.#columnsField = name;
  }

  /** Column N fills field N (CSV without a header row). */
  mapByPosition(): void {
    this.#slots = this.#metadata.fields.map((field) => ({ name: field.name, parse: this.#parsers.get(field.name)! }));
    this.#columnCount = this.#slots.length;
  }

  /**
   * Columns fill the fields their header names (the first column of a repeated name wins).
   * @returns how many fields some column fills (0 suggests the file has no header row)
   */
  mapByName(header: readonly (string | null)[]): number {
    const seen = new Set<string>();
    this.#columnNames = header;
    this.#slots = header.map((name) => {
      if (name === null || seen.has(name) || !this.#metadata.has(name)) return undefined;
      seen.add(name);
      return { name, parse: this.#parsers.get(name)! };
    });
    this.#columnCount = header.length;
    return seen.size;
  }

  /**
   * A fresh record from one row's values (`null` = empty unquoted value).
   * @throws RecordProblem naming the field whose value does not convert, a non-nullable field left
   *   empty, or a row with more (non-empty) values than columns
   */
  build(values: readonly (string | null)[]): DataRecord {
    const record = this.#metadata.create();
    const slots = this.#slots;
    const count = values.length < slots.length ? values.length : slots.length;
    for (let column = 0; column < count; column++) {
      const slot = slots[column];
      const text = values[column];
      if (slot === undefined || text === null || text === undefined) continue;
      let value: unknown;
      try {
        value = slot.parse(text);
      } catch (error) {
        if (this.#lenient) continue;
        throw new RecordProblem(slot.name, conversionMessage(error));
      }
      if (value !== null) record[slot.name] = value;
    }
    if (values.length > this.#columnCount) this.#checkExtraValues(values);
    if (this.#columnsField !== undefined) record[this.#columnsField] = this.#columnMap(values);
    const required = this.#required;
    for (let k = 0; k < required.length; k++) {
      const name = required[k]!;
      if (record[name] === null) throw new RecordProblem(name, 'is empty, but the field is not nullable and has no default');
    }
    return record;
  }

  #columnMap(values: readonly (string | null)[]): Record<string, string | null> {
    const names = this.#columnNames;
    const map: Record<string, string | null> = {};
    for (let column = 0; column < names.length; column++) {
      const name = names[column];
      if (name !== null && name !== undefined && !Object.hasOwn(map, name)) map[name] = values[column] ?? null;
    }
    return map;
  }

  #checkExtraValues(values: readonly (string | null)[]): void {
    for (let column = this.#columnCount; column < values.length; column++) {
      if (values[column] !== null && values[column] !== '') {
        throw new RecordProblem(null, `the row has ${values.length} values, but only ${this.#columnCount} columns are expected`);
      }
    }
  }
}
