/**
 * The parameters of a triggered run: the trigger's event parameters (EVENT_FILE_*, EVENT_SCHEDULE_*)
 * plus the schedule's or listener's own `parameters`, in which `${EVENT_…}` references are
 * replaced now, when the event is known:
 *
 *   parameters: { LOCAL_FILE: "${EVENT_FILE_PATH}", REMOTE_PATH: "/outbox/${EVENT_FILE_NAME}" }
 *
 * References to other names (graph parameters, environment variables) are left for the engine to
 * resolve, still escaped where they were (`$${` stays `$${`).
 */
import { splitReferences } from '../params/parameter-references.ts';

/**
 * Returns `{ ...eventParameters, ...configured }` with event references in string values of
 * `configured` expanded. A value that is exactly one event reference takes the event value.
 * @example expandTriggerParameters({ F: '/in/${EVENT_FILE_NAME}' }, { EVENT_FILE_NAME: 'a.csv' })
 *   // { EVENT_FILE_NAME: 'a.csv', F: '/in/a.csv' }
 */
export function expandTriggerParameters(
  configured: Readonly<Record<string, unknown>>,
  eventParameters: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(eventParameters)) if (value !== undefined) result[name] = value;
  for (const [name, value] of Object.entries(configured)) {
    result[name] = typeof value === 'string' ? expandEventReferences(value, eventParameters) : value;
  }
  return result;
}

function expandEventReferences(text: string, eventParameters: Readonly<Record<string, string | undefined>>): string {
  const parts = splitReferences(text);
  if (parts === undefined) return text;
  let expanded = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      // A function replacement: in a replacement string `$$` would mean one `$`.
      expanded += part.replaceAll('${', () => '$${'); // keep a literal `${` literal for the engine's pass
    } else {
      const value = eventParameters[part.name];
      expanded += value ?? `\${${part.name}}`;
    }
  }
  return expanded;
}
