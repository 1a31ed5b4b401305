/**
 * `format: chunks` of FileReader: the file as fixed-size binary chunks, one record each:
 * `file` (path), `index` (0-based), `offset` (byte offset of the chunk), `size`, `data` (bytes),
 * `last` (true on the final chunk). Fields the output metadata lacks are not filled.
 *
 * NOTE: the edge cases a chunked upload depends on (Dropbox upload_session start/append/finish):
 * - an empty file gives exactly ONE record: index 0, size 0, empty data, last = true — so the
 *   upload still starts and finishes a session and the empty file is created remotely;
 * - a file of exactly N × chunkSize bytes gives N records, the N-th with last = true (never an
 *   extra empty chunk): a full chunk is held back until at least one more byte or the end of
 *   the file arrives, so `last` is known without asking for the file size (works for `.gz`).
 */
import type { OutputPort } from '../../engine/runtime/ports.ts';
import type { FormatReader } from './format-reader.ts';
import type { RecordEmitter } from './record-emitter.ts';

/** The fields a chunk record has (the default output metadata of `format: chunks`). */
export const CHUNK_FIELDS = {
  file: 'string',
  index: 'long',
  offset: 'long',
  size: 'integer',
  data: 'bytes',
  last: 'boolean',
} as const;

/** @default 4 MiB, Dropbox's recommended upload chunk */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

export function createChunkFormatReader(emitter: RecordEmitter, output: OutputPort, chunkSize: number): FormatReader {
  const has = (name: string): boolean => output.metadata.has(name);
  const fills = { file: has('file'), index: has('index'), offset: has('offset'), size: has('size'), data: has('data'), last: has('last') };
  let current = Buffer.allocUnsafe(chunkSize);
  let filled = 0;
  /** A full chunk waiting to learn whether it is the last one. */
  let held: Buffer | null = null;
  let index = 0;
  let offset = 0;

  const emitChunk = (data: Buffer, last: boolean): void => {
    if (emitter.admit()) {
      const record = output.newRecord();
      if (fills.file) record.file = emitter.source;
      if (fills.index) record.index = index;
      if (fills.offset) record.offset = offset;
      if (fills.size) record.size = data.length;
      if (fills.data) record.data = data;
      if (fills.last) record.last = last;
      emitter.emit(record);
    }
    index++;
    offset += data.length;
  };

  return {
    push(chunk) {
      let position = 0;
      while (position < chunk.length) {
        if (held !== null) {
          emitChunk(held, false);
          held = null;
        }
        const take = Math.min(chunkSize - filled, chunk.length - position);
        chunk.copy(current, filled, position, position + take);
        filled += take;
        position += take;
        if (filled === chunkSize) {
          held = current;
          current = Buffer.allocUnsafe(chunkSize);
          filled = 0;
        }
      }
    },
    end() {
      if (held !== null && filled === 0) {
        emitChunk(held, true);
      } else {
        if (held !== null) emitChunk(held, false);
        // The tail (or, for an empty file, the single empty chunk). Copied to a right-sized
        // buffer so a small tail does not pin a whole chunk's memory.
        emitChunk(Buffer.from(current.subarray(0, filled)), true);
      }
      held = null;
    },
  };
}
