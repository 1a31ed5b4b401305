/**
 * `trefoil render GRAPH [--format svg|dot|mermaid] [-o FILE] [--tracking FILE]`: draws a graph;
 * with a run's tracking JSON, edges carry record counts and components their status and time.
 * An invalid graph is still drawn, its problems marked, and the command exits 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import { isRenderFormat, renderGraphAs, RENDER_FORMATS } from '../render/index.ts';
import { renderModelFromInvalidGraph, renderModelFromPlan } from '../render/graph-render-model.ts';
import type { RenderModel } from '../render/render-model.ts';
import { loadGraph } from '../run-graph.ts';
import { readParameterDeclarations } from '../params/parameter-declarations.ts';
import { standInParameters } from '../params/stand-in-parameters.ts';
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import { parseOptions, parsePairs } from './cli-options.ts';
import { UsageError } from './usage-error.ts';

export async function renderCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string', default: 'svg' },
    output: { type: 'string', short: 'o' },
    tracking: { type: 'string' },
    param: { type: 'string', short: 'P', multiple: true },
  });
  if (positionals.length !== 1) throw new UsageError('render takes one graph: trefoil render GRAPH [--format svg|dot|mermaid] [-o FILE]');
  const format = values.format!;
  if (!isRenderFormat(format)) throw new UsageError(`--format must be one of ${RENDER_FORMATS.join(', ')}`);
  const { model, problems } = await graphModel(positionals[0]!, parsePairs(values.param, '-P'), values.tracking);
  const picture = await renderGraphAs(model, format);
  if (values.output) writeFileSync(values.output, picture);
  else process.stdout.write(picture);
  for (const line of problems) process.stderr.write(line + '\n');
  return problems.length > 0 ? 2 : 0;
}

/** The picture's model of a graph file, valid or not. */
export async function graphModel(file: string, parameters: Record<string, string> = {}, trackingFile?: string): Promise<{ model: RenderModel; problems: string[] }> {
  const tracking = trackingFile ? (JSON.parse(readFileSync(trackingFile, 'utf8')) as TrackingSnapshot) : undefined;
  try {
    // Parameters without a value should not stop a picture: stand-ins will do for drawing.
    const declared = readParameterDeclarations((parseDocument(readFileSync(resolve(file), 'utf8')).toJS() as { parameters?: unknown } | null)?.parameters);
    const plan = await loadGraph(file, { parameters: { ...standInParameters(declared.declarations.values()), ...parameters } });
    return { model: renderModelFromPlan(plan, tracking), problems: [] };
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    const text = readFileSync(resolve(file), 'utf8');
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    const componentLines = new Map<string, { first: number; last: number }>();
    const components = document.get('components', true);
    if (isMap(components)) {
      for (const item of components.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const start = item.key.range?.[0] ?? 0;
        const end = (item.value as { range?: number[] } | null)?.range?.[2] ?? start;
        componentLines.set(String(item.key.value), { first: lines.linePos(start).line, last: lines.linePos(Math.max(start, end - 1)).line });
      }
    }
    const model = renderModelFromInvalidGraph(document.errors.length === 0 ? document.toJS() : {}, error.problems, componentLines);
    return { model, problems: error.problems.map(formatProblem) };
  }
}
