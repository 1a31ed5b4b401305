/**
 * The environment components register into: built-ins from an explicit list
 * (`components/index.ts`), plus custom components loaded from module paths — named as a
 * graph's `type:` (`./components/my-thing.ts`) or listed under `plugins:`. TypeScript modules
 * load without a build step (through tsx).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentDefinition } from './define-component.ts';

export class ComponentRegistry {
  readonly #byType = new Map<string, ComponentDefinition>();

  constructor(definitions: readonly ComponentDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: ComponentDefinition): void {
    this.#byType.set(definition.type, definition);
  }

  get(type: string): ComponentDefinition | undefined {
    return this.#byType.get(type);
  }

  get types(): string[] {
    return [...this.#byType.keys()].sort();
  }

  get definitions(): ComponentDefinition[] {
    return this.types.map((type) => this.#byType.get(type)!);
  }

  /** A copy, so a graph's plugins never leak into another graph's environment. */
  fork(): ComponentRegistry {
    return new ComponentRegistry([...this.#byType.values()]);
  }
}

/** True when a `type:` names a module rather than a registered type. */
export function isModuleReference(type: string): boolean {
  return type.startsWith('./') || type.startsWith('../') || isAbsolute(type) || /\.(m?[jt]s|cjs|cts)$/.test(type);
}

/**
 * Imports a component module and returns the definitions it exports: the default export, or
 * every export that looks like a component spec. Relative paths resolve against `baseDir`.
 */
export async function loadComponentModule(specifier: string, baseDir: string): Promise<ComponentDefinition[]> {
  const path = isModuleReference(specifier) ? resolve(baseDir, specifier) : specifier;
  if (isModuleReference(specifier) && !existsSync(path)) throw new Error(`module not found: ${path}`);
  const url = isModuleReference(specifier) ? pathToFileURL(path).href : specifier;
  const module = /\.(m|c)?ts$/.test(path) ? await importTypeScript(url) : ((await import(url)) as Record<string, unknown>);
  const candidates = module.default !== undefined ? [module.default] : Object.values(module);
  const definitions = candidates.filter(isComponentDefinition).map((definition) => ({ ...definition, source: path }));
  if (definitions.length === 0) throw new Error(`${path} does not export a component (default-export defineComponent({...}))`);
  return definitions;
}

/** NOTE: tsx's tsImport works whether or not the host process registered a TypeScript loader. */
async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

function isComponentDefinition(value: unknown): value is ComponentDefinition {
  const candidate = value as Partial<ComponentDefinition> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.type === 'string' &&
    typeof candidate.run === 'function' &&
    typeof candidate.inputs === 'object' &&
    typeof candidate.outputs === 'object'
  );
}
