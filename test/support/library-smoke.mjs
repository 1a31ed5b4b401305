// Imports the package by name from plain Node.js (no TypeScript loader set up by the caller),
// the way a library user does, and prints what the public API returns.
import { runGraph, loadGraph, GraphValidationError } from 'trefoil';

const result = await runGraph(process.argv[2], { parameters: { RECORDS: 50 }, log: { level: 'silent' } });
let problem = null;
try {
  await loadGraph('graph: x\ncomponents:\n  a: { type: Nope }\n');
} catch (error) {
  problem = error instanceof GraphValidationError ? error.problems[0] : String(error);
}
process.stdout.write(JSON.stringify({ status: result.status, components: result.tracking.components.length, problem }));
