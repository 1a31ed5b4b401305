/**
 * Rendering graphs as pictures (SPEC §8 `trefoil render`, the web UI): build a `RenderModel`
 * from a loaded graph or a run's tracking, then render it as SVG, Graphviz DOT or Mermaid.
 */
export type { RenderEdge, RenderEdgeEnd, RenderEdgeKind, RenderModel, RenderNode, RenderPort, RenderStatus } from './render-model.ts';
export { renderSvg } from './render-svg.ts';
export { renderDot } from './render-dot.ts';
export { renderMermaid } from './render-mermaid.ts';
export { isRenderFormat, RENDER_FORMATS, renderGraphAs, type RenderFormat } from './render-format.ts';
