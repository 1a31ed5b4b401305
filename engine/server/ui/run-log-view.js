/**
 * A run's log (GET /api/runs/:id/log, JSON lines read page by page from ?offset=): a table of
 * time, level, component and message, a "Load more" button while the page stopped early, and
 * `follow` to keep reading while the run is live.
 */
import { getJson } from './api-client.js';
import { element } from './create-element.js';

/** pino's level numbers. */
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const FOLLOW_EVERY_MS = 1000;

export function runLogView(runId) {
  let offset = 0;
  let loading;
  const body = element('tbody', {});
  const empty = element('p', { class: 'hint' }, 'The log is empty so far.');
  const status = element('p', { class: 'hint', role: 'status' });
  const more = element('button', { type: 'button', class: 'button button--quiet', hidden: true, onclick: () => void load() }, 'Load more of the log');
  const table = element(
    'table',
    { class: 'data-table log-table' },
    element('caption', {}, 'Log entries, oldest first'),
    element(
      'thead',
      {},
      element('tr', {}, element('th', { scope: 'col' }, 'Time'), element('th', { scope: 'col' }, 'Level'), element('th', { scope: 'col' }, 'Component'), element('th', { scope: 'col' }, 'Message')),
    ),
    body,
  );
  const frame = element('div', { class: 'table-frame', role: 'region', 'aria-label': 'Run log', tabindex: '0', hidden: true }, table);

  /** Reads the next page; resolves once it is shown. Concurrent calls share one request. */
  function load(signal) {
    loading ??= (async () => {
      try {
        const page = await getJson(`/api/runs/${encodeURIComponent(runId)}/log?offset=${offset}`, signal);
        offset = page.nextOffset;
        for (const entry of page.entries) body.append(logRow(entry));
        frame.hidden = body.childElementCount === 0;
        empty.hidden = !frame.hidden;
        more.hidden = !page.more;
        status.textContent = '';
      } catch (error) {
        if (error?.name !== 'AbortError') status.textContent = `The log could not be read: ${error.message}`;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  return {
    element: element('div', { class: 'run-log' }, empty, frame, more, status),
    load,
    /** Reads on every second until `isLive()` turns false or `signal` aborts, then once more. */
    async follow(isLive, signal) {
      while (!signal.aborted && isLive()) {
        await load(signal);
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
      }
      if (!signal.aborted) await load(signal);
    },
  };
}

function logRow(entry) {
  const level = LEVELS[entry.level] ?? String(entry.level ?? '');
  const time = typeof entry.time === 'number' || typeof entry.time === 'string' ? new Date(entry.time) : null;
  const message = [entry.msg ?? '', entry.err?.message && !String(entry.msg ?? '').includes(entry.err.message) ? entry.err.message : ''].filter(Boolean).join(': ');
  return element(
    'tr',
    { class: `log-row log-row--${level}` },
    element('td', { class: 'log-time' }, time === null || Number.isNaN(time.getTime()) ? '' : element('time', { datetime: time.toISOString() }, time.toISOString().slice(11, 23))),
    element('td', {}, level),
    element('td', {}, entry.component ?? ''),
    element('td', { class: 'log-message' }, message),
  );
}
