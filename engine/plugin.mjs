// Plain-JavaScript entry of the plugin API (see index.mjs).
import { register } from 'tsx/esm/api';

register();
const api = await import('./plugin.ts');
export const { defineComponent, Decimal, TrefoilError } = api;
