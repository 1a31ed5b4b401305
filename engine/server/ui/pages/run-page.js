/**
 * `#/runs/<id>`: one run. While it is enqueued or running this is the live view: the picture's
 * edge counts, component states and current phase, the tracking table and the status follow the
 * run's event stream (GET /api/runs/:id/events). Once it has ended: the final picture (fetched
 * again, with times, and the failing component marked), the error message, the tracking table,
 * the parameters (secure values masked by the server) and the log.
 *
 * The page's `<main>` says where it is in `data-run-state`: `live` while following, `ended` once
 * the final picture and tracking are shown.
 */
import { ApiError, getJson, graphSegment, postJson } from '../api-client.js';
import { forgetToken, storedToken, storeToken, tokenFieldset } from '../api-token.js';
import { element, replaceChildren } from '../create-element.js';
import { formatDuration, shortRunId, timeElement, triggerText } from '../display-format.js';
import { applyTracking, loadPicture, pictureFrame } from '../graph-picture.js';
import { detailList, errorNote, pageHeading } from '../page-parts.js';
import { runLogView } from '../run-log-view.js';
import { isActiveStatus, statusBadge } from '../run-status.js';
import { trackingTable } from '../tracking-table.js';

export async function showRun(main, route, signal) {
  const runId = route.segments[1];
  const runPath = `/api/runs/${encodeURIComponent(runId)}`;
  let run = await getJson(runPath, signal);
  let tracking = run.tracking ?? null;
  let svg = null;
  let live = isActiveStatus(run.status);

  const statusWord = element('span', { class: 'run-status', role: 'status' });
  const statusTime = element('span', {});
  const statusLine = element('p', { class: 'run-status-line' }, statusWord, ' ', statusTime);
  const details = element('div', {});
  const failure = element('div', {});
  const controls = element('div', { class: 'run-controls' });
  const phaseLine = element('p', { class: 'phase-line' });
  const frame = pictureFrame(`Picture of run ${runId}`, {
    caption: 'Edges show the records that passed them; components show their status (✖ marks the component that failed).',
  });
  const table = trackingTable();
  const log = runLogView(runId);
  const parameters = element('div', {});

  replaceChildren(
    main,
    element('p', { class: 'breadcrumb' }, element('a', { href: '#/runs' }, 'Runs'), ' / ', shortRunId(runId)),
    pageHeading(`Run of ${graphName(run)}`, ' ', element('span', { class: 'run-id' }, element('code', {}, runId))),
    statusLine,
    failure,
    details,
    controls,
    element('section', { class: 'panel', 'aria-labelledby': 'picture-heading' }, element('h2', { id: 'picture-heading' }, 'Graph'), phaseLine, frame.figure),
    element('section', { class: 'panel', 'aria-labelledby': 'tracking-heading' }, element('h2', { id: 'tracking-heading' }, 'Tracking'), table.element),
    element('section', { class: 'panel', 'aria-labelledby': 'parameters-heading' }, element('h2', { id: 'parameters-heading' }, 'Parameters'), parameters),
    element('section', { class: 'panel', 'aria-labelledby': 'log-heading' }, element('h2', { id: 'log-heading' }, 'Log'), log.element),
  );

  let shownStatus;
  let shownControls;
  /** `data-run-state` on `<main>`; never touched once the reader has left the page. */
  const markPage = (state) => {
    if (!signal.aborted) main.dataset.runState = state;
  };
  const showRunState = () => {
    // Announced (role=status) only when the status changes, not at every snapshot.
    if (shownStatus !== run.status) {
      shownStatus = run.status;
      statusWord.setAttribute('data-run-status', run.status);
      replaceChildren(statusWord, statusBadge(run.status));
      replaceChildren(failure, failureNote(run));
    }
    statusTime.textContent = live
      ? run.status === 'ENQUEUED'
        ? 'waiting for a free run slot'
        : `running for ${formatDuration(tracking?.durationMs ?? run.durationMs)}`
      : `after ${formatDuration(run.durationMs)}`;
    replaceChildren(
      details,
      detailList([
        ['Graph', element('a', { href: `#/graphs/${graphSegment(run.graph)}` }, run.graph)],
        ['Trigger', triggerText(run.trigger)],
        ['Enqueued', timeElement(run.enqueuedAt)],
        ['Started', timeElement(run.startedAt)],
        ['Finished', timeElement(run.finishedAt)],
        ['Duration', formatDuration(live ? (tracking?.durationMs ?? run.durationMs) : run.durationMs)],
      ]),
    );
    if (shownControls !== live) {
      shownControls = live;
      replaceChildren(controls, live ? abortControl(runPath, controls) : null);
    }
  };
  const showTracking = () => {
    table.update(tracking);
    if (svg !== null && tracking !== null) applyTracking(svg, tracking);
    replaceChildren(phaseLine, phaseText(tracking, live));
  };

  showRunState();
  showTracking();
  replaceChildren(parameters, parameterTable(run.parameters));
  const pictureLoaded = loadPicture(`${runPath}/render`, signal).then(
    (picture) => {
      svg = picture;
      frame.show(svg);
      if (tracking !== null) applyTracking(svg, tracking);
    },
    (error) => error?.name !== 'AbortError' && frame.show(error),
  );
  void log.follow(() => live, signal);
  if (live) {
    markPage('live');
    followLive();
  } else {
    void pictureLoaded.then(() => markPage('ended'));
  }

  /** Follows the run's event stream until it ends (or the reader leaves). */
  function followLive() {
    const events = new EventSource(`${runPath}/events`);
    signal.addEventListener('abort', () => events.close());
    events.addEventListener('status', (event) => {
      run = { ...run, ...JSON.parse(event.data) };
      showRunState();
    });
    events.addEventListener('tracking', (event) => {
      tracking = JSON.parse(event.data);
      showTracking();
      showRunState();
    });
    events.addEventListener('end', async (event) => {
      events.close();
      run = JSON.parse(event.data);
      tracking = run.tracking ?? tracking;
      live = false;
      showTracking();
      showRunState();
      await pictureLoaded;
      // The final picture: times on every component, the failing one marked with its message.
      try {
        svg = await loadPicture(`${runPath}/render`, signal);
        frame.show(svg);
      } catch (error) {
        if (error?.name !== 'AbortError' && svg === null) frame.show(error);
      }
      markPage('ended');
    });
    events.addEventListener('error', () => {
      if (live && events.readyState !== EventSource.CLOSED) replaceChildren(phaseLine, 'The connection to the server was lost; reconnecting…');
    });
  }
}

