/**
 * Pictures of graphs and runs: the SVG `trefoil render` draws, fetched from the API and inlined
 * so the page can update it from live tracking.
 *
 * The SVG's data attributes are the contract with engine/render/render-svg.ts:
 *   `[data-edge-id]` groups hold `<tspan data-role="records">` (the count, when the picture is
 *   of a run) and carry `data-records`; `[data-node-id]` groups carry `data-status` and
 *   `data-failed` and hold `<text data-role="status">`; `[data-phase-band]` groups are the
 *   phase bands. Colours of live states come from styles.css (CSS beats the SVG's presentation
 *   attributes), and every state is also written as text.
 */
import { getText } from './api-client.js';
import { element } from './create-element.js';
import { formatCount } from './display-format.js';

/** Fetches an SVG picture and returns it as an `<svg>` element of this document. */
export async function loadPicture(url, signal) {
  const text = await getText(url, signal);
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (svg.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) {
    throw new Error('the server sent a picture that is not SVG');
  }
  return document.importNode(svg, true);
}

/**
 * A figure for a picture: a keyboard-scrollable frame (wide graphs scroll inside it, never the
 * page) and a caption. `fit` scales the picture down to the frame's width instead (thumbnails).
 * Returns the figure and `show(svg | Error)`.
 */
export function pictureFrame(label, { fit = false, caption } = {}) {
  const frame = element('div', { class: `picture__frame${fit ? ' picture__frame--fit' : ''}`, role: 'region', 'aria-label': label, tabindex: '0' }, element('p', { class: 'picture__loading' }, 'Drawing the graph…'));
  const figure = element('figure', { class: 'picture' }, frame, caption === undefined ? null : element('figcaption', {}, caption));
  return {
    figure,
    show(svgOrError) {
      if (svgOrError instanceof Error) {
        frame.replaceChildren(element('p', { class: 'picture__problem', role: 'status' }, `The picture could not be drawn: ${svgOrError.message}`));
      } else {
        frame.replaceChildren(svgOrError);
      }
    },
  };
}

/** What a phase band's label adds for each phase status. */
const PHASE_WORDS = { RUNNING: '▶ running', FINISHED_OK: '✔ done', ERROR: '✖ failed', ABORTED: '■ aborted' };

/**
 * Shows a tracking snapshot on a run's picture: edge record counts, component statuses (text,
 * `data-status`, `data-failed` for ERROR) and each phase's state (the running phase gets
 * `data-current`, its label says "running").
 */
export function applyTracking(svg, tracking) {
  for (const edge of tracking.edges ?? []) {
    const group = svg.querySelector(`[data-edge-id="${CSS.escape(edge.id)}"]`);
    if (group === null || group.getAttribute('data-records') === String(edge.records)) continue;
    group.setAttribute('data-records', String(edge.records));
    const count = group.querySelector('tspan[data-role="records"]');
    if (count !== null) {
      count.textContent = formatCount(edge.records);
      fitEdgeLabel(group);
    }
    const tooltip = group.querySelector(':scope > title');
    if (tooltip !== null) tooltip.textContent = tooltip.textContent.replace(/[\d,]+ records$/, `${formatCount(edge.records)} records`);
  }
  for (const component of tracking.components ?? []) {
    const group = svg.querySelector(`[data-node-id="${CSS.escape(component.id)}"]`);
    if (group === null) continue;
    group.setAttribute('data-status', component.status);
    if (component.status === 'ERROR') group.setAttribute('data-failed', 'true');
    const status = group.querySelector('[data-role="status"]');
    // NOTE: the live line is the status word alone; the card was sized for the picture's first
    // status, and the final picture (fetched when the run ends) adds the times.
    if (status !== null) status.textContent = component.status;
  }
  const phases = new Map((tracking.phases ?? []).map((phase) => [String(phase.phase), phase.status]));
  for (const band of svg.querySelectorAll('[data-phase-band]')) {
    const status = phases.get(band.getAttribute('data-phase-band'));
    if (status === undefined) continue;
    band.setAttribute('data-phase-status', status);
    band.toggleAttribute('data-current', status === 'RUNNING');
    const label = band.querySelector(':scope > text');
    if (label === null) continue;
    if (!label.hasAttribute('data-label')) label.setAttribute('data-label', label.textContent);
    const word = PHASE_WORDS[status];
    label.textContent = word === undefined ? label.getAttribute('data-label') : `${label.getAttribute('data-label')} · ${word}`;
  }
}

/** Widens an edge label's box (about its centre) when its text has grown past it; never shrinks it. */
function fitEdgeLabel(group) {
  const box = group.querySelector(':scope > rect');
  const text = group.querySelector(':scope > text');
  if (box === null || text === null) return;
  const needed = text.getBBox().width + 8;
  const width = Number(box.getAttribute('width'));
  if (!(needed > width)) return;
  const centre = Number(box.getAttribute('x')) + width / 2;
  box.setAttribute('x', String(centre - needed / 2));
  box.setAttribute('width', String(needed));
}
