/**
 * Why one input record could not become a record of the output metadata. Thrown by the record
 * builders and caught by the format readers, which hand it to the data policy
 * (see record-emitter.ts); it never escapes a component.
 */
export class RecordProblem extends Error {
  /** The field whose value failed, or null for a problem with the whole record (a malformed row). */
  readonly fieldName: string | null;

  constructor(fieldName: string | null, message: string) {
    super(message);
    this.name = 'RecordProblem';
    this.fieldName = fieldName;
  }
}

/** The message of a conversion failure, without the "TrefoilError:" decoration. */
export function conversionMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
