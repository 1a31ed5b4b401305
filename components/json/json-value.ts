/**
 * The in-memory form of a JSON value as the parser materializes it.
 *
 * | JSON          | JavaScript                                                              |
 * |---------------|-------------------------------------------------------------------------|
 * | object        | plain object (`Object.prototype`); a member named `__proto__` is an own property |
 * | array         | array                                                                   |
 * | string        | string (lone surrogates written as `\uD800` escapes are kept, as in `JSON.parse`) |
 * | number        | `number`; `bigint` for integers beyond ±(2^53−1); `ExactNumber` for other literals a double would change |
 * | true / false  | boolean                                                                 |
 * | null          | null                                                                    |
 */
import { ExactNumber } from './exact-number.ts';

/** A JSON number as materialized: see the table above. */
export type JsonNumber = number | bigint | ExactNumber;

/** A JSON value that is not a container. */
export type JsonScalar = null | boolean | JsonNumber | string;

/** A JSON object: members by name. */
export interface JsonObject {
  [name: string]: JsonValue;
}

/** Any JSON value. */
export type JsonValue = JsonScalar | JsonValue[] | JsonObject;

/** True for a JSON object (not an array, not an `ExactNumber`, not null). */
export function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ExactNumber);
}

/** True for any of the three JSON number forms. */
export function isJsonNumber(value: JsonValue): value is JsonNumber {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof ExactNumber;
}

/**
 * Sets a member the way `JSON.parse` does: an own, enumerable, writable property, even for the
 * name `__proto__` (plain assignment would replace the object's prototype instead).
 */
export function setJsonMember(target: JsonObject, name: string, value: JsonValue): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}
