/**
 * Replaces a file's content all at once: readers see the old file or the new one, never a
 * half-written one, and a failure leaves the old file untouched.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to a temporary file beside `file` (same directory, so the rename stays on one
 * file system), flushes it, and renames it over `file`. The result has exactly `mode` (the umask
 * does not apply). When `file` is a symbolic link, its target is replaced and the link kept.
 *
 * @throws the underlying Node.js error; the temporary file is removed first.
 */
export function writeFileAtomically(file: string, content: string, mode: number): void {
  const target = resolveLink(file);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'wx', mode);
    fchmodSync(descriptor, mode);
    writeSync(descriptor, content);
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (descriptor !== undefined) closeSync(descriptor);
    try {
      unlinkSync(temporary);
    } catch {
      // NOTE: the temporary file may never have been created; nothing else to clean.
    }
    throw error;
  }
}

function resolveLink(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
