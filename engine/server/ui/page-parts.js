/**
 * Pieces several pages share: the page heading (which takes focus after navigation), validity
 * badges, problem lists, description lists and error notes.
 */
import { element } from './create-element.js';

/** The page's `<h1>`, focusable by script so navigation can move focus to it. */
export function pageHeading(text, ...extra) {
  return element('h1', { tabindex: '-1' }, text, extra);
}

/** `✔ valid` / `⚠ invalid`, in words and colour. */
export function validityBadge(valid) {
  return valid
    ? element('span', { class: 'status status--ok', 'data-valid': 'true' }, element('span', { 'aria-hidden': 'true' }, '✔'), ' valid')
    : element('span', { class: 'status status--error', 'data-valid': 'false' }, element('span', { 'aria-hidden': 'true' }, '⚠'), ' invalid');
}

/** A graph's validation problems (`FILE:LINE:COL CODE message`). */
export function problemNote(problems) {
  return element('div', { class: 'note note--error' }, element('p', {}, 'Problems:'), element('ul', { class: 'problem-list' }, problems.map((problem) => element('li', {}, element('code', {}, problem)))));
}

/** A `<dl>` of [term, description] pairs (descriptions may be nodes). */
export function detailList(pairs, className = 'details') {
  return element(
    'dl',
    { class: className },
    pairs.filter(Boolean).map(([term, description]) => element('div', {}, element('dt', {}, term), element('dd', {}, description))),
  );
}

/** An error message for the page (role=alert, so it is announced). */
export function errorNote(message) {
  return element('div', { class: 'note note--error', role: 'alert' }, element('p', {}, message));
}
