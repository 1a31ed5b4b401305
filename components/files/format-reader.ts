/**
 * The shape every input format has inside FileReader: bytes of one file pushed in order, records
 * handed to the RecordEmitter synchronously as soon as they are complete.
 */
export interface FormatReader {
  /** Parses the next bytes of the file. The reader may keep `chunk`; do not reuse its memory. */
  push(chunk: Buffer): void;
  /** The file's bytes are complete: deliver what is left. */
  end(): void;
}
