/** The error for a query that is not valid RFC 9535 JSONPath, positioned at the offending character. */
import { TrefoilError } from '../../../engine/errors/trefoil-error.ts';

export class JsonPathSyntaxError extends TrefoilError {
  /** The query as written. */
  readonly query: string;
  /** 1-based position (UTF-16 code units) of the character where the query stops being valid. */
  readonly column: number;

  /**
   * @param index 0-based index into `query` of the offending character (`query.length` = at the end).
   * @param problem what is wrong there, starting lower-case (`expected ']'`).
   */
  constructor(query: string, index: number, problem: string) {
    super('TREFOIL_ERR_JSON_PATH_INVALID', `Invalid JSONPath ${JSON.stringify(query)} at character ${index + 1}: ${problem}`);
    this.name = 'JsonPathSyntaxError';
    this.query = query;
    this.column = index + 1;
  }
}
