/**
 * A table of runs (GET /api/runs rows): run, status (icon and word), graph, trigger, start and
 * duration, newest first.
 */
import { graphSegment } from './api-client.js';
import { element } from './create-element.js';
import { formatDuration, shortRunId, timeElement, triggerText } from './display-format.js';
import { statusBadge } from './run-status.js';

export function runTable(runs, { caption, showGraph = true }) {
  const body = element('tbody', {}, runs.map((run) => runRow(run, showGraph)));
  return element(
    'div',
    { class: 'table-frame', role: 'region', 'aria-label': caption, tabindex: '0' },
    element(
      'table',
      { class: 'data-table run-table' },
      element('caption', {}, caption),
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          element('th', { scope: 'col' }, 'Run'),
          element('th', { scope: 'col' }, 'Status'),
          showGraph ? element('th', { scope: 'col' }, 'Graph') : null,
          element('th', { scope: 'col' }, 'Trigger'),
          element('th', { scope: 'col' }, 'Started'),
          element('th', { scope: 'col', class: 'numeric' }, 'Duration'),
        ),
      ),
      body,
    ),
  );
}

function runRow(run, showGraph) {
  return element(
    'tr',
    { 'data-run-id': run.runId, 'data-status': run.status },
    element('th', { scope: 'row' }, element('a', { href: `#/runs/${encodeURIComponent(run.runId)}`, 'aria-label': `Run ${run.runId}` }, element('code', {}, shortRunId(run.runId)))),
    element('td', {}, statusBadge(run.status), run.failingComponent ? element('span', { class: 'run-table__failing' }, ` in ${run.failingComponent}`) : null),
    showGraph ? element('td', { class: 'run-table__graph' }, element('a', { href: `#/graphs/${graphSegment(run.graph)}` }, run.graph)) : null,
    element('td', {}, triggerText(run.trigger)),
    element('td', {}, timeElement(run.startedAt ?? run.enqueuedAt)),
    element('td', { class: 'numeric' }, formatDuration(run.durationMs)),
  );
}
