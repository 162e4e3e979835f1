/**
 * @kalaja/engine/files — reading Kalaja's files (frameworks, intervention catalogues, training
 * modules, answers) and scoring them: what `kalaja score`, `plan`, `validate` and `training`
 * need, without the reports, the handbook and the disclosure rules that `@kalaja/engine` as a
 * whole also loads. A command that starts for one small job pays only for this (issue 11).
 */
export * from './problems.js';
export * from './text.js';
export * from './framework/types.js';
export * from './framework/load.js';
export * from './framework/lookup.js';
export * from './answers/csv.js';
export * from './answers/encoding.js';
export * from './answers/collect.js';
export * from './answers/parse.js';
export * from './survey/answers.js';
export * from './survey/tally.js';
export * from './scoring/round.js';
export * from './scoring/score.js';
export * from './scoring/explain.js';
export * from './scoring/stats.js';
export * from './scoring/paired.js';
export * from './scoring/cohort.js';
export * from './display/levels.js';
export * from './interventions/types.js';
export * from './interventions/load.js';
export * from './training/types.js';
export * from './training/load.js';
