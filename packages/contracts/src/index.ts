/**
 * @kalaja/contracts — the zod schemas of what crosses a boundary: the exchange formats and
 * the HTTP API. Written once here and imported by the server, the web app and the command
 * line; the web app takes its types from them with `z.infer`. The limits alone, without zod,
 * are at `@kalaja/contracts/limits`. See docs/contracts.md.
 */
export * from './score-report.js';
export * from './api.js';
export * from './results.js';
// Published versions of a round's results for observers.
export * from './publications.js';
// Ranked interventions and organisations' plans.
export * from './plans.js';
// Sessions, notices, people and passkeys.
export * from './account.js';
// What moved between rounds: one organisation's change, the cohort's paired statistics.
export * from './change.js';
// Training modules, sessions, knowledge checks and their impact.
export * from './trainings.js';
// Technical findings: recorded, reviewed, planned and retested.
export * from './findings.js';
// Frameworks imported from OSCAL, CISO Assistant and OWASP SAMM: preview, then save.
export * from './framework-imports.js';
export type * from './types.js';
// The Digital Security Handbook: contents and sections, public.
export * from './handbook.js';
export * from './reporting.js';
// The incident log and the threat landscape.
export * from './incidents.js';
export * from './surveys.js';
// The openness index: institutions, their indicator sheets, published waves and open data.
export * from './openness.js';
