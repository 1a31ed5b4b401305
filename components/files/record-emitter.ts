/**
 * Where a reader's records go: the output port, with `skipRows` (per file) and `numRecords`
 * (in total) applied, and bad records handled by the data policy (SPEC §2):
 *
 * | policy     | a record that does not convert                                                   |
 * |------------|----------------------------------------------------------------------------------|
 * | strict     | fails the component (TREFOIL_ERR_FILES_DATA, naming file, record and field)       |
 * | controlled | goes to the error port (`recordNo, fieldName, originalData, errorMessage, source`), or is logged and skipped when no error port is connected |
 * | lenient    | bad fields are left null (or their default) by the record builders; a record that is bad as a whole (malformed JSON, a non-nullable field left empty) is logged and skipped |
 *
 * Everything here runs synchronously inside the format parsers' callbacks; `room` tells the
 * reader loop to await `ready()` before feeding more bytes.
 */
import type { Logger } from 'pino';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { ErrorCode } from '../../engine/errors/registry.ts';
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';
import type { RecordProblem } from './record-problem.ts';

export type DataPolicy = 'strict' | 'controlled' | 'lenient';

/** The fields of a reader's error port (SPEC §2). */
export const READER_ERROR_FIELDS = {
  recordNo: 'long',
  fieldName: 'string',
  originalData: 'string',
  errorMessage: 'string',
  source: 'string',
} as const;

export interface RecordEmitterOptions {
  readonly output: OutputPort;
  /** The error port, when connected. */
  readonly errorPort: OutputPort | undefined;
  readonly policy: DataPolicy;
  readonly log: Logger;
  /** Records skipped at the start of each file. */
  readonly skipRows: number;
  /** Records emitted at most, over all files. */
  readonly numRecords: number | undefined;
  /** Builds an error-port record (the context's `errorRecord`). */
  readonly errorRecord: (port: OutputPort, input: DataRecord | null, extra: Record<string, unknown>) => DataRecord;
}

export class RecordEmitter {
  /** 1-based number of the current record in the current file (skipped records count). */
  recordNo = 0;
  /** The file being read. */
  source = '';
  /** False once an output edge is full: await `ready()` before producing more. */
  room = true;
  readonly #options: RecordEmitterOptions;
  readonly #output: OutputPort;
  readonly #skipRows: number;
  /** Records still to emit before `numRecords` is reached. */
  #remaining: number;

  constructor(options: RecordEmitterOptions) {
    this.#options = options;
    this.#output = options.output;
    this.#skipRows = options.skipRows;
    this.#remaining = options.numRecords ?? Number.POSITIVE_INFINITY;
  }

  /** True once `numRecords` records were emitted, or the output's reader has gone. */
  get done(): boolean {
    return this.#remaining <= 0 || this.#output.closed;
  }

  startFile(source: string): void {
    this.source = source;
    this.recordNo = 0;
  }

  /** Counts the next record of the file; false when it is to be left out (skipRows, numRecords). */
  admit(): boolean {
    return ++this.recordNo > this.#skipRows && this.#remaining > 0;
  }

  emit(record: DataRecord): void {
    this.#remaining--;
    if (!this.#output.write(record)) this.room = false;
  }

  /**
   * Applies the data policy to a bad record.
   * @throws TrefoilError under `strict` (`code` defaults to TREFOIL_ERR_FILES_DATA)
   */
  reject(problem: Pick<RecordProblem, 'fieldName' | 'message'>, originalData: string, code: ErrorCode = 'TREFOIL_ERR_FILES_DATA'): void {
    const { policy, errorPort, log } = this.#options;
    const where = `${this.source}: record ${this.recordNo}${problem.fieldName !== null ? `, field ${problem.fieldName}` : ''}`;
    if (policy === 'strict') {
      throw new TrefoilError(code, `${where}: ${problem.message}`, { file: this.source, recordNo: this.recordNo });
    }
    if (policy === 'controlled' && errorPort !== undefined) {
      const record = this.#options.errorRecord(errorPort, null, {
        recordNo: this.recordNo,
        fieldName: problem.fieldName,
        originalData,
        errorMessage: problem.message,
        source: this.source,
      });
      if (!errorPort.write(record)) this.room = false;
      return;
    }
    log.warn({ file: this.source, recordNo: this.recordNo, fieldName: problem.fieldName }, `record skipped (dataPolicy ${policy}): ${where}: ${problem.message}`);
  }

  /** Resolves when every output has room again. */
  async ready(): Promise<void> {
    this.room = true;
    await this.#output.ready();
    if (this.#options.errorPort !== undefined) await this.#options.errorPort.ready();
  }
}
