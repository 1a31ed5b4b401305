/** `trefoil components [TYPE]`: the component list, or one component's reference. */
import { componentList, componentReference } from '../component/component-docs.ts';
import { builtinRegistry } from '../run-graph.ts';
import { UsageError } from './usage-error.ts';

export async function componentsCommand(args: string[]): Promise<number> {
  const registry = builtinRegistry();
  if (args.length === 0) {
    process.stdout.write(componentList(registry.definitions));
    return 0;
  }
  const definition = registry.get(args[0]!);
  if (!definition || args.length > 1) throw new UsageError(`unknown component type ${args[0]} (see trefoil components)`);
  process.stdout.write(componentReference(definition, 1));
  return 0;
}