function graphName(run) {
  return run.tracking?.graph ?? run.graph.split('/').pop().replace(/\.ya?ml$/i, '');
}

/** The failure message of an ERROR or ABORTED run: which component, which record, what happened. */
function failureNote(run) {
  if (run.status !== 'ERROR' && run.status !== 'ABORTED') return null;
  const where = run.failingComponent
    ? [' in component ', element('strong', { 'data-failing-component': run.failingComponent }, run.failingComponent), run.failingComponentType ? ` (${run.failingComponentType})` : '', run.recordNo ? ` at record ${run.recordNo}` : '']
    : [];
  return element(
    'div',
    { class: `note ${run.status === 'ERROR' ? 'note--error' : 'note--warning'}`, role: 'alert' },
    element('h2', { class: 'note__title' }, element('span', { 'aria-hidden': 'true' }, run.status === 'ERROR' ? '✖ ' : '■ '), run.status === 'ERROR' ? 'The run failed' : 'The run was aborted', where),
    run.message ? element('pre', { class: 'failure-message' }, run.message) : null,
  );
}

/** "Phase 1 of 2 is running" from the phases' statuses. */
function phaseText(tracking, live) {
  const phases = tracking?.phases ?? [];
  if (phases.length === 0) return live ? 'Waiting for the run to start.' : '';
  const running = phases.find((phase) => phase.status === 'RUNNING');
  const done = phases.filter((phase) => phase.status === 'FINISHED_OK').length;
  if (running !== undefined) {
    return [element('span', { class: 'status status--running' }, element('span', { 'aria-hidden': 'true' }, '▶ '), `Phase ${running.phase}`), ` is running (${done} of ${phases.length} phases done).`];
  }
  if (live) return `${done} of ${phases.length} phases done.`;
  const failed = phases.find((phase) => phase.status === 'ERROR' || phase.status === 'ABORTED');
  return failed ? `Phase ${failed.phase} ended ${failed.status}; ${done} of ${phases.length} phases finished.` : `All ${phases.length} phases finished.`;
}

function parameterTable(parameters) {
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return element('p', { class: 'hint' }, 'The run was given no parameters: it used the graph’s defaults.');
  return element(
    'div',
    { class: 'table-frame', role: 'region', 'aria-label': 'Run parameters', tabindex: '0' },
    element(
      'table',
      { class: 'data-table' },
      element('caption', {}, 'Parameters the run was given (secure values masked as *****)'),
      element('thead', {}, element('tr', {}, element('th', { scope: 'col' }, 'Name'), element('th', { scope: 'col' }, 'Value'))),
      element('tbody', {}, entries.map(([name, value]) => element('tr', {}, element('th', { scope: 'row' }, element('code', {}, name)), element('td', {}, element('code', {}, String(value)))))),
    ),
  );
}

/** The Abort button (with the token field when no token is kept). */
function abortControl(runPath, container) {
  const message = element('div', { class: 'form-message', role: 'alert' });
  const form = element(
    'form',
    { class: 'abort-form' },
    tokenFieldset(() => replaceChildren(container, abortControl(runPath, container))),
    element('button', { type: 'submit', class: 'button' }, element('span', { 'aria-hidden': 'true' }, '■ '), 'Abort run'),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const token = storedToken() ?? form.elements.namedItem('apiToken')?.value ?? '';
    try {
      await postJson(`${runPath}/abort`, {}, token);
      storeToken(token);
      replaceChildren(message, element('p', {}, 'Aborting…'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) forgetToken();
      replaceChildren(message, errorNote(`The run was not aborted: ${error.message}`));
    }
  });
  return form;
}
