/**
 * Trefoil's public API for library users: `import { runGraph, loadGraph, defineComponent } from 'trefoil'`.
 * Only what is exported here (and from `trefoil/plugin`) is public.
 */
export { runGraph, loadGraph, runPlan, builtinRegistry, type RunGraphOptions, type LoadGraphOptions } from './run-graph.ts';
export { defineComponent } from './component/define-component.ts';
export type { ComponentSpec, ComponentContext, PortSpec, PortsSpec, ConfigProblem, ComponentExample } from './component/define-component.ts';
export type { ConfigFields, ConfigField, ConfigOf } from './component/config-spec.ts';
export { ComponentRegistry } from './component/component-registry.ts';
export type { RunResult, RunError } from './runtime/graph-run.ts';
export type { TrackingSnapshot, RunStatus } from './runtime/tracking.ts';
export { GraphValidationError, formatProblem, type Problem } from './loader/problems.ts';
export { TrefoilError } from './errors/trefoil-error.ts';
export { ERROR_CODES, type ErrorCode } from './errors/registry.ts';
export { Decimal } from './metadata/decimal.ts';
export type { DataRecord } from './metadata/record-type.ts';
export type { GraphPlan } from './model/graph-plan.ts';
