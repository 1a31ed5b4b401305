/**
 * The common frame of the file-operation components (ListFiles, CreateFiles, DeleteFiles,
 * CopyFiles, MoveFiles), with CloverDX jobflow semantics:
 *
 * - with an input edge the operation runs once per input record, its templates (`file`,
 *   `target`) rendered from that record; without one it runs exactly once;
 * - every result is a record on port 0: the input record's fields by name (where the port's
 *   metadata has them), then the operation's result fields;
 * - every failure is a record on port 1 — the input fields by name, the result fields known so
 *   far and `errorMessage` — and processing goes on with the next file and record; when port 1 is
 *   not connected the first failure fails the run (SPEC §7 error-port rule).
 */
import type { ComponentContext } from '../../engine/component/define-component.ts';
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import type { DataRecord } from '../../engine/metadata/record-type.ts';
import type { Template } from '../../engine/runtime/template.ts';
import { fileSystemError, type FileAction } from './file-system-error.ts';

/** Where one operation's outcomes go. */
export interface OperationResults {
  /** One success: the result fields of port 0. */
  succeeded(fields: Record<string, unknown>): void;
  /**
   * One failure: the fields identifying what failed and the error.
   * @throws the error (as a TrefoilError) when port 1 is not connected
   */
  failed(fields: Record<string, unknown>, error: unknown, path: string): void;
}

/** The rendered templates of one run of the operation, by config key. */
export type RenderedTemplates = Readonly<Record<string, string>>;

/**
 * Runs `perform` once per input record (or once), with the templates named in `templateKeys`
 * rendered, and routes its outcomes to the ports.
 */
export async function runFileOperation(
  context: ComponentContext<Readonly<Record<string, unknown>>>,
  action: FileAction,
  templateKeys: readonly string[],
  perform: (templates: RenderedTemplates, results: OperationResults) => Promise<void>,
): Promise<void> {
  const input = context.inputs[0];
  const output = context.outputs[0]!;
  const errorPort = context.outputs[1]?.connected ? context.outputs[1] : undefined;
  const inputMetadata = input?.connected ? input.metadata : undefined;
  const compiled: [string, Template][] = templateKeys
    .filter((key) => typeof context.config[key] === 'string')
    .map((key) => [key, context.compileTemplate(context.config[key] as string, inputMetadata)]);
  let room = true;
  let recordNo = 0;

  const runFor = async (record: DataRecord | null): Promise<void> => {
    const rendered: Record<string, string> = {};
    for (const [key, template] of compiled) rendered[key] = template.render(record, context.dictionary);
    const results: OperationResults = {
      succeeded(fields) {
        if (!output.connected) return;
        if (!output.write(context.errorRecord(output, record, fields))) room = false;
      },
      failed(fields, error, path) {
        const failure = fileSystemError(error, path, action);
        if (errorPort === undefined) {
          throw recordNo > 0 ? new TrefoilError(failure.code, failure.message, { ...failure.location, recordNo }, { cause: failure.cause }) : failure;
        }
        context.log.warn({ file: path, code: failure.code }, failure.message);
        if (!errorPort.write(context.errorRecord(errorPort, record, { ...fields, errorMessage: failure.message }))) room = false;
      },
    };
    await perform(rendered, results);
    if (!room) {
      room = true;
      await output.ready();
      await errorPort?.ready();
    }
  };

  if (input === undefined || !input.connected) {
    await runFor(null);
    return;
  }
  for await (const batch of input) {
    for (const record of batch) {
      recordNo++;
      context.signal.throwIfAborted();
      await runFor(record);
    }
  }
}

/** The ports every file operation declares: the results, then the errors. */
export function operationPorts(what: string): { ports: { name: string; description: string }[] } {
  return {
    ports: [
      { name: 'out', description: `One record per ${what}: the input record's fields by name plus the result fields.` },
      { name: 'error', description: 'One record per failure: the input fields by name, what failed and errorMessage. Unconnected: the first failure fails the run.' },
    ],
  };
}

/** The optional input every file operation declares. */
export const OPERATION_INPUT = {
  ports: [{ name: 'in', description: 'Optional: the operation runs once per record, templates (`*{field}`) taking its values; without an edge it runs once.' }],
} as const;

/**
 * The `literal` setting of ListFiles, CreateFiles and DeleteFiles.
 * NOTE: not in CloverDX, where file URLs are patterns; paths built from data (a Dropbox file
 * named `a;b [1].txt`) need a way to say "this exact name".
 */
export const LITERAL_FILE_CONFIG = {
  type: 'boolean',
  default: false,
  description: '`file` is one path taken exactly as it is: no `;` list, no wildcards, no trimming (for names built from data, which may hold `;`, `*`, `?`, `[` or `{`).',
} as const;
