/**
 * How the UI writes numbers, durations and times. Counts and durations read exactly as on the
 * rendered pictures and in `trefoil run`'s table.
 *
 * NOTE: formatCount and formatDuration repeat engine/render/label-text.ts (the browser cannot
 * import the engine's TypeScript); keep the two in step.
 */
import { element } from './create-element.js';

// A fixed locale, as in the pictures, so live counts match the server-rendered ones.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1234567` → `"1,234,567"`. */
export function formatCount(records) {
  return COUNT.format(records);
}

/** CloverDX's interval style: `850 ms`, `1.2 s`, `2m 05s`, `1h 02m`; `—` when unknown. */
export function formatDuration(durationMs) {
  if (durationMs === undefined || durationMs === null) return '—';
  if (durationMs < 1000) return `${Math.round(durationMs)} ms`;
  if (durationMs < 60_000) return `${(durationMs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(durationMs / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

const TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A `<time>` element in the reader's locale and time zone (the ISO time in `datetime` and the tooltip), or `—`. */
export function timeElement(iso) {
  if (iso === undefined || iso === null) return '—';
  return element('time', { datetime: iso, title: iso }, TIME.format(new Date(iso)));
}

/** The first block of a run id (`7f0fb8f2` of a UUID): enough to tell runs apart in a list. */
export function shortRunId(runId) {
  return runId.split('-')[0] ?? runId;
}

/** What started a run: `api`, `schedule nightly`, `listener inbox`. */
export function triggerText(trigger) {
  if (trigger === undefined || trigger === null) return '—';
  return trigger.id ? `${trigger.kind} ${trigger.id}` : trigger.kind;
}
