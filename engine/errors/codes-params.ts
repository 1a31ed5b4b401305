/**
 * Codes for parameters, params files and secure values (SPEC §4). Problems found while resolving
 * a graph's parameters make the graph invalid (exit status 2).
 */
import { defineCodes } from './define-codes.ts';

export const PARAMS_CODES = defineCodes({
  TREFOIL_ERR_PARAMS_MASTER_PASSWORD_MISSING: {
    summary: 'A secure value (enc:v1:…) must be encrypted or decrypted but no master password is set.',
    fix: 'Set the environment variable TREFOIL_MASTER_PASSWORD to the master password the values were encrypted with.',
  },
  TREFOIL_ERR_PARAMS_WRONG_MASTER_PASSWORD: {
    summary: 'A secure value could not be decrypted: the master password is wrong or the value was altered.',
    fix: 'Check TREFOIL_MASTER_PASSWORD; if it is right, the stored value was changed — store it again with `trefoil params set FILE NAME --secure`.',
  },
  TREFOIL_ERR_PARAMS_SECURE_VALUE_MALFORMED: {
    summary: 'A value starting with enc: is not a well-formed enc:v1:<base64> secure value.',
    fix: 'Store the value again with `trefoil params set FILE NAME --secure`; do not edit encrypted values by hand.',
  },
  TREFOIL_ERR_PARAMS_FILE_UNREADABLE: {
    summary: 'A params file could not be read.',
    fix: 'Check the path given to --params (relative paths resolve against the working directory) and its permissions.',
  },
  TREFOIL_ERR_PARAMS_FILE_WRITE: {
    summary: 'A params file could not be written.',
    fix: 'Check that the directory exists and is writable; the original file is left unchanged.',
  },
  TREFOIL_ERR_PARAMS_FILE_YAML: {
    summary: 'A params file is not valid YAML.',
    fix: 'Correct the YAML syntax at the reported position; a params file is a map of NAME: value lines.',
  },
  TREFOIL_ERR_PARAMS_FILE_NOT_MAP: {
    summary: 'A params file is not a YAML map of NAME: value.',
    fix: 'Write one `NAME: value` entry per line at the top level of the file.',
  },
  TREFOIL_ERR_PARAMS_FILE_VALUE: {
    summary: 'A params file value is a list or map; parameter values are scalars.',
    fix: 'Give the parameter a single string, number or boolean value (quote it if it contains YAML syntax).',
  },
  TREFOIL_ERR_PARAMS_NAME_INVALID: {
    summary: 'A parameter name is not a valid name.',
    fix: 'Use letters, digits and underscores, not starting with a digit (e.g. OUT_DIR).',
  },
  TREFOIL_ERR_PARAMS_DECLARATION: {
    summary: 'A parameter declaration under `parameters:` is malformed.',
    fix: 'Use `NAME: default` or `NAME: { default, description, type: string|integer|number|boolean, secure, required }`.',
  },
  TREFOIL_ERR_PARAMS_UNKNOWN: {
    summary: 'A ${NAME} reference names a parameter that has no value from any source.',
    fix: 'Declare it under `parameters:` with a default, pass -P NAME=VALUE or a --params file, or set an environment variable NAME; write $${ for a literal ${.',
  },
  TREFOIL_ERR_PARAMS_CYCLE: {
    summary: 'Parameter values refer to each other in a cycle.',
    fix: 'Break the cycle: at least one of the parameters named in the message must have a value without references to the others.',
  },
  TREFOIL_ERR_PARAMS_TYPE: {
    summary: 'A parameter value does not convert to its declared type.',
    fix: 'Give a value of the declared type (integer: digits; number: a decimal number; boolean: true or false), or declare `type: string`.',
  },
  TREFOIL_ERR_PARAMS_REQUIRED: {
    summary: 'A parameter declared `required: true` has no value.',
    fix: 'Pass it with -P NAME=VALUE, in a --params file, or as an environment variable NAME.',
  },
});
