/**
 * Builds the record of one JSONExtract match, for one mapping entry and its port's metadata.
 * Fields are filled in this order, a later source overriding an earlier one:
 *
 * 1. `inputFields: true`: the input record's field of the same name;
 * 2. the matched object's member of the same name (fields not named in `fields`, `parentKey` or
 *    `sequenceField`; a missing or `null` member leaves the field as it is);
 * 3. `fields`: the value of the relative JSONPath (selecting nothing or `null` leaves the field);
 * 4. `parentKey`: the parent mapping's record field (the input record's at the top level);
 * 5. `sequenceField`: the match's 1-based position among its siblings.
 *
 * A value that does not convert to its field's type leaves the field null (or its default) and
 * is remembered as the record's `problem` (the first one); a non-nullable field left null is its
 * `missing` problem. The caller applies the data policy.
 */
import type { DataRecord, RecordType } from '../../engine/metadata/record-type.ts';
import type { FieldDef } from '../../engine/metadata/field.ts';
import type { MappingPlan } from './extract-mapping.ts';
import { compileFieldCopy, compileJsonToField, type FieldCopy, type JsonToField } from './field-conversion.ts';
import type { FieldPath } from './field-path.ts';
import { isJsonObject, type JsonValue } from './json-value.ts';

/** Why a match's record is not clean. */
export interface MatchProblem {
  /** The field at fault (always known for a match). */
  readonly fieldName: string;
  readonly message: string;
}

interface CopySlot {
  readonly name: string;
  readonly from: string;
  readonly copy: FieldCopy;
}

interface MemberSlot {
  readonly name: string;
  readonly convert: JsonToField;
  /** The name is also an Object.prototype member (`constructor`…): read own properties only. */
  readonly ownOnly: boolean;
}

interface PathSlot {
  readonly name: string;
  readonly path: FieldPath;
  readonly convert: JsonToField;
  /** A non-singular path's nodelist goes into the field as an array (list and variant fields). */
  readonly takesArray: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;

export class MatchRecordBuilder {
  /** The first conversion problem of the last `build`, or null. */
  problem: MatchProblem | null = null;
  /** The first non-nullable field the last `build` left null, or null. */
  missing: MatchProblem | null = null;
  /**
   * The members of a matched object `build` reads (by name and as the first step of a path), or
   * null when a path may read anything (`$`, `$[0]`, `$..x`).
   */
  readonly members: readonly string[] | null;

  readonly #create: () => DataRecord;
  readonly #inputSlots: readonly CopySlot[];
  readonly #memberSlots: readonly MemberSlot[];
  readonly #pathSlots: readonly PathSlot[];
  readonly #parentSlots: readonly CopySlot[];
  readonly #sequence: { readonly name: string; readonly convert: JsonToField } | null;
  readonly #required: readonly string[];

