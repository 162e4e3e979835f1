import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { report } from '../src/cli/commands/report.js';
import { CliError, printProblems, UsageError } from '../src/cli/io.js';
import {
  INSTITUTIONS,
  opennessAnswers,
  opennessFramework,
  toCsv,
} from '../../../packages/engine/test/openness/fixture.js';
import { draftPaperRecommendations, makeReport } from '../src/reports/make-report.js';
import { unzipEntry } from './support/report-files.js';
import { loadFramework, readAnswers } from '@kalaja/engine';

/**
 * `kalaja report` on an institution framework writes the wave's policy paper: an openness index
 * of 72 indicators in 4 principles, 20 institutions in three countries over two waves, rendered
 * in each format and read back as text.
 */
const repo = new URL('../../../', import.meta.url).pathname;
const CSO = join(repo, 'content/frameworks/cso-media.yaml');
const SAMPLE = join(repo, 'content/samples/answers.csv');
let dir: string;
let fw: string;
let answers: string;
let institutions: string;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  let code: number;
  try {
    code = await report(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      stderr += `kalaja report: ${e.message}\n`;
      code = e.exitCode;
    } else if (e instanceof CliError) {
      printProblems(io, e.problems);
      stderr += `kalaja report: ${e.message}\n`;
      code = e.exitCode;
    } else throw e;
  }
  return { code, stdout, stderr };
}

const tool = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`${cmd} is needed for this test (apt-get install poppler-utils): ${r.error.message}`);
  return r.stdout;
};
/** The text as pdftotext reads it, with its line breaks and runs of spaces made single spaces. */
const pdfText = (path: string) => tool('pdftotext', [path, '-']).replace(/\s+/g, ' ');
const pages = (path: string) => Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [path]))?.[1]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-oi-'));
  fw = join(dir, 'openness.yaml');
  answers = join(dir, 'answers.csv');
  institutions = join(dir, 'institutions.csv');
  writeFileSync(fw, opennessFramework(72));
  writeFileSync(answers, toCsv(opennessAnswers(72, 20)));
  writeFileSync(
    institutions,
    toCsv(
      INSTITUTIONS.map((i) => [i.name, i.type, i.level, i.country]),
      ['name', 'type', 'level', 'country'],
    ),
  );
});

