/**
 * RFC 9535's special result "Nothing": what a singular query yields when it selects no node, or
 * a ValueType function when it has no value (`length(1)`, `value(@.*)` with two nodes). It is
 * not a JSON value: `Nothing == Nothing` is true, every other comparison with it is false.
 */
import type { JsonValue } from '../json-value.ts';

export const NOTHING: unique symbol = Symbol('Nothing');

/** A ValueType result: a JSON value or Nothing. */
export type ValueOrNothing = JsonValue | typeof NOTHING;
