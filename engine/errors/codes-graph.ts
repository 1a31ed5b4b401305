/** Codes for problems found while loading and validating a graph (exit status 2). */
import { defineCodes } from './define-codes.ts';

export const GRAPH_CODES = defineCodes({
  TREFOIL_ERR_GRAPH_YAML: {
    summary: 'The file is not valid YAML.',
    fix: 'Correct the YAML syntax at the reported position (indentation, quoting, a missing colon).',
  },
});
