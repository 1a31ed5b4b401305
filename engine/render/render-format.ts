/**
 * The picture formats `trefoil render --format` offers, and one entry point that renders any of
 * them (so the CLI and the server need no switch of their own).
 */
import { renderDot } from './render-dot.ts';
import { renderMermaid } from './render-mermaid.ts';
import type { RenderModel } from './render-model.ts';
import { renderSvg } from './render-svg.ts';

/** Formats a graph can be rendered in; the first is the default. */
export const RENDER_FORMATS = ['svg', 'dot', 'mermaid'] as const;

export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** True when `value` names a render format (for parsing `--format`). */
export function isRenderFormat(value: string): value is RenderFormat {
  return (RENDER_FORMATS as readonly string[]).includes(value);
}

/**
 * Renders a graph in `format`: SVG (laid out by elkjs), Graphviz DOT or Mermaid source.
 *
 * @default format `'svg'`
 * @throws TrefoilError as `renderSvg`, `renderDot` and `renderMermaid` do.
 */
export async function renderGraphAs(model: RenderModel, format: RenderFormat = 'svg'): Promise<string> {
  switch (format) {
    case 'svg':
      return renderSvg(model);
    case 'dot':
      return renderDot(model);
    case 'mermaid':
      return renderMermaid(model);
  }
}
