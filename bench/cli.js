// Benchmark: how long the command line takes to start and do a small job — `kalaja score` on an
// 800-row answers file (the first 800 rows of the sample cohort), through bin/kalaja.js as a
// user runs it — against an empty Node process (`node -e 0`), the two interleaved, 10 runs
// each after a warm-up; medians and the median of the per-pair ratios. Goal (issue 11):
// < 250 ms. Also what the command spends its time on, in process (loading the command, reading
// the framework, reading the answers and scoring), the quickest of 5.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, repo, tmp } from './lib.js';

const RUNS = 10;
const ROWS = 800;
const GOAL_MS = 250;

const phases = `
const t0 = performance.now();
const io = await import(${JSON.stringify(join(repo, 'apps/server/dist/cli/io.js'))});
await import(${JSON.stringify(join(repo, 'apps/server/dist/cli/commands/score.js'))});
const { scoreAnswerSet } = await import('@kalaja/engine/files');
const t1 = performance.now();
const fw = io.readFramework(process.argv[1]);
const t2 = performance.now();
const answers = await io.readAnswerFile(fw, process.argv[2]);
JSON.stringify(scoreAnswerSet(fw, answers));
const t3 = performance.now();
process.stdout.write(JSON.stringify({ load: t1 - t0, framework: t2 - t1, rest: t3 - t2 }));
`;

function time(args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export function run() {
  mkdirSync(tmp, { recursive: true });
  const framework = join(repo, 'content/frameworks/cso-media.yaml');
  const answers = join(tmp, 'cli-800.csv');
  const lines = readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8').split('\n');
  writeFileSync(answers, `${lines.slice(0, ROWS + 1).join('\n')}\n`);
  const kalaja = [join(repo, 'bin/kalaja.js'), 'score', '--framework', framework, '--answers', answers];
  const empty = ['-e', '0'];
  time(kalaja);
  time(empty);
  const k = [];
  const e = [];
  for (let i = 0; i < RUNS; i++) {
    k.push(time(kalaja).ms);
    e.push(time(empty).ms);
  }
  const inside = Array.from({ length: 5 }, () =>
    JSON.parse(time(['--input-type=module', '-e', phases, framework, answers], { cwd: repo }).stdout),
  );
  const quickest = (key) => Math.min(...inside.map((x) => x[key]));
  const ms = (v) => `${v.toFixed(0)} ms`;
  const kalajaMs = median(k);
  return {
    name: `the command line: kalaja score on ${ROWS} rows, against an empty Node process`,
    rows: [
      ['empty Node process (`node -e 0`), median of 10', ms(median(e))],
      [`**kalaja score, ${ROWS} rows, median of 10 (goal < ${GOAL_MS} ms)**`, `**${ms(kalajaMs)}**`],
      ['ratio, median of the pairs', `${median(k.map((x, i) => x / e[i])).toFixed(1)}×`],
      [
        'inside (the compiled modules, not the bundle the command runs from), quickest of 5: loading / reading the framework / answers and scoring',
        `${ms(quickest('load'))} / ${ms(quickest('framework'))} / ${ms(quickest('rest'))}`,
      ],
    ],
    ok: kalajaMs < GOAL_MS,
  };
}
