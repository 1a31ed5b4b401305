/** `trefoil validate GRAPH…`: every problem of every graph, one line each; exit 2 if any. */
import { loadGraph } from '../run-graph.ts';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import { parseOptions, parsePairs } from './cli-options.ts';
import { UsageError } from './usage-error.ts';

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    param: { type: 'string', short: 'P', multiple: true },
    params: { type: 'string', multiple: true },
  });
  if (positionals.length === 0) throw new UsageError('validate takes one or more graphs: trefoil validate GRAPH...');
  let invalid = false;
  for (const graph of positionals) {
    try {
      const plan = await loadGraph(graph, { parameters: parsePairs(values.param, '-P'), params: values.params ?? [] });
      process.stdout.write(`${graph}: OK (${plan.nodes.length} components, ${plan.edges.length} edges, phases ${plan.phases.join(', ')})\n`);
    } catch (error) {
      if (!(error instanceof GraphValidationError)) throw error;
      invalid = true;
      for (const problem of error.problems) process.stderr.write(formatProblem(problem) + '\n');
    }
  }
  return invalid ? 2 : 0;
}
