// Benchmark: `kalaja score` on 2,000 organisations × 3 rounds × every question of the default
// framework (about 500k answers), end to end as a user runs it, against the floor of merely
// reading and splitting the same file in Node. Both run here, in the same run, several times;
// the medians are compared. Goal (issue 11): within 2.5× of the floor.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { median, mulberry32, repo, tmp } from './lib.js';

const ORGANISATIONS = 2000;
const ROUNDS = ['baseline', 'midterm', 'reassessment'];
const RUNS = 5;

export function run() {
  const frameworkPath = join(repo, 'content/frameworks/cso-media.yaml');
  const fw = parse(readFileSync(frameworkPath, 'utf8'));
  const answersPath = join(tmp, 'score-answers.csv');
  mkdirSync(tmp, { recursive: true });
  const random = mulberry32(20261123);
  const lines = ['organisation,round,question,answer,note'];
  for (let o = 0; o < ORGANISATIONS; o++) {
    for (const round of ROUNDS) {
      for (const d of fw.domains) {
        for (const q of d.questions) {
          const r = random();
          const answer =
            r < 0.04 ? '' : q.na && r < 0.08 ? 'na' : q.options[Math.floor(random() * q.options.length)].id;
          const note = r > 0.97 ? '"Checked with the director, see the inventory"' : '';
          lines.push(`Organisation ${o},${round},${q.id},${answer},${note}`);
        }
      }
    }
  }
  writeFileSync(answersPath, `${lines.join('\n')}\n`);
  const rows = lines.length - 1;
  const bytes = statSync(answersPath).size;

  const floorScript = `const t=require('fs').readFileSync(process.argv[1],'utf8');let n=0;for(const l of t.split('\\n'))n+=l.split(',').length;if(n<0)console.log(n);`;
  const time = (args) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return { ms, stdout: r.stdout };
  };
  const floor = [];
  const kalaja = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    floor.push(time(['-e', floorScript, answersPath]).ms);
    const k = time([
      join(repo, 'bench/rss.js'),
      'score',
      '--framework',
      frameworkPath,
      '--answers',
      answersPath,
      '--format',
      'json',
    ]);
    kalaja.push(k.ms);
    rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(k.stdout.slice(-200))?.[1] ?? 0));
  }
  const f = median(floor);
  const k = median(kalaja);
  return {
    name: 'kalaja score, 2,000 organisations × 3 rounds',
    rows: [
      ['answers file', `${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB`],
      ['floor: read + split in Node (median of 5)', `${f.toFixed(0)} ms`],
      ['kalaja score --format json (median of 5)', `${k.toFixed(0)} ms`],
      ['ratio (goal ≤ 2.5×)', `${(k / f).toFixed(2)}×`],
      ['kalaja score peak RSS', `${(rss / 1024).toFixed(0)} MiB`],
    ],
    ok: k / f <= 2.5,
  };
}
