export * from './model.js';
export * from './ranking.js';
export * from './rules.js';
export { buildOpennessPaper, sourceText, MISSED_SHOWN } from './paper.js';
export * from './institutions.js';
