export * from './model.js';
export * from './ranking.js';
export * from './rules.js';
export { buildOpennessPaper, sourceText } from './paper.js';
export * from './institutions.js';
export * from './evidence.js';
