/**
 * Builds records from JSON objects (JSON Lines, elements of a JSON array): each field takes the
 * member of the same name, converted with its field's JSON codec (engine/metadata/text-codec.ts),
 * which keeps long and decimal digits exact when the parser delivered them exactly (bigint,
 * ExactNumber). Missing members and `null` leave the field at its `default` (or null); members
 * the metadata does not name are ignored.
 */
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import { compileJsonCodec } from '../../engine/metadata/text-codec.ts';
import { conversionMessage, RecordProblem } from './record-problem.ts';

interface MemberSlot {
  readonly name: string;
  readonly fromJson: (json: unknown) => unknown;
  /** The name is also an Object.prototype member (`constructor`…): read own properties only. */
  readonly ownOnly: boolean;
}

export class JsonRecordBuilder {
  readonly #metadata: RecordType;
  readonly #lenient: boolean;
  readonly #slots: readonly MemberSlot[];
  readonly #required: readonly string[];

  /** @param lenient a member that does not convert leaves its field at the default (or null) */
  constructor(metadata: RecordType, lenient: boolean) {
    this.#metadata = metadata;
    this.#lenient = lenient;
    this.#slots = metadata.fields.map((field) => ({
      name: field.name,
      fromJson: compileJsonCodec(field).fromJson,
      ownOnly: field.name in Object.prototype,
    }));
    this.#required = metadata.fields.filter((field) => !field.nullable && (field.default === undefined || field.default === null)).map((field) => field.name);
  }

  /**
   * A fresh record from one JSON value.
   * @throws RecordProblem when the value is not an object, a member does not convert, or a
   *   non-nullable field stays empty
   */
  build(json: unknown): DataRecord {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new RecordProblem(null, `expected a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
    }
    const object = json as Record<string, unknown>;
    const record = this.#metadata.create();
    const slots = this.#slots;
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const member = slot.ownOnly && !Object.hasOwn(object, slot.name) ? undefined : object[slot.name];
      if (member === undefined || member === null) continue;
      let value: unknown;
      try {
        value = slot.fromJson(member);
      } catch (error) {
        if (this.#lenient) continue;
        throw new RecordProblem(slot.name, conversionMessage(error));
      }
      if (value !== null) record[slot.name] = value;
    }
    const required = this.#required;
    for (let k = 0; k < required.length; k++) {
      const name = required[k]!;
      if (record[name] === null) throw new RecordProblem(name, 'is missing or null, but the field is not nullable and has no default');
    }
    return record;
  }
}
