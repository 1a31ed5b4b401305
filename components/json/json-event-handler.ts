/**
 * The events a `StreamingJsonParser` reports, in document order.
 *
 * A document `{"a": [1, {"b": null}]}` produces:
 *
 * ```
 * onStartObject
 *   onKey("a")
 *   onStartArray
 *     onScalar(1)
 *     onStartObject  onKey("b")  onScalar(null)  onEndObject
 *   onEndArray
 * onEndObject
 * ```
 *
 * A value the handler asked to skip (`StreamingJsonParser.skipNextValue`) produces exactly one
 * `onSkippedValue` after its last byte instead of its own events (it is still fully validated).
 * Handlers must not call `write` or `end` from inside a callback. An exception thrown by a
 * callback propagates out of `write`/`end` unchanged and leaves the parser unusable.
 */
import type { JsonScalar } from './json-value.ts';

export interface JsonEventHandler {
  onStartObject(): void;
  onEndObject(): void;
  onStartArray(): void;
  onEndArray(): void;
  /** A member name; the member's value follows. */
  onKey(name: string): void;
  /** A string, number, boolean or null value (numbers as described in `json-number.ts`). */
  onScalar(value: JsonScalar): void;
  /** A complete value (scalar or container) was consumed without events, as requested. */
  onSkippedValue(): void;
}
