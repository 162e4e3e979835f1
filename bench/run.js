// `npm run bench`: runs every benchmark and prints its figures as Markdown, ready for
// docs/benchmarks.md. Targets are ratios against a baseline measured in the same run.
import { cpus } from 'node:os';
import * as cli from './cli.js';
import * as cohort from './cohort.js';
import * as importing from './import.js';
import * as save from './save-answer.js';
import * as region from './region.js';
import * as report from './report.js';
import * as reportSave from './report-save.js';
import * as resultsPage from './results-page.js';
import * as score from './score.js';

const suites = {
  score,
  cli,
  save,
  cohort,
  report,
  'report-save': reportSave,
  import: importing,
  region,
  'results-page': resultsPage,
};
const only = process.argv.slice(2);
let failed = 0;
console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
for (const [name, suite] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  // A suite gives one result, or several (the save benchmark: one per database).
  for (const result of [await suite.run()].flat()) {
    console.log(`### ${result.name}\n\n| measure | value |\n| --- | --- |`);
    for (const [k, v] of result.rows) console.log(`| ${k} | ${v} |`);
    console.log(`\n${result.ok ? 'within target' : 'OUTSIDE TARGET'}\n`);
    if (!result.ok) failed++;
  }
}
process.exitCode = failed ? 1 : 0;
