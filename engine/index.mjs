// Plain-JavaScript entry of the library: registers the TypeScript loader (tsx), then exposes
// the TypeScript API. TypeScript-aware hosts (vitest, tsx) resolve the `types` condition instead.
import { register } from 'tsx/esm/api';

register();
const api = await import('./index.ts');
export const { runGraph, loadGraph, runPlan, builtinRegistry, defineComponent, ComponentRegistry, GraphValidationError, formatProblem, TrefoilError, ERROR_CODES, Decimal } = api;
