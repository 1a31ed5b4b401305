#!/usr/bin/env node
// The `trefoil` command: loads the CLI (a cached bundle of the TypeScript sources, see
// cli-bundle.mjs) and runs it.
import { loadCli } from './cli-bundle.mjs';

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
