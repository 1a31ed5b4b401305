/**
 * A run's tracking as a table (CloverDX's tracking view, as `trefoil run` prints it): one row
 * per phase, then its components with status, time and records per port. `update` redraws it
 * from a new snapshot.
 */
import { element, replaceChildren } from './create-element.js';
import { formatCount, formatDuration } from './display-format.js';
import { statusBadge } from './run-status.js';

export function trackingTable() {
  const body = element('tbody', {}, emptyRow('No tracking yet: the run has not started.'));
  const table = element(
    'table',
    { class: 'data-table tracking-table' },
    element('caption', {}, 'Tracking: status, time and records per phase and component'),
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        element('th', { scope: 'col' }, 'Component'),
        element('th', { scope: 'col' }, 'Type'),
        element('th', { scope: 'col' }, 'Status'),
        element('th', { scope: 'col', class: 'numeric' }, 'Time'),
        element('th', { scope: 'col', class: 'numeric' }, 'Records in'),
        element('th', { scope: 'col', class: 'numeric' }, 'Records out'),
      ),
    ),
    body,
  );
  return {
    element: element('div', { class: 'table-frame', role: 'region', 'aria-label': 'Tracking table', tabindex: '0' }, table),
    /** Redraws the rows from a tracking snapshot (null: no tracking). */
    update(tracking) {
      if (tracking === null || tracking === undefined) return;
      const rows = [];
      for (const phase of tracking.phases ?? []) {
        rows.push(
          element(
            'tr',
            { class: 'tracking-table__phase', 'data-phase': phase.phase },
            element('th', { scope: 'row', colspan: '2' }, `Phase ${phase.phase}`),
            element('td', {}, statusBadge(phase.status)),
            element('td', { class: 'numeric' }, formatDuration(phase.durationMs)),
            element('td', {}),
            element('td', {}),
          ),
        );
        for (const component of (tracking.components ?? []).filter((candidate) => candidate.phase === phase.phase)) rows.push(componentRow(component));
      }
      replaceChildren(body, rows.length > 0 ? rows : emptyRow('This run has no components.'));
    },
  };
}

function componentRow(component) {
  return element(
    'tr',
    { 'data-component': component.id, 'data-status': component.status },
    element(
      'th',
      { scope: 'row', class: 'tracking-table__component' },
      component.id,
      component.message ? element('p', { class: 'row-message' }, component.message) : null,
    ),
    element('td', {}, component.type),
    element('td', {}, statusBadge(component.status)),
    element('td', { class: 'numeric' }, formatDuration(component.durationMs)),
    element('td', { class: 'numeric' }, portCounts(component.inputs)),
    element('td', { class: 'numeric' }, portCounts(component.outputs)),
  );
}

/** `—` without ports, the count for one port, `name count` per port for several. */
function portCounts(ports) {
  if (!ports || ports.length === 0) return '—';
  if (ports.length === 1) return formatCount(ports[0].records);
  return ports.map((port) => element('span', { class: 'port-count' }, `${port.name} ${formatCount(port.records)}`));
}

function emptyRow(text) {
  return element('tr', {}, element('td', { colspan: '6' }, text));
}
