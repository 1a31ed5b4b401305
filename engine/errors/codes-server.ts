/** Codes for `trefoil serve`: its config file, schedules, file listeners, run queue and history. */
import { defineCodes } from './define-codes.ts';

export const SERVER_CODES = defineCodes({
  TREFOIL_ERR_SERVER_CONFIG_READ: {
    summary: 'The server config file cannot be read.',
    fix: 'Check the path given to --config and that the file is readable.',
  },
  TREFOIL_ERR_SERVER_CONFIG_YAML: {
    summary: 'The server config file is not valid YAML.',
    fix: 'Correct the YAML syntax at the reported position (indentation, quoting, a missing colon).',
  },
  TREFOIL_ERR_SERVER_CONFIG_SCHEMA: {
    summary: 'A server config value has the wrong type, is missing, or is not a known key.',
    fix: 'Compare the reported key with the server config format (SPEC §9): spelling, type and allowed values.',
  },
  TREFOIL_ERR_SERVER_EVENT_PARAMETER: {
    summary: "A trigger's parameters refer to an event parameter that trigger does not provide.",
    fix: 'Schedules provide EVENT_SCHEDULE_ID and EVENT_SCHEDULE_TIME; listeners provide EVENT_FILE_PATH, EVENT_FILE_NAME, EVENT_FILE_URLS, EVENT_FILE_EVENT_TYPE and EVENT_FILE_LISTENER_ID (grouped listeners only the last three).',
  },
  TREFOIL_ERR_SERVER_DUPLICATE_ID: {
    summary: 'Two schedules or listeners have the same id.',
    fix: 'Give every schedule and listener an id of its own; run history and the API refer to triggers by id.',
  },
  TREFOIL_ERR_SERVER_SCHEDULE_TIMING: {
    summary: 'A schedule does not say exactly once when it fires.',
    fix: 'Give each schedule exactly one of `every` (an interval), `cron` (an expression) or `at` (one ISO time).',
  },
  TREFOIL_ERR_SERVER_DURATION: {
    summary: 'A schedule or listener interval is zero.',
    fix: 'Give `every` or `interval` a duration greater than zero, e.g. `30s`, `5m`, `1h 30m`.',
  },
  TREFOIL_ERR_SERVER_CRON: {
    summary: 'A cron expression is invalid.',
    fix: 'Use 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, as in CloverDX/Quartz: `0 */5 * * * *`. Day-of-week numbers are 0-7 with 0 and 7 = Sunday; names (MON, JAN) are safer.',
  },
  TREFOIL_ERR_SERVER_AT: {
    summary: 'An `at` time is not an ISO-8601 date and time.',
    fix: 'Write one instant such as `2026-12-01T10:00:00Z` (or with an offset, `+02:00`); without an offset it is local time of the schedule timezone.',
  },
  TREFOIL_ERR_SERVER_TIMEZONE: {
    summary: 'A timezone is not a known IANA zone name.',
    fix: 'Use a zone name such as `Europe/Prague` or `UTC`.',
  },
  TREFOIL_ERR_SERVER_FILE_PATTERN: {
    summary: 'A file listener pattern is not a valid file-name glob.',
    fix: 'Patterns match file names only (no `/`): `*`, `?`, `[abc]`, `[!abc]`, `{csv,tsv}`. Check brackets and braces are closed.',
  },
  TREFOIL_ERR_SERVER_TOKEN: {
    summary: 'The API token cannot be resolved.',
    fix: 'Set the environment variable named in `server.token.env`, or store the token as a secure parameter in the params file named in `server.token`.',
  },
  TREFOIL_ERR_SERVER_HISTORY_OPEN: {
    summary: 'The run history database cannot be opened.',
    fix: 'Check that `dataDir` is writable and that the better-sqlite3 native module is built for this Node.js version (`npm rebuild better-sqlite3`).',
  },
  TREFOIL_ERR_SERVER_HISTORY_VERSION: {
    summary: 'The run history database was written by a newer Trefoil.',
    fix: 'Run the newer Trefoil again, or point `dataDir` at a fresh directory; older versions never downgrade a history database.',
  },
  TREFOIL_ERR_SERVER_LISTEN: {
    summary: 'The server cannot listen on its host and port.',
    fix: 'Choose a free port in `server.port` (0 picks any free port), or stop the process that holds it; check that `server.host` is an address of this machine.',
  },
  TREFOIL_ERR_SERVER_RUN_PROCESS: {
    summary: "A run's process could not start or ended without reporting a result (it crashed or was killed).",
    fix: "Read the run's log and the message (the process's last error output); a component that exits the process or runs out of memory ends the run this way. Check that `trefoil` itself starts (`trefoil --version`).",
  },
  TREFOIL_ERR_SERVER_GRAPH_NOT_FOUND: {
    summary: 'The API was asked for a graph that is not in the project.',
    fix: 'Name a graph file listed by `GET /api/graphs` (a path relative to the project directory, under the configured graph roots or used by a schedule or listener).',
  },
  TREFOIL_ERR_SERVER_RUN_NOT_FOUND: {
    summary: 'The API was asked for a run id the server does not know.',
    fix: 'Use a run id returned by `POST /api/runs` or listed by `GET /api/runs`; retention may have deleted old runs.',
  },
  TREFOIL_ERR_SERVER_RUN_FINISHED: {
    summary: 'An abort was asked for a run that has already ended.',
    fix: 'Nothing to do: the run is over. `GET /api/runs/:id` shows how it ended.',
  },
  TREFOIL_ERR_SERVER_API_UNAUTHORIZED: {
    summary: 'A mutating API call came without the right bearer token.',
    fix: 'Send `Authorization: Bearer <token>` with the token configured in `server.token` (an environment variable or a secure parameter). Without `server.token` the mutating calls are refused.',
  },
  TREFOIL_ERR_SERVER_API_REQUEST: {
    summary: 'An API request is malformed: bad JSON, a wrong field type, an unknown filter value.',
    fix: 'Compare the request with the route documentation in engine/server/server-api.ts; the message names the field.',
  },
  TREFOIL_ERR_SERVER_API_ROUTE: {
    summary: 'No API route has this path, or the route does not take this method.',
    fix: 'Check the path and method against the routes listed in engine/server/server-api.ts (e.g. `GET /api/runs`, `POST /api/runs`).',
  },
});
