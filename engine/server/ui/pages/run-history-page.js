/**
 * `#/runs?graph=PATH&status=STATUS&offset=N`: the run history (GET /api/runs), newest first,
 * filtered by graph and status, a page at a time. While a listed run is active the list
 * refreshes itself.
 */
import { getJson } from '../api-client.js';
import { element, replaceChildren } from '../create-element.js';
import { pageHeading } from '../page-parts.js';
import { isActiveStatus, RUN_STATUSES } from '../run-status.js';
import { runTable } from '../run-table.js';

const PAGE_SIZE = 25;
const REFRESH_EVERY_MS = 2000;

export async function showRunHistory(main, route, signal) {
  const graph = route.query.get('graph') ?? '';
  const status = route.query.get('status') ?? '';
  const offset = Math.max(0, Number.parseInt(route.query.get('offset') ?? '0', 10) || 0);

  const graphSelect = element('select', { id: 'filter-graph', name: 'graph' }, element('option', { value: '' }, 'All graphs'));
  const statusSelect = element(
    'select',
    { id: 'filter-status', name: 'status' },
    element('option', { value: '' }, 'Any status'),
    RUN_STATUSES.map((value) => element('option', { value, selected: value === status }, value)),
  );
  const filters = element(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter runs' },
    element('div', { class: 'field' }, element('label', { for: 'filter-graph' }, 'Graph'), graphSelect),
    element('div', { class: 'field' }, element('label', { for: 'filter-status' }, 'Status'), statusSelect),
    element('div', { class: 'form-actions' }, element('button', { type: 'submit', class: 'button' }, 'Show runs')),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = historyHash(graphSelect.value, statusSelect.value, 0);
  });
  const results = element('div', { class: 'run-results' }, element('p', { class: 'hint' }, 'Loading runs…'));
  replaceChildren(main, pageHeading('Runs'), element('p', { class: 'lead' }, 'Every run the server has recorded, newest first.'), filters, results);

  getJson('/api/graphs', signal).then(
    ({ graphs }) => {
      const paths = graphs.map((candidate) => candidate.path);
      if (graph !== '' && !paths.includes(graph)) paths.unshift(graph);
      graphSelect.append(...paths.map((path) => element('option', { value: path, selected: path === graph }, path)));
    },
    () => {}, // the filter still works for the graph in the address
  );

  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (graph !== '') query.set('graph', graph);
  if (status !== '') query.set('status', status);
  let page = await getJson(`/api/runs?${query}`, signal);
  showPage(results, page, graph, status);
  void (async () => {
    while (page.runs.some((run) => isActiveStatus(run.status))) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_EVERY_MS));
      if (signal.aborted) return;
      try {
        page = await getJson(`/api/runs?${query}`, signal);
      } catch {
        continue; // try again at the next refresh
      }
      if (!signal.aborted) showPage(results, page, graph, status);
    }
  })();
}

function showPage(results, page, graph, status) {
  const { runs, total, offset, limit } = page;
  const filtered = graph !== '' || status !== '';
  if (runs.length === 0) {
    replaceChildren(results, element('p', { class: 'hint' }, filtered ? 'No runs match these filters.' : 'No runs yet. Open a graph to run it.'));
    return;
  }
  const first = offset + 1;
  const last = offset + runs.length;
  const pages = element(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of runs' },
    offset > 0 ? element('a', { href: historyHash(graph, status, Math.max(0, offset - limit)), rel: 'prev' }, '← Newer runs') : null,
    last < total ? element('a', { href: historyHash(graph, status, offset + limit), rel: 'next' }, 'Older runs →') : null,
  );
  // A refresh must not throw away keyboard focus: put it back on the same link.
  const focusedHref = results.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  replaceChildren(results, runTable(runs, { caption: `Runs ${first}–${last} of ${total}${filtered ? ' matching the filters' : ''}, newest first` }), pages);
  if (focusedHref !== null) results.querySelector(`[href="${CSS.escape(focusedHref)}"]`)?.focus();
}

function historyHash(graph, status, offset) {
  const query = new URLSearchParams();
  if (graph !== '') query.set('graph', graph);
  if (status !== '') query.set('status', status);
  if (offset > 0) query.set('offset', String(offset));
  const text = query.toString();
  return `#/runs${text === '' ? '' : `?${text}`}`;
}
