/**
 * `#/graphs/<path>`: one graph — its picture, a form of its declared parameters and a Run
 * button (POST /api/runs with the bearer token; then the live run view), and its latest runs.
 */
import { ApiError, getJson, graphSegment, postJson } from '../api-client.js';
import { forgetToken, storedToken, storeToken, tokenFieldset } from '../api-token.js';
import { element, replaceChildren } from '../create-element.js';
import { loadPicture, pictureFrame } from '../graph-picture.js';
import { pageHeading, problemNote, validityBadge } from '../page-parts.js';
import { parameterFields } from '../parameter-fields.js';
import { runTable } from '../run-table.js';

export async function showGraph(main, route, signal) {
  const path = route.segments[1];
  const [graph, status] = await Promise.all([getJson(`/api/graphs/${graphSegment(path)}`, signal), getJson('/api/status', signal)]);
  const name = graph.id ?? graph.path;
  const frame = pictureFrame(`Picture of graph ${name}`, { caption: 'Components in their phase bands, joined by edges labelled with their metadata.' });
  const runSection = element('section', { class: 'panel', 'aria-labelledby': 'run-heading' }, element('h2', { id: 'run-heading' }, 'Run this graph'));
  const recentSection = element('section', { class: 'panel', 'aria-labelledby': 'recent-heading' }, element('h2', { id: 'recent-heading' }, 'Latest runs'));

  replaceChildren(
    main,
    element('p', { class: 'breadcrumb' }, element('a', { href: '#/graphs' }, 'Graphs'), ' / ', graph.path),
    pageHeading(`Graph ${name}`),
    element('p', { class: 'graph-summary' }, element('code', {}, graph.path), ' ', validityBadge(graph.valid)),
    graph.description ? element('p', { class: 'lead' }, graph.description) : null,
    graph.valid ? null : problemNote(graph.problems),
    frame.figure,
    runSection,
    recentSection,
  );
  drawRunForm(runSection, graph, status);
  loadPicture(`/api/graphs/${graphSegment(graph.path)}/render`, signal).then(frame.show, (error) => error?.name !== 'AbortError' && frame.show(error));

  const { runs, total } = await getJson(`/api/runs?graph=${encodeURIComponent(graph.path)}&limit=5`, signal);
  recentSection.append(
    runs.length === 0 ? element('p', { class: 'hint' }, 'This graph has not run on this server yet.') : runTable(runs, { caption: `The latest ${runs.length} of ${total} runs of ${name}`, showGraph: false }),
    element('p', {}, element('a', { href: `#/runs?graph=${encodeURIComponent(graph.path)}` }, `All runs of ${name}`)),
  );
}

/** The parameters form with the token field (when none is kept) and the Run button. */
function drawRunForm(section, graph, status) {
  const heading = section.firstElementChild;
  if (status.readOnly) {
    replaceChildren(
      section,
      heading,
      element('p', { class: 'note' }, 'This server has no API token configured (server.token in its config), so it does not start runs from the UI or the API. Its schedules and listeners still run graphs.'),
    );
    return;
  }
  const parameters = parameterFields(graph.parameters);
  const message = element('div', { class: 'form-message', role: 'alert' });
  const runButton = element('button', { type: 'submit', class: 'button button--primary', id: 'run-button' }, element('span', { 'aria-hidden': 'true' }, '▶ '), 'Run');
  const form = element(
    'form',
    { class: 'run-form' },
    parameters.element,
    tokenFieldset(() => drawRunForm(section, graph, status)),
    message,
    element('div', { class: 'form-actions' }, runButton, graph.valid ? null : element('p', { class: 'hint' }, 'The graph is invalid: the run will fail with the problems above.')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    if (!form.reportValidity()) return;
    const token = storedToken() ?? form.elements.namedItem('apiToken')?.value ?? '';
    runButton.disabled = true;
    runButton.setAttribute('aria-busy', 'true');
    try {
      const started = await postJson('/api/runs', { graph: graph.path, parameters: parameters.values() }, token);
      storeToken(token);
      location.hash = `#/runs/${encodeURIComponent(started.runId)}`;
    } catch (error) {
      runButton.disabled = false;
      runButton.removeAttribute('aria-busy');
      if (error instanceof ApiError && error.status === 401) {
        forgetToken();
        drawRunForm(section, graph, status);
        section.querySelector('.form-message').append(element('p', {}, `The server refused the token: ${error.message}. Enter the token again.`));
        section.querySelector('#api-token')?.focus();
        return;
      }
      message.append(element('p', {}, `The run was not started: ${error.message}`));
    }
  });
  replaceChildren(section, heading, form);
}
