/**
 * The colours of a rendered graph, shared by the SVG, DOT and Mermaid renderers so the three
 * pictures look alike. Colour never carries meaning alone: every state it marks is also drawn
 * (dash pattern, marker) or written (status text).
 */
import type { RenderStatus } from './render-model.ts';

export const PALETTE = {
  background: '#ffffff',
  /** Phase bands alternate between these fills. */
  bandFill: ['#f4f6fa', '#eaeff6'],
  bandStroke: '#d3dae4',
  bandLabel: '#45556c',
  nodeFill: '#ffffff',
  nodeStroke: '#5b6b7f',
  text: '#1f2937',
  mutedText: '#5f6b7a',
  disabledFill: '#f1f1f1',
  disabledStroke: '#9e9e9e',
  disabledText: '#8a8a8a',
  failed: '#c62828',
  edge: '#5b6b7f',
  labelFill: '#ffffff',
  labelStroke: '#d3dae4',
} as const;

/** Colour of a component's status text. */
export const STATUS_COLOR: Readonly<Record<RenderStatus, string>> = {
  FINISHED_OK: '#2e7d32',
  ERROR: '#c62828',
  ABORTED: '#b45309',
  RUNNING: '#1565c0',
  READY: '#5f6b7a',
};
