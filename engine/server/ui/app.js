/**
 * The web UI of `trefoil serve` (plain ES modules, no build step, nothing loaded from elsewhere).
 * Pages are chosen by the address's hash, since the server serves only `/` and `/ui/*`:
 *
 *   #/graphs                       the project's graphs          pages/graph-list-page.js
 *   #/graphs/<path>                one graph: picture, Run form  pages/graph-page.js
 *   #/runs?graph=&status=&offset=  run history                   pages/run-history-page.js
 *   #/runs/<id>                    one run, live while it runs   pages/run-page.js
 *
 * A page gets `<main>`, the parsed route and an AbortSignal that fires when the reader leaves
 * it. It resolves once its content is shown (`<main>` is `aria-busy` until then); what goes on
 * after that (pictures loading, a live run's event stream, refreshes) is tied to the signal.
 */
import { getJson } from './api-client.js';
import { element, replaceChildren } from './create-element.js';
import { errorNote, pageHeading } from './page-parts.js';
import { showGraph } from './pages/graph-page.js';
import { showGraphList } from './pages/graph-list-page.js';
import { showRunHistory } from './pages/run-history-page.js';
import { showRun } from './pages/run-page.js';

const PAGES = [
  { section: 'graphs', matches: (segments) => segments.length === 1, show: showGraphList, title: () => 'Graphs' },
  { section: 'graphs', matches: (segments) => segments.length === 2, show: showGraph, title: (segments) => `Graph ${segments[1]}` },
  { section: 'runs', matches: (segments) => segments.length === 1, show: showRunHistory, title: () => 'Runs' },
  { section: 'runs', matches: (segments) => segments.length === 2, show: showRun, title: (segments) => `Run ${segments[1]}` },
];

const main = document.getElementById('main');
let leavePage = new AbortController();
let firstPage = true;

/** `#/runs/abc?x=1` → `{ segments: ['runs', 'abc'], query }`; `#/graphs/graphs%2Fa.yaml` keeps the path one segment. */
function parseRoute(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, search = ''] = text.split(/\?(.*)/s);
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { segments: segments.length === 0 ? ['graphs'] : segments, query: new URLSearchParams(search) };
}

async function showPage() {
  leavePage.abort();
  leavePage = new AbortController();
  const { signal } = leavePage;
  const route = parseRoute(location.hash);
  const page = PAGES.find((candidate) => candidate.section === route.segments[0] && candidate.matches(route.segments));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === page?.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page === undefined ? 'Not found' : page.title(route.segments)} · Trefoil`;
  main.removeAttribute('data-run-state');
  main.setAttribute('aria-busy', 'true');
  replaceChildren(main, element('p', { class: 'hint' }, 'Loading…'));
  if (!firstPage) focusHeadingWhenShown(signal);
  firstPage = false;
  try {
    if (page === undefined) {
      replaceChildren(main, pageHeading('Page not found'), element('p', {}, 'There is no such page. ', element('a', { href: '#/graphs' }, 'See the graphs'), '.'));
    } else {
      await page.show(main, route, signal);
    }
  } catch (error) {
    if (signal.aborted || error?.name === 'AbortError') return;
    const message = error?.status === 404 ? `Not found: ${error.message}` : `Something went wrong: ${error?.message ?? error}`;
    if (main.querySelector('h1') === null) replaceChildren(main, pageHeading(error?.status === 404 ? 'Not found' : 'This page could not be shown'));
    main.append(errorNote(message));
  } finally {
    if (!signal.aborted) main.removeAttribute('aria-busy');
  }
}

/** After a navigation, moves focus to the new page's heading as soon as it is there. */
function focusHeadingWhenShown(signal) {
  const observer = new MutationObserver(() => {
    const heading = main.querySelector('h1');
    if (heading === null) return;
    observer.disconnect();
    heading.focus();
  });
  observer.observe(main, { childList: true });
  signal.addEventListener('abort', () => observer.disconnect());
}

async function showServerState() {
  const state = document.getElementById('server-state');
  try {
    const status = await getJson('/api/status');
    state.textContent = `${status.name} ${status.version}${status.readOnly ? ' · read-only (no API token configured)' : ''}`;
  } catch (error) {
    state.textContent = `The server cannot be reached: ${error.message}`;
  }
}

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => void showPage());
void showServerState();
void showPage();
