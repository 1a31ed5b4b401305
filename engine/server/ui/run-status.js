/**
 * Status badges for runs, components and phases (CloverDX's status names). Every badge shows an
 * icon and the status word, so colour is never the only sign; the tone class only adds colour.
 */
import { element } from './create-element.js';

const STATUS_LOOK = {
  ENQUEUED: { icon: '◷', tone: 'waiting' },
  READY: { icon: '○', tone: 'waiting' },
  RUNNING: { icon: '▶', tone: 'running' },
  FINISHED_OK: { icon: '✔', tone: 'ok' },
  ERROR: { icon: '✖', tone: 'error' },
  ABORTED: { icon: '■', tone: 'aborted' },
  UNKNOWN: { icon: '?', tone: 'unknown' },
};

/** Every run status, in lifecycle order (as the API's RUN_STATUSES). */
export const RUN_STATUSES = ['ENQUEUED', 'RUNNING', 'FINISHED_OK', 'ERROR', 'ABORTED', 'UNKNOWN'];

/** True while a run may still change: enqueued or running. */
export function isActiveStatus(status) {
  return status === 'ENQUEUED' || status === 'RUNNING';
}

/** `<span class="status status--ok" data-status="FINISHED_OK">✔ FINISHED_OK</span>`. */
export function statusBadge(status) {
  const look = STATUS_LOOK[status] ?? STATUS_LOOK.UNKNOWN;
  return element(
    'span',
    { class: `status status--${look.tone}`, 'data-status': status },
    element('span', { class: 'status__icon', 'aria-hidden': 'true' }, look.icon),
    ' ',
    element('span', { class: 'status__word' }, status),
  );
}
