#!/usr/bin/env node
// The `trefoil` command. Registers the TypeScript loader (tsx) so the engine runs from its
// sources without a build step, then hands over to main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
