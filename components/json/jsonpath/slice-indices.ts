/** Array slice semantics of RFC 9535 §2.3.4.2, shared by the evaluator and the streaming extractor. */
import type { SliceSelector } from './ast.ts';

/** The bounds a slice selects from an array of `length` elements, in selection order. */
export interface SliceBounds {
  /** First index selected (when `step > 0`: lower; when `step < 0`: upper). */
  readonly first: number;
  /** Iteration stops when the index reaches this bound (exclusive). */
  readonly limit: number;
  /** 0 selects nothing. */
  readonly step: number;
}

/** Normalizes a slice against an array length (RFC 9535 §2.3.4.2.2). */
export function sliceBounds(slice: SliceSelector, length: number): SliceBounds {
  const step = slice.step ?? 1;
  if (step === 0) return { first: 0, limit: 0, step: 0 };
  const normalize = (i: number): number => (i >= 0 ? i : length + i);
  if (step > 0) {
    const lower = Math.min(Math.max(normalize(slice.start ?? 0), 0), length);
    const upper = Math.min(Math.max(normalize(slice.end ?? length), 0), length);
    return { first: lower, limit: upper, step };
  }
  const upper = Math.min(Math.max(normalize(slice.start ?? length - 1), -1), length - 1);
  const lower = Math.min(Math.max(slice.end === null ? -1 : normalize(slice.end), -1), length - 1);
  return { first: upper, limit: lower, step };
}

/** Calls `visit` with each index the slice selects, in selection order. */
export function forEachSliceIndex(slice: SliceSelector, length: number, visit: (index: number) => void): void {
  const { first, limit, step } = sliceBounds(slice, length);
  if (step > 0) for (let i = first; i < limit; i += step) visit(i);
  else if (step < 0) for (let i = first; i > limit; i += step) visit(i);
}

/** Whether the slice selects `index` of an array of `length` elements. */
export function sliceSelects(slice: SliceSelector, index: number, length: number): boolean {
  const { first, limit, step } = sliceBounds(slice, length);
  if (step > 0) return index >= first && index < limit && (index - first) % step === 0;
  if (step < 0) return index <= first && index > limit && (first - index) % -step === 0;
  return false;
}
