/**
 * Every error Trefoil reports to a user is a TrefoilError with a stable code from the registry
 * (see `registry.ts`). The message is one clear line; structured fields say where.
 */
import { describeCode, type ErrorCode } from './registry.ts';

/** Where a problem is: a YAML node, a component, a record. All optional. */
export interface ErrorLocation {
  /** File the problem is in (graph file, params file, data file). */
  file?: string;
  /** 1-based line and column of the offending YAML node or data. */
  line?: number;
  column?: number;
  /** Component id and type, for runtime errors. */
  component?: string;
  componentType?: string;
  /** 1-based record number, where known. */
  recordNo?: number;
  /** Byte offset into a data source, where known. */
  offset?: number;
}

export class TrefoilError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrefoilError';
    this.code = code;
    this.location = location;
  }

  /** How to fix it, from the registry. */
  get fix(): string {
    return describeCode(this.code).fix;
  }
}

/** True for errors that carry a registered code. */
export function isTrefoilError(error: unknown): error is TrefoilError {
  return error instanceof TrefoilError;
}
