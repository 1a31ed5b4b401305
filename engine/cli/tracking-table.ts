/**
 * The tracking table printed at the end of `trefoil run` (and redrawn live while a run takes
 * longer than a moment on a terminal): one row per component, grouped by phase, with records
 * in and out per port.
 */
import type { TrackingSnapshot } from '../runtime/tracking.ts';
import { formatDuration } from '../metadata/duration.ts';

const number = new Intl.NumberFormat('en-US');

export function formatTrackingTable(snapshot: TrackingSnapshot): string {
  const header = ['Component', 'Type', 'Status', 'Time', 'In', 'Out'];
  const rows: string[][] = [];
  const phaseRows = new Set<number>();
  for (const phase of snapshot.phases) {
    phaseRows.add(rows.length);
    rows.push([`Phase ${phase.phase}`, '', phase.status, phase.durationMs !== undefined ? formatDuration(phase.durationMs) : '', '', '']);
    for (const component of snapshot.components.filter((c) => c.phase === phase.phase)) {
      rows.push([
        `  ${component.id}`,
        component.type,
        component.status,
        component.durationMs !== undefined ? formatDuration(component.durationMs) : '',
        ports(component.inputs),
        ports(component.outputs),
      ]);
    }
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  out.push(`Graph ${snapshot.graph} ${snapshot.status} in ${formatDuration(snapshot.durationMs)} (run ${snapshot.runId})`);
  return out.join('\n') + '\n';
}

function ports(list: readonly { records: number }[]): string {
  if (list.length === 0) return '-';
  return list.map((port) => number.format(port.records)).join(' | ');
}
