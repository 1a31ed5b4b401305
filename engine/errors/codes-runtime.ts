/** Codes for failures while a graph runs (exit status 1). */
import { defineCodes } from './define-codes.ts';

export const RUNTIME_CODES = defineCodes({
  TREFOIL_ERR_RUN_COMPONENT: {
    summary: 'A component failed.',
    fix: 'Read the message: it names the component, and the record number where known.',
  },
  TREFOIL_ERR_RUN_RECORD_METADATA: {
    summary: 'A component wrote a record that does not match its edge metadata.',
    fix: 'Make the transform set the field to a value of the declared type, or change the metadata (type, nullable, scale).',
  },
  TREFOIL_ERR_RUN_UNREAD_INPUT: {
    summary: 'A component finished while its input still held unread records.',
    fix: 'Read every input record in the component, or declare in its spec that it stops early by design (`stopsEarly: true`).',
  },
  TREFOIL_ERR_RUN_ABORTED: {
    summary: 'The run was aborted (SIGINT or an AbortSignal).',
    fix: 'Nothing to fix: run the graph again. Temporary files were removed.',
  },
  TREFOIL_ERR_RUN_TRANSFORM: {
    summary: 'User code (a transform, filter or generator) threw or returned a bad value.',
    fix: 'Fix the code at the reported component; the record number and the thrown message say which record and why.',
  },
  TREFOIL_ERR_RUN_FAIL_COMPONENT: {
    summary: 'A Fail component stopped the run on purpose.',
    fix: 'The graph author placed a Fail component here; its message says why the data was rejected.',
  },
  TREFOIL_ERR_RUN_DICTIONARY: {
    summary: 'A dictionary entry got a value of the wrong type.',
    fix: 'Assign values of the declared type to `dict.NAME`, or change the dictionary declaration.',
  },
});
