/**
 * The per-record loops of Reformat and DataGenerator for their most common shape — one output,
 * failures fail the run — compiled per component instance with `new Function`.
 *
 * NOTE: why a compiled copy per component. The shared loop (OutputBatches) calls each port's
 * record factory and conformance check through one call site for every component in the
 * process; with several metadata those sites are polymorphic and V8 cannot inline them. Each
 * compiled copy has its own type feedback, so the user code, the factory and the check are
 * monomorphic calls that V8 inlines. Measured with test/bench/engine-bench.ts (see README).
 */
import type { ConformanceProblem, DataRecord } from '../../engine/metadata/record-type.ts';
import type { OutputPort } from '../../engine/runtime/ports.ts';
import { ALL, SKIP, copyFields, describeReturn, type UserFunction } from './compile-user-code.ts';

/** Where a loop stopped when user code threw: the position in its batch (0-based). */
export interface LoopPosition {
  index: number;
}

export type TransformLoop = (batch: DataRecord[], out: DataRecord[]) => void;
export type GenerateLoop = (from: number, to: number, out: DataRecord[]) => void;

interface LoopParts {
  readonly port: OutputPort;
  readonly code: UserFunction;
  readonly dictionary: Record<string, unknown>;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly position: LoopPosition;
}

const EMIT = `
      if (result === undefined || result === ALL || result === 0) {
        const problem = conform(record);
        if (problem !== null) throw mismatch(problem, out.length);
        out.push(record);
      } else if (result !== SKIP) {
        throw badReturn(result);
      }`;

function helpers(parts: LoopParts): unknown[] {
  const { port } = parts;
  return [
    parts.code,
    port.metadata.create,
    port.metadata.conform,
    (problem: ConformanceProblem, offset: number) => port.mismatchError(problem, offset),
    (result: unknown) => new Error(`code returned ${describeReturn(result)}; return ALL, SKIP or an output port number 0..0`),
    parts.dictionary,
    parts.parameters,
    copyFields,
    ALL,
    SKIP,
    parts.position,
  ];
}

const HELPER_NAMES = ['code', 'create', 'conform', 'mismatch', 'badReturn', 'dict', 'params', 'copy', 'ALL', 'SKIP', 'position'];

/** Reformat: one output record per input record, checked and gathered into `out`. */
export function compileTransformLoop(parts: LoopParts): TransformLoop {
  const source = `"use strict";
  const current = [null], fresh = [null];
  return function transformBatch(batch, out) {
    for (let i = 0; i < batch.length; i++) {
      position.index = i;
      current[0] = batch[i];
      const record = create();
      fresh[0] = record;
      const result = code(current, fresh, dict, params, copy, ALL, SKIP);${EMIT}
    }
  };`;
  return new Function(...HELPER_NAMES, source)(...helpers(parts)) as TransformLoop;
}

/** DataGenerator: records for indices `from` (inclusive) to `to` (exclusive) into `out`. */
export function compileGenerateLoop(parts: LoopParts & { readonly random: () => number }): GenerateLoop {
  const source = `"use strict";
  const none = [], fresh = [null];
  return function generateBatch(from, to, out) {
    for (let index = from; index < to; index++) {
      position.index = index;
      const record = create();
      fresh[0] = record;
      const result = code(none, fresh, dict, params, copy, ALL, SKIP, index, random);${EMIT}
    }
  };`;
  return new Function(...HELPER_NAMES, 'random', source)(...helpers(parts), parts.random) as GenerateLoop;
}

export type FilterLoop = (batch: DataRecord[], pass: DataRecord[], fail: DataRecord[]) => void;

/** Filter: splits a batch by the expression, compiled per component like the loops above. */
export function compileFilterLoop(parts: Omit<LoopParts, 'port'>): FilterLoop {
  const source = `"use strict";
  const current = [null], none = [];
  return function filterBatch(batch, pass, fail) {
    for (let i = 0; i < batch.length; i++) {
      position.index = i;
      const record = batch[i];
      current[0] = record;
      if (code(current, none, dict, params, copy, ALL, SKIP)) pass.push(record);
      else fail.push(record);
    }
  };`;
  return new Function('code', 'dict', 'params', 'copy', 'ALL', 'SKIP', 'position', source)(
    parts.code,
    parts.dictionary,
    parts.parameters,
    copyFields,
    ALL,
    SKIP,
    parts.position,
  ) as FilterLoop;
}
