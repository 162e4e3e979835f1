// Benchmark: `kalaja report` end to end as a user runs it (a fresh Node process: start, load,
// read, score, lay out, render, write), on the sample cohort and on a generated cohort of
// 1,000 organisations. Goals: programme report for 10 organisations ≤ 5 s, an organisation's
// report ≤ 1 s; the 1,000-organisation report is measured with its peak memory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { median, mulberry32, repo, tmp } from './lib.js';

const RUNS = 3;
const LARGE = 1000;
const ROUNDS = ['baseline', 'reassessment'];

// Runs the command in a child process and prints its own time and peak memory at the end.
const child = `
const argv = process.argv.slice(1);
const start = performance.now();
const { report } = await import(${JSON.stringify(join(repo, 'apps/server/dist/cli/commands/report.js'))});
const loaded = performance.now();
const code = await report(argv, { stdout: () => {}, stderr: (t) => process.stderr.write(t) });
const done = performance.now();
const cpu = process.cpuUsage();
process.stdout.write(\`load=\${loaded - start} run=\${done - loaded} cpu=\${(cpu.user + cpu.system) / 1000} maxRSS=\${process.resourceUsage().maxRSS}\\n\`);
process.exitCode = code;
`;

function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, '--', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`kalaja report ${args.join(' ')} failed: ${r.stderr}`);
  const m = /load=([\d.]+) run=([\d.]+) cpu=([\d.]+) maxRSS=(\d+)/.exec(r.stdout);
  return {
    ms,
    load: Number(m?.[1] ?? 0),
    run: Number(m?.[2] ?? 0),
    cpu: Number(m?.[3] ?? 0),
    rss: Number(m?.[4] ?? 0),
  };
}

function measure(args, runs = RUNS) {
  const all = Array.from({ length: runs }, () => time(args));
  return {
    ms: median(all.map((x) => x.ms)),
    run: median(all.map((x) => x.run)),
    load: median(all.map((x) => x.load)),
    cpu: median(all.map((x) => x.cpu)),
    rss: Math.max(...all.map((x) => x.rss)),
  };
}

/** A cohort of `n` organisations × 2 rounds, every question answered, from a seeded generator. */
function generate(path, n) {
  const fw = parse(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'));
  const random = mulberry32(20260612);
  const lines = ['organisation,round,question,answer,note'];
  for (let o = 0; o < n; o++) {
    const maturity = random();
    for (const [ri, round] of ROUNDS.entries()) {
      for (const d of fw.domains) {
        for (const q of d.questions) {
          const r = random();
          const ordered = [...q.options].filter((x) => !x.unknown).sort((a, b) => a.score - b.score);
          const unknown = q.options.find((x) => x.unknown);
          const level = Math.min(
            ordered.length - 1,
            Math.floor((maturity + ri * 0.15 + r * 0.5) * ordered.length * 0.8),
          );
          const answer = r < 0.02 ? '' : q.na && r < 0.05 ? 'na' : unknown && r > 0.97 ? unknown.id : ordered[level].id;
          const note = r > 0.98 ? '"Checked with the director, see the inventory"' : '';
          lines.push(`Organisation ${o},${round},${q.id},${answer},${note}`);
        }
      }
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

export function run() {
  mkdirSync(tmp, { recursive: true });
  const framework = join(repo, 'content/frameworks/cso-media.yaml');
  const sample = join(repo, 'content/samples/answers.csv');
  const base = ['--framework', framework];
  const out = (name) => join(tmp, name);

  const programme = measure([...base, '--answers', sample, '--out', out('report-programme.pdf')]);
  const programmeDocx = measure([...base, '--answers', sample, '--out', out('report-programme.docx')]);
  const programmeHtml = measure([...base, '--answers', sample, '--out', out('report-programme.html')]);
  const organisation = measure([
    ...base,
    '--answers',
    sample,
    '--out',
    out('report-organisation.pdf'),
    '--organisation',
    'Ženska Inicijativa Đurđevak',
  ]);
  const largeAnswers = out('report-1000.csv');
  const rows = generate(largeAnswers, LARGE);
  const large = measure([...base, '--answers', largeAnswers, '--out', out('report-1000.pdf')], 1);
  const pages = (path) => {
    const r = spawnSync('pdfinfo', [path], { encoding: 'utf8' });
    return r.status === 0 ? (/Pages:\s+(\d+)/.exec(r.stdout)?.[1] ?? '?') : '?';
  };
  const size = (path) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
  return {
    name: 'kalaja report (fresh process each run; median of 3)',
    rows: [
      [
        'programme report, 10 organisations, PDF (goal ≤ 5 s)',
        `${s(programme.ms)} wall, ${s(programme.cpu)} CPU (${pages(out('report-programme.pdf'))} pages, ${size(out('report-programme.pdf'))})`,
      ],
      [
        'programme report, 10 organisations, DOCX',
        `${s(programmeDocx.ms)} wall, ${s(programmeDocx.cpu)} CPU (${size(out('report-programme.docx'))})`,
      ],
      [
        'programme report, 10 organisations, HTML',
        `${s(programmeHtml.ms)} wall, ${s(programmeHtml.cpu)} CPU (${size(out('report-programme.html'))})`,
      ],
      [
        'organisation report, PDF (goal ≤ 1 s)',
        `${s(organisation.ms)} wall, ${s(organisation.cpu)} CPU (${pages(out('report-organisation.pdf'))} pages)`,
      ],
      [
        `programme report, ${LARGE.toLocaleString('en')} organisations × 2 rounds (${rows.toLocaleString('en')} answers), PDF`,
        `${s(large.ms)} wall, ${s(large.cpu)} CPU (${pages(out('report-1000.pdf'))} pages, ${size(out('report-1000.pdf'))})`,
      ],
      [`peak memory (maxRSS), ${LARGE.toLocaleString('en')} organisations`, mib(large.rss)],
      ['peak memory (maxRSS), 10 organisations', mib(programme.rss)],
    ],
    ok: programme.ms <= 5000 && organisation.ms <= 1000,
  };
}

// `node bench/report.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = run();
  console.log(`### ${result.name}\n\n| measure | value |\n| --- | --- |`);
  for (const [k, v] of result.rows) console.log(`| ${k} | ${v} |`);
  console.log(`\n${result.ok ? 'within target' : 'OUTSIDE TARGET'}\n`);
}
