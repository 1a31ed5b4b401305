/**
 * The words every picture of a graph uses, so SVG, DOT and Mermaid say the same thing:
 * edge labels ("Order · 1,234"), record counts, durations, status lines and failure markers.
 */
import type { RenderEdge, RenderNode } from './render-model.ts';

/** Separator between the parts of a label. */
export const LABEL_SEPARATOR = ' · ';

/** Marker drawn before the id of a component that failed at run time. */
export const FAILED_MARKER = '✖';
/** Marker drawn before the id of a component with a validation problem. */
export const PROBLEM_MARKER = '⚠';

// NOTE: a fixed locale, so pictures (and the tests that read them) do not depend on the machine.
const RECORD_COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A record count with thousands separators: `1234` → `"1,234"`. */
export function formatRecordCount(records: number): string {
  return RECORD_COUNT.format(records);
}

/**
 * A duration in CloverDX's interval style: `850 ms`, `1.2 s`, `2m 05s`, `1h 02m`.
 */
export function formatDuration(durationMs: number): string {
  if (durationMs < 1000) return `${Math.round(durationMs)} ms`;
  if (durationMs < 60_000) return `${(durationMs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(durationMs / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/**
 * The label of an edge: its metadata name, then its record count when known
 * (`"Order · 1,234"`, `"Order"`, `"1,234"`), or `""` when there is neither.
 */
export function edgeLabel(edge: RenderEdge): string {
  const parts: string[] = [];
  if (edge.metadata !== undefined && edge.metadata !== '') parts.push(edge.metadata);
  if (edge.records !== undefined) parts.push(formatRecordCount(edge.records));
  return parts.join(LABEL_SEPARATOR);
}

/** True when a node is drawn as failed: it has a problem or its status is ERROR. */
export function isFailedNode(node: RenderNode): boolean {
  return node.status === 'ERROR' || (node.problem !== undefined && node.problem !== '');
}

/** The marker before a failed node's id (`✖` for a run failure, `⚠` for a problem), else `""`. */
export function failureMarker(node: RenderNode): string {
  if (node.status === 'ERROR') return FAILED_MARKER;
  return isFailedNode(node) ? PROBLEM_MARKER : '';
}

/**
 * The status line of a node, so status never depends on colour alone:
 * `"FINISHED_OK · 1.2 s"`, `"disabled"`, `"RUNNING"`, or `""` when there is nothing to say.
 */
export function statusLine(node: RenderNode): string {
  const parts: string[] = [];
  if (!node.enabled) parts.push('disabled');
  if (node.status !== undefined) parts.push(node.status);
  if (node.durationMs !== undefined) parts.push(formatDuration(node.durationMs));
  return parts.join(LABEL_SEPARATOR);
}

/**
 * A one-paragraph description of a node for tooltips: id and type, status line, and the
 * problem message when there is one.
 */
export function nodeTooltip(node: RenderNode): string {
  const lines = [`${node.id} (${node.type}), phase ${node.phase}`];
  const status = statusLine(node);
  if (status !== '') lines.push(status);
  if (node.problem !== undefined && node.problem !== '') lines.push(`${failureMarker(node)} ${node.problem}`);
  else if (node.status === 'ERROR') lines.push(`${FAILED_MARKER} failed`);
  return lines.join('\n');
}

/** A description of an edge for tooltips: its ends, kind, metadata and record count. */
export function edgeTooltip(edge: RenderEdge): string {
  const parts = [`${edge.from.node}:${edge.from.port} → ${edge.to.node}:${edge.to.port}`, `${edge.kind} edge`];
  if (edge.metadata !== undefined && edge.metadata !== '') parts.push(`metadata ${edge.metadata}`);
  if (edge.records !== undefined) parts.push(`${formatRecordCount(edge.records)} records`);
  return parts.join(LABEL_SEPARATOR);
}

/** The label of a phase band. */
export function phaseLabel(phase: number): string {
  return `Phase ${phase}`;
}
