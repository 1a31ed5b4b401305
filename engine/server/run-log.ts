/**
 * Run logs: one JSON-lines file per run, `<dataDir>/logs/<runId>.log`, written by the run's
 * process (pino, secure values masked) and read back page by page by the API, so a client can
 * follow a running run's log by asking again from `nextOffset`.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** The log directory inside a server's `dataDir`. */
export function runLogDirectory(dataDir: string): string {
  return join(dataDir, 'logs');
}

const SAFE_RUN_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The log file of a run.
 * @throws Error for a run id that is not a plain file name (ids come from the server itself).
 */
export function runLogFile(logDir: string, runId: string): string {
  if (!SAFE_RUN_ID.test(runId)) throw new Error(`run id ${JSON.stringify(runId)} cannot name a log file`);
  return join(logDir, `${runId}.log`);
}

/** One page of a run log. */
export interface RunLogPage {
  /** Parsed log entries; a line that is not JSON comes as `{ msg: line }`. */
  readonly entries: unknown[];
  /** Byte offset to ask from next time (a partly written last line is left for then). */
  readonly nextOffset: number;
  /** True when the page stopped at `maxBytes` before the end of the file. */
  readonly more: boolean;
}

/** Default page size of {@link readRunLog}. */
export const RUN_LOG_PAGE_BYTES = 1024 * 1024;

/**
 * Reads whole lines of a log from byte `offset`, at most `maxBytes` (but always at least one
 * whole line when there is one). A missing file is an empty page.
 */
export async function readRunLog(file: string, offset = 0, maxBytes = RUN_LOG_PAGE_BYTES): Promise<RunLogPage> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], nextOffset: offset, more: false };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.min(Math.max(0, offset), size);
    let length = Math.min(size - start, maxBytes);
    let buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    let end = buffer.lastIndexOf(0x0a);
    if (end === -1 && start + length < size) {
      // One line longer than a page: read on to its end.
      const rest = Buffer.alloc(size - start - length);
      await handle.read(rest, 0, rest.length, start + length);
      buffer = Buffer.concat([buffer, rest]);
      length = buffer.length;
      end = buffer.lastIndexOf(0x0a);
    }
    const complete = end === -1 ? 0 : end + 1;
    const entries: unknown[] = [];
    for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
      if (line === '') continue;
      try {
        entries.push(JSON.parse(line));
      } catch {
        entries.push({ msg: line });
      }
    }
    return { entries, nextOffset: start + complete, more: start + length < size };
  } finally {
    await handle.close();
  }
}
