/**
 * `#/graphs`: the project's graphs (GET /api/graphs), each with its picture, validity and
 * description, linking to the graph's page and its runs.
 */
import { getJson, graphSegment } from '../api-client.js';
import { element, replaceChildren } from '../create-element.js';
import { loadPicture, pictureFrame } from '../graph-picture.js';
import { pageHeading, problemNote, validityBadge } from '../page-parts.js';

/** Pictures drawn at once: each is a layout on the server. */
const PICTURES_AT_ONCE = 3;

export async function showGraphList(main, _route, signal) {
  const heading = pageHeading('Graphs');
  const intro = element('p', { class: 'lead' }, 'Loading the project’s graphs…');
  replaceChildren(main, heading, intro);
  const { graphs } = await getJson('/api/graphs', signal);
  intro.textContent =
    graphs.length === 0
      ? 'No graphs found: the server lists the graph files under server.graphRoots (default graphs/) and the graphs of its schedules and listeners.'
      : `${graphs.length} graph${graphs.length === 1 ? '' : 's'} in this project. Open one to see its parameters and run it.`;
  const pictures = [];
  const cards = graphs.map((graph) => {
    const name = graph.id ?? graph.path;
    const frame = pictureFrame(`Picture of graph ${name}`, { fit: true });
    pictures.push({ graph, frame });
    return element(
      'li',
      {},
      element(
        'article',
        { class: 'graph-card', 'data-graph-path': graph.path },
        element('h2', { class: 'graph-card__title' }, element('a', { href: `#/graphs/${graphSegment(graph.path)}` }, name)),
        element('p', { class: 'graph-card__path' }, element('code', {}, graph.path), ' ', validityBadge(graph.valid)),
        graph.description ? element('p', { class: 'graph-card__description' }, graph.description) : element('p', { class: 'hint' }, 'No description.'),
        graph.valid ? null : problemNote(graph.problems),
        frame.figure,
        element('p', { class: 'graph-card__links' }, element('a', { href: `#/graphs/${graphSegment(graph.path)}` }, `Run ${name}…`), element('a', { href: `#/runs?graph=${encodeURIComponent(graph.path)}` }, `Runs of ${name}`)),
      ),
    );
  });
  main.append(element('ul', { class: 'graph-list' }, cards));

  const queue = [...pictures];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined && !signal.aborted; next = queue.shift()) {
      try {
        next.frame.show(await loadPicture(`/api/graphs/${graphSegment(next.graph.path)}/render`, signal));
      } catch (error) {
        if (error?.name !== 'AbortError') next.frame.show(error);
      }
    }
  };
  void Promise.all(Array.from({ length: PICTURES_AT_ONCE }, worker));
}