describe('kalaja report on an institution framework: the policy paper', () => {
  it('writes the paper of the latest wave as PDF, compared with the wave before, readable page by page', async () => {
    const out = join(dir, 'paper.pdf');
    const r = await run('--framework', fw, '--answers', answers, '--institutions', institutions, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*paper\.pdf: the policy paper of wave 2026 compared with 2025 \(20 institutions\), PDF/,
    );
    const text = pdfText(out);
    for (const heading of [
      'Openness Index of public institutions',
      'Summary',
      'Methodology',
      'The ranking',
      'Findings by principle',
      'Regional comparison',
      'Recommendations to the government as a whole',
      'Findings by institution',
      'Annex: the indicators and their sources',
      'How the recommendations were drafted',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('20 institutions were measured in wave 2026 on 72 indicators in 4 principles');
    expect(text).toContain('Tied institutions share a rank and the next rank is skipped (1, 2, 2, 4)');
    expect(text).toContain('Assembly of Kosovo');
    expect(text).toContain('parliament · central · Kosovo');
    expect(text).toContain('Desk research');
    expect(text).toContain('Rule: government-wide');
    const n = pages(out);
    // A section per institution: readable, and not one page per recommendation.
    expect(n).toBeGreaterThan(25);
    expect(n).toBeLessThan(90);
  });

  it('writes the same paper as DOCX and as HTML', async () => {
    const docx = join(dir, 'paper.docx');
    const html = join(dir, 'paper.html');
    expect((await run('--framework', fw, '--answers', answers, '--out', docx)).code).toBe(0);
    expect(
      (await run('--framework', fw, '--answers', answers, '--institutions', institutions, '--out', html)).code,
    ).toBe(0);
    const xml = unzipEntry(readFileSync(docx), 'word/document.xml')!;
    expect(xml).toContain('The ranking');
    expect(xml).toContain('Findings by principle');
    // Without the institutions file there is no country, so no regional comparison.
    expect(xml).not.toContain('Regional comparison');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2');
    expect(page).toContain('Regional comparison');
    expect(page).toContain('Assembly of North Macedonia');
    expect(page).not.toMatch(/\b(?:src|href)="https?:/);
  });

  it('writes every sentence in Albanian and Serbian with --lang', async () => {
    const sq = join(dir, 'paper-sq.pdf');
    const sr = join(dir, 'paper-sr.html');
    const a = await run(
      '--framework',
      fw,
      '--answers',
      answers,
      '--institutions',
      institutions,
      '--out',
      sq,
      '--lang',
      'sq',
    );
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    const text = pdfText(sq);
    expect(text).toContain('Indeksi i hapjes së institucioneve publike');
    expect(text).toContain('Renditja');
    expect(text).toContain('Gjetjet sipas parimit');
    expect(text).not.toContain('Findings by principle');
    expect((await run('--framework', fw, '--answers', answers, '--out', sr, '--lang', 'sr-Cyrl')).code).toBe(0);
    expect(readFileSync(sr, 'utf8')).toContain('Ранг-листа');
  });

  it('refuses flags that fit only the other kind of framework, naming the flag', async () => {
    const out = join(dir, 'x.pdf');
    const org = await run(
      '--framework',
      fw,
      '--answers',
      answers,
      '--out',
      out,
      '--organisation',
      'Assembly of Kosovo',
    );
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('--organisation is for organisation frameworks');
    expect(org.stderr).toContain('measures institutions (subject: institution)');
    const aud = await run('--framework', fw, '--answers', answers, '--out', out, '--audience', 'observers');
    expect(aud.code).toBe(2);
    expect(aud.stderr).toContain('--audience is for organisation frameworks');
    const cso = await run('--framework', CSO, '--answers', SAMPLE, '--out', out, '--institutions', institutions);
    expect(cso.code).toBe(2);
    expect(cso.stderr).toContain('--institutions is for institution frameworks (subject: institution)');
  });

  it('reads each answer’s evidence from the answers file and shows it beside what earned nothing', async () => {
    const rows = opennessAnswers(72, 20);
    const zero = rows.find((r) => r[1] === '2026' && r[3] === 'p0')!;
    const withEvidence = join(dir, 'answers-evidence.csv');
    writeFileSync(
      withEvidence,
      toCsv(
        rows.map((r) => (r === zero ? [...r, 'https://gov.example/decisions', '2026-02-14'] : [...r, '', ''])),
        ['organisation', 'round', 'question', 'answer', 'evidence_url', 'checked'],
      ),
    );
    const out = join(dir, 'evidence.html');
    const r = await run('--framework', fw, '--answers', withEvidence, '--out', out);
    expect(r.code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(
      /Of the \d+ answers in this wave, 1 carry the link they were checked at, all checked on February 14, 2026/,
    );
    expect(page).toContain('https://gov.example/decisions (February 14, 2026)');
    // The link is text in the paper: the page still requests nothing.
    expect(page).not.toMatch(/\b(?:src|href)="https?:/);

    const bad = join(dir, 'answers-bad-evidence.csv');
    writeFileSync(
      bad,
      toCsv(
        [[...zero, 'gov.example', '2999-01-01']],
        ['organisation', 'round', 'question', 'answer', 'evidence_url', 'checked'],
      ),
    );
    const b = await run('--framework', fw, '--answers', bad, '--out', join(dir, 'never.html'));
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${bad}:2: evidence_url "gov.example" is not a web address`);
    expect(b.stderr).toMatch(/:2: checked 2999-01-01 is in the future/);
  });

  it('names each problem of the institutions file at its line, and writes nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,country\nAssembly of Kosovo,Kosovo\nAssembly of Kosovo,Serbia\n');
    const out = join(dir, 'never.pdf');
    const r = await run('--framework', fw, '--answers', answers, '--institutions', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3: institution "Assembly of Kosovo" is listed twice (first at line 2)`);
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('the paper in the app’s report jobs', () => {
  it('is made from plain data like every report, and its drafts are what the team reviews', async () => {
    const f = loadFramework(opennessFramework(24), { file: 'oi.yaml' });
    if (!f.ok) throw new Error('framework');
    const a = readAnswers(f.value, toCsv(opennessAnswers(24, 10)), { file: 'a.csv' });
    if (!a.ok) throw new Error('answers');
    const input = {
      kind: 'openness' as const,
      framework: f.value,
      answers: a.value,
      options: { institutions: INSTITUTIONS },
    };
    const drafts = draftPaperRecommendations(input);
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts.every((d) => !('review' in d))).toBe(true);
    const dropped = drafts.find((d) => d.rule === 'government-wide')!;
    const made = await makeReport(
      { ...input, options: { ...input.options, recommendationEdits: [{ id: dropped.id, dropped: true }] } },
      'html',
    );
    const html = new TextDecoder().decode(made.bytes);
    expect(html).toContain('The ranking');
    expect(html).not.toContain(dropped.title);
    expect(html).toContain('the team edited 0 and dropped 1');
  });
});
