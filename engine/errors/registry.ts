/**
 * The one registry of error codes. Each area of the engine declares its codes in a module of
 * its own (`codes-*.ts`, one object per area) and this file joins them, so adding an area
 * never edits another's list. A test pins that every code is documented with how to fix it.
 *
 * Codes are stable: `TREFOIL_ERR_<AREA>_<WHAT>`. Never rename one; add a new one instead.
 */
import type { CodeDoc } from './define-codes.ts';
import { GRAPH_CODES } from './codes-graph.ts';
import { RUNTIME_CODES } from './codes-runtime.ts';
import { RENDER_CODES } from './codes-render.ts';
import { VALUE_CODES } from './codes-value.ts';
import { HTTP_CODES } from './codes-http.ts';
import { PARAMS_CODES } from './codes-params.ts';
import { SERVER_CODES } from './codes-server.ts';
import { CSV_CODES } from './codes-csv.ts';
import { JSON_CODES } from './codes-json.ts';
import { FILES_CODES } from './codes-files.ts';


export const ERROR_CODES = {
  ...GRAPH_CODES,
  ...RUNTIME_CODES,
  ...RENDER_CODES,
  ...VALUE_CODES,
  ...HTTP_CODES,
  ...PARAMS_CODES,
  ...SERVER_CODES,
  ...CSV_CODES,
  ...JSON_CODES,
  ...FILES_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function describeCode(code: ErrorCode): CodeDoc {
  return ERROR_CODES[code];
}
