/**
 * @kalaja/engine — the pure domain of Kalaja. Frameworks as data, answers as records, and the
 * one implementation of the scoring contract that the command line, the server and the
 * reports all use. No I/O here beyond parsing text it is given.
 */
export * from './problems.js';
export * from './text.js';
export * from './transliterate.js';
export * from './framework/types.js';
export * from './framework/load.js';
export * from './framework/lookup.js';
export * from './framework/translations.js';
export * from './answers/csv.js';
export * from './answers/encoding.js';
export * from './answers/collect.js';
export * from './answers/parse.js';
export * from './scoring/round.js';
// The display helpers, also at `@kalaja/engine/display` for the browser.
export * from './display/numbers.js';
export * from './display/levels.js';
export * from './display/labels.js';
export * from './scoring/score.js';
export * from './scoring/explain.js';
export * from './scoring/stats.js';
export * from './scoring/paired.js';
export * from './scoring/cohort.js';
export * from './scoring/organisation-change.js';
export * from './report/report-model.js';
export * from './report/report-text.js';
export * from './report/figures.js';
export * from './report/recommendations.js';
export * from './report/programme-report.js';
export * from './report/recommendation-edits.js';
export * from './report/organisation-report.js';
export * from './report/plans.js';
export * from './report/findings-report.js';
export * from './report/threats-report.js';
export * from './report/change-words.js';
export * from './openness/index.js';
export * from './interventions/types.js';
export * from './interventions/load.js';
export * from './interventions/rank.js';
export * from './training/types.js';
export * from './training/load.js';
export * from './training/responses.js';
export * from './documents/kind.js';
export * from './disclosure/disclose.js';
export * from './disclosure/publication.js';
export * from './disclosure/view.js';
export * from './handbook/types.js';
export * from './handbook/load.js';
export * from './incidents/taxonomy.js';
export * from './incidents/landscape.js';
export * from './incidents/landscape-publication.js';
export * from './survey/answers.js';
export * from './survey/tally.js';
export * from './import/index.js';
export * from './openness/wave-index.js';
