/**
 * The plugin API (`import { defineComponent } from 'trefoil/plugin'`): what a custom component
 * module needs, and nothing of the engine.
 */
export { defineComponent } from './component/define-component.ts';
export type { ComponentSpec, ComponentContext, PortSpec, PortsSpec, ConfigProblem, ComponentExample } from './component/define-component.ts';
export type { ConfigFields, ConfigField, ConfigOf } from './component/config-spec.ts';
export type { InputPort, OutputPort } from './runtime/ports.ts';
export type { DataRecord, RecordType } from './metadata/record-type.ts';
export type { Template } from './runtime/template.ts';
export { Decimal } from './metadata/decimal.ts';
export { TrefoilError } from './errors/trefoil-error.ts';
