/**
 * `format: json` of FileReader: a top-level JSON array read element by element with the
 * streaming parser (components/json/streaming-json-parser.ts), so memory is bounded by the
 * largest element, not the file. Each element becomes one record (JsonRecordBuilder); an element
 * that is not an object is a bad record under the data policy. A top-level value that is not an
 * array, and invalid JSON, fail the component with the byte offset.
 */
import { TrefoilError } from '../../engine/errors/trefoil-error.ts';
import { writeJsonText } from '../../engine/metadata/json-text.ts';
import type { JsonEventHandler } from '../json/json-event-handler.ts';
import { JsonValueBuilder } from '../json/json-value-builder.ts';
import type { JsonScalar, JsonValue } from '../json/json-value.ts';
import { StreamingJsonParser } from '../json/streaming-json-parser.ts';
import type { FormatReader } from './format-reader.ts';
import type { JsonRecordBuilder } from './json-record-builder.ts';
import type { RecordEmitter } from './record-emitter.ts';
import { RecordProblem } from './record-problem.ts';

/** Feeds the elements of the top-level array, one complete value at a time. */
class ArrayElements implements JsonEventHandler {
  readonly #values = new JsonValueBuilder();
  readonly #onElement: (element: JsonValue) => void;
  readonly #source: string;
  /** 0 = before the top-level array, 1 = between its elements, > 1 = inside an element. */
  #depth = 0;

  constructor(source: string, onElement: (element: JsonValue) => void) {
    this.#source = source;
    this.#onElement = onElement;
  }

  onStartArray(): void {
    if (this.#depth++ > 0) this.#values.startArray();
  }
  onStartObject(): void {
    if (this.#depth === 0) this.#notAnArray('an object');
    this.#depth++;
    this.#values.startObject();
  }
  onEndArray(): void {
    this.#endContainer();
  }
  onEndObject(): void {
    this.#endContainer();
  }
  onKey(name: string): void {
    this.#values.key(name);
  }
  onScalar(value: JsonScalar): void {
    if (this.#depth === 0) this.#notAnArray(value === null ? 'null' : typeof value === 'string' ? 'a string' : 'a scalar');
    if (this.#depth === 1) this.#onElement(value);
    else this.#values.scalar(value);
  }
  onSkippedValue(): void {}

  #endContainer(): void {
    if (--this.#depth === 0) return; // the top-level array closed
    const value = this.#values.endContainer();
    if (this.#depth === 1) {
      this.#values.takeResult();
      this.#onElement(value);
    }
  }

  #notAnArray(what: string): never {
    throw new TrefoilError('TREFOIL_ERR_FILES_JSON_SHAPE', `${this.#source}: format json expects a top-level array of objects, but the document is ${what} (use format: jsonl for one object per line)`, { file: this.#source });
  }
}

export function createJsonArrayFormatReader(emitter: RecordEmitter, builder: JsonRecordBuilder): FormatReader {
  const elements = new ArrayElements(emitter.source, (element) => {
    if (!emitter.admit()) return;
    let record;
    try {
      record = builder.build(element);
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      emitter.reject(error, writeJsonText(element));
      return;
    }
    emitter.emit(record);
  });
  const parser = new StreamingJsonParser(elements, { source: emitter.source });
  return { push: (chunk) => parser.write(chunk), end: () => parser.end() };
}
