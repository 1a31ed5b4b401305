/** Codes for problems while rendering a graph as a picture (`trefoil render`, the web UI). */
import { defineCodes } from './define-codes.ts';

export const RENDER_CODES = defineCodes({
  TREFOIL_ERR_RENDER_UNKNOWN_NODE: {
    summary: 'An edge of the render model names a component the model does not contain.',
    fix: 'Build the render model from the whole graph: every edge end must be one of its nodes (report it as a bug if `trefoil render` produced it).',
  },
  TREFOIL_ERR_RENDER_DUPLICATE_ID: {
    summary: 'Two nodes or two edges of the render model share one id.',
    fix: 'Give every component and every edge its own id (report it as a bug if `trefoil render` produced it).',
  },
  TREFOIL_ERR_RENDER_LAYOUT: {
    summary: 'The layout engine (elkjs) could not lay out the graph.',
    fix: 'Render with `--format dot` or `--format mermaid` instead, and report the graph as a bug.',
  },
});
