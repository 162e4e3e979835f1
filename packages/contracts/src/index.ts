/**
 * @kalaja/contracts — the zod schemas of what crosses a boundary: the exchange formats and
 * (as the server grows) the HTTP API. Written once here and imported by the server, the web
 * app and the command line.
 */
export * from './score-report.js';
export * from './api.js';
// Sessions, notices and people (issue 6).
export * from './account.js';