  /**
   * @param metadata the record type of the plan's port
   * @param parentMetadata the parent mapping's port metadata (the input's at the top level), for parentKey
   * @param inputMetadata the input edge's metadata when `inputFields` copies its fields, else undefined
   */
  constructor(plan: MappingPlan, metadata: RecordType, parentMetadata: RecordType | undefined, inputMetadata: RecordType | undefined) {
    this.#create = metadata.create;
    const explicit = new Set<string>([...plan.fields.keys(), ...plan.parentKey.map(([child]) => child)]);
    if (plan.sequenceField !== null) explicit.add(plan.sequenceField);
    const field = (name: string): FieldDef => metadata.field(name)!;

    this.#inputSlots = inputMetadata === undefined
      ? []
      : metadata.fields.filter((f) => inputMetadata.has(f.name)).map((f) => ({ name: f.name, from: f.name, copy: compileFieldCopy(inputMetadata.field(f.name)!, f) }));
    this.#memberSlots = metadata.fields
      .filter((f) => !explicit.has(f.name))
      .map((f) => ({ name: f.name, convert: compileJsonToField(f), ownOnly: f.name in Object.prototype }));
    this.#pathSlots = [...plan.fields].map(([name, path]) => {
      const f = field(name);
      return { name, path, convert: compileJsonToField(f), takesArray: f.container === 'list' || (f.type === 'variant' && f.container === undefined) };
    });
    this.#parentSlots = parentMetadata === undefined
      ? []
      : plan.parentKey.map(([child, source]) => ({ name: child, from: source, copy: compileFieldCopy(parentMetadata.field(source)!, field(child)) }));
    this.#sequence = plan.sequenceField === null ? null : { name: plan.sequenceField, convert: compileJsonToField(field(plan.sequenceField)) };
    this.#required = metadata.fields.filter((f) => !f.nullable && (f.default === undefined || f.default === null)).map((f) => f.name);
    const firstNames = this.#pathSlots.map((slot) => slot.path.firstName);
    this.members = firstNames.includes(null) ? null : [...new Set([...this.#memberSlots.map((slot) => slot.name), ...(firstNames as string[])])];
  }

  /** True when `build` reads the parent record (the plan has a parentKey). */
  get usesParent(): boolean {
    return this.#parentSlots.length > 0;
  }

  /**
   * A fresh record for the match `value` (see the module comment); check `problem` and
   * `missing` afterwards.
   */
  build(value: JsonValue, position: number, parentRecord: DataRecord | null, inputRecord: DataRecord | null): DataRecord {
    this.problem = null;
    this.missing = null;
    const record = this.#create();

    if (inputRecord !== null) this.#copy(this.#inputSlots, inputRecord, record);

    if (typeof value === 'object' && value !== null && isJsonObject(value)) {
      const slots = this.#memberSlots;
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[k]!;
        const member = slot.ownOnly && !hasOwn.call(value, slot.name) ? undefined : value[slot.name];
        if (member === undefined || member === null) continue;
        this.#set(record, slot.name, slot.convert, member);
      }
    }

    const paths = this.#pathSlots;
    for (let k = 0; k < paths.length; k++) {
      const slot = paths[k]!;
      if (slot.path.singular) {
        const selected = slot.path.read(value);
        if (selected !== undefined && selected !== null) this.#set(record, slot.name, slot.convert, selected);
        continue;
      }
      const values = slot.path.values(value);
      if (slot.takesArray) this.#set(record, slot.name, slot.convert, values);
      else if (values.length === 1) {
        if (values[0] !== null) this.#set(record, slot.name, slot.convert, values[0]!);
      } else if (values.length > 1) {
        this.problem ??= { fieldName: slot.name, message: `${slot.path.text} selects ${values.length} values; map it into a list or variant field, or make the path select one` };
      }
    }

    if (parentRecord !== null) this.#copy(this.#parentSlots, parentRecord, record);
    if (this.#sequence !== null) this.#set(record, this.#sequence.name, this.#sequence.convert, position);

    const required = this.#required;
    for (let k = 0; k < required.length; k++) {
      const name = required[k]!;
      if (record[name] === null) {
        this.missing = { fieldName: name, message: 'is missing or null, but the field is not nullable and has no default' };
        break;
      }
    }
    return record;
  }

  #set(record: DataRecord, name: string, convert: JsonToField, json: JsonValue): void {
    try {
      const converted = convert(json);
      if (converted !== null) record[name] = converted;
    } catch (error) {
      this.problem ??= { fieldName: name, message: error instanceof Error ? error.message : String(error) };
    }
  }

  #copy(slots: readonly CopySlot[], from: DataRecord, record: DataRecord): void {
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const value = from[slot.from];
      if (value === null || value === undefined) continue;
      try {
        record[slot.name] = slot.copy(value);
      } catch (error) {
        this.problem ??= { fieldName: slot.name, message: error instanceof Error ? error.message : String(error) };
      }
    }
  }
}
