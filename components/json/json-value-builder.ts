/**
 * Builds JSON values from parser events, without recursion (any depth).
 *
 * Used directly as a `JsonEventHandler` to materialize a whole document (`parseJson`), and by
 * the streaming extractor to materialize only the parts of a document it needs: the extractor
 * forwards the events of a captured subtree and reads each completed value from the return value
 * of `endContainer` / `scalar`, so nested captures share one tree.
 */
import type { JsonEventHandler } from './json-event-handler.ts';
import { setJsonMember, type JsonObject, type JsonScalar, type JsonValue } from './json-value.ts';

export class JsonValueBuilder implements JsonEventHandler {
  /** Open containers, innermost last. */
  readonly #containers: (JsonValue[] | JsonObject)[] = [];
  /** For each open container: the member name its child is being built under (objects only). */
  readonly #names: string[] = [];
  #top: JsonValue[] | JsonObject | null = null;
  #topIsArray = false;
  #name = '';
  #result: JsonValue | undefined = undefined;

  /** True while a container is open. */
  get building(): boolean {
    return this.#top !== null;
  }

  /** The completed top-level value (undefined until one completes); clears it. */
  takeResult(): JsonValue | undefined {
    const result = this.#result;
    this.#result = undefined;
    return result;
  }

  startObject(): void {
    this.#open({}, false);
  }

  startArray(): void {
    this.#open([], true);
  }

  key(name: string): void {
    this.#name = name;
  }

  /** Adds a scalar to the open container (or makes it the result); returns it. */
  scalar(value: JsonScalar): JsonScalar {
    this.#add(value);
    return value;
  }

  /** Closes the innermost container and returns it, complete. */
  endContainer(): JsonValue {
    const done = this.#top!;
    const containers = this.#containers;
    if (containers.length === 0) {
      this.#top = null;
      this.#result = done;
      return done;
    }
    this.#top = containers.pop()!;
    this.#topIsArray = Array.isArray(this.#top);
    this.#name = this.#names.pop()!;
    this.#add(done);
    return done;
  }

  onStartObject(): void {
    this.startObject();
  }
  onStartArray(): void {
    this.startArray();
  }
  onEndObject(): void {
    this.endContainer();
  }
  onEndArray(): void {
    this.endContainer();
  }
  onKey(name: string): void {
    this.#name = name;
  }
  onScalar(value: JsonScalar): void {
    this.#add(value);
  }
  onSkippedValue(): void {
    throw new Error('JsonValueBuilder never asks the parser to skip values');
  }

  #open(container: JsonValue[] | JsonObject, isArray: boolean): void {
    if (this.#top !== null) {
      this.#containers.push(this.#top);
      this.#names.push(this.#name);
    }
    this.#top = container;
    this.#topIsArray = isArray;
  }

  #add(value: JsonValue): void {
    const top = this.#top;
    if (top === null) this.#result = value;
    else if (this.#topIsArray) (top as JsonValue[]).push(value);
    else setJsonMember(top as JsonObject, this.#name, value);
  }
}
