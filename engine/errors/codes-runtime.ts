/** Codes for failures while a graph runs (exit status 1). */
import { defineCodes } from './define-codes.ts';

export const RUNTIME_CODES = defineCodes({
  TREFOIL_ERR_RUN_COMPONENT: {
    summary: 'A component failed.',
    fix: 'Read the message: it names the component, and the record number where known.',
  },
});
