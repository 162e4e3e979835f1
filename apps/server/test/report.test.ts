import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  criticalGaps,
  englishOnly,
  formatScore,
  loadFramework,
  readAnswers,
  scoreAnswerSet,
  textFor,
  type Report,
} from '@kalaja/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { report } from '../src/cli/commands/report.js';
import { CliError, printProblems, UsageError } from '../src/cli/io.js';
import { unzipEntry } from './support/report-files.js';
import { brokenTokens, tableTokens } from './support/report-tokens.js';
import { CSF_CATEGORIES, wideAnswersCsv, wideFrameworkYaml } from './support/wide-framework.js';

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');
const ANSWERS = join(repo, 'content/samples/answers.csv');
const ORGANISATION = 'Ženska Inicijativa Đurđevak';
let dir: string;

/** Runs the command as `kalaja report` would (main.ts's handling of usage and input errors). */
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
  return r;
};
const pdfText = (path: string) => tool('pdftotext', ['-layout', path, '-']).stdout;
const pages = (path: string) => Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [path]).stdout)?.[1]);

const fw = (() => {
  const l = loadFramework(readFileSync(FRAMEWORK, 'utf8'), { file: 'f' });
  if (!l.ok) throw new Error('framework');
  return l.value;
})();
const sample = (() => {
  const a = readAnswers(fw, readFileSync(ANSWERS, 'utf8'), { file: 'a' });
  if (!a.ok) throw new Error('answers');
  return a.value;
})();
const scores = scoreAnswerSet(fw, sample);
const cohortMeans = Object.values(scores.cohort).map((c) => formatScore(c.overall.mean, 2));

const out: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-report-'));
  const jobs: [string, string[]][] = [
    ['programme.pdf', []],
    ['programme.docx', []],
    ['programme.html', []],
    ['observers.html', ['--audience', 'observers']],
    ['organisation.pdf', ['--organisation', ORGANISATION]],
    ['organisation.docx', ['--organisation', ORGANISATION]],
    ['organisation-sr.docx', ['--organisation', ORGANISATION, '--lang', 'sr-Cyrl']],
    ['programme-sr.pdf', ['--lang', 'sr-Cyrl', '--title', 'Програм сајбер безбедности']],
  ];
  for (const [name, extra] of jobs) {
    const path = join(dir, name);
    const r = await run('--framework', FRAMEWORK, '--answers', ANSWERS, '--out', path, ...extra);
    if (r.code !== 0) throw new Error(`${name}: ${r.stderr}`);
    out[name] = path;
  }
}, 120_000);

describe('kalaja report: PDF', () => {
  it('prints the cohort means per round as the engine rounds them', () => {
    const text = pdfText(out['programme.pdf']!);
    expect(cohortMeans).toEqual(['3.44', '4.07']);
    for (const mean of cohortMeans) expect(text).toContain(mean);
    expect(text).toContain(formatScore(scores.change[0]!.overall.mean, 2).replace(/^/, '+'));
    expect(text).toMatch(/Policy recommendations/);
    expect(text).toMatch(/Organisation J/);
  });

  it('renders an organisation’s name with its diacritics, and Cyrillic, in the text layer', () => {
    const text = pdfText(out['organisation.pdf']!);
    expect(text).toContain(ORGANISATION);
    expect(text).toMatch(/Confidential/i);
    const result = scores.results.find((r) => r.organisation === ORGANISATION && r.round === 'reassessment')!;
    expect(text).toContain(formatScore(result.overall, 1));
    // its critical gaps are named, each with the question as the framework asks it
    const gaps = criticalGaps(fw, sample.assessments.get(ORGANISATION)!.get('reassessment')!);
    expect(gaps.length).toBeGreaterThan(0);
    expect(text).toMatch(/Critical gaps/);
    const flat = text.replace(/\s+/g, ' ');
    for (const g of gaps) {
      const q = fw.domains.flatMap((d) => d.questions).find((x) => x.id === g.question)!;
      expect(flat).toContain(textFor(q.text).slice(0, 30));
    }
    const sr = pdfText(out['programme-sr.pdf']!);
    expect(sr).toContain('Програм сајбер безбедности');
    expect(sr).toContain('Сажетак');
  });

  it('renders every page of both reports with pdftoppm', () => {
    for (const name of ['programme.pdf', 'organisation.pdf']) {
      const n = pages(out[name]!);
      expect(n).toBeGreaterThan(3);
      const prefix = join(dir, `${name}-page`);
      const r = tool('pdftoppm', ['-png', '-r', '24', out[name]!, prefix]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(readdirSync(dir).filter((f) => f.startsWith(`${name}-page`) && f.endsWith('.png'))).toHaveLength(n);
    }
  });
});

describe('kalaja report: tables of any width', () => {
  it('breaks no number and no header word across lines in the PDF, with 11 domains or 22', async () => {
    const framework = join(dir, 'wide.yaml');
    const answers = join(dir, 'wide.csv');
    writeFileSync(framework, wideFrameworkYaml());
    writeFileSync(answers, wideAnswersCsv());
    const l = loadFramework(wideFrameworkYaml(), { file: 'wide.yaml' });
    if (!l.ok) throw new Error('wide framework');
    expect(l.value.domains).toHaveLength(CSF_CATEGORIES.length);
    const a = readAnswers(l.value, wideAnswersCsv(), { file: 'wide.csv' });
    if (!a.ok) throw new Error('wide answers');
    const cases: [string, Report][] = [
      ['programme.pdf', buildProgrammeReport(fw, sample)],
      ['organisation.pdf', buildOrganisationReport(fw, sample, ORGANISATION)],
    ];
    for (const [name, extra, model] of [
      ['wide.pdf', [], buildProgrammeReport(l.value, a.value)],
      [
        'wide-organisation.pdf',
        ['--organisation', 'Organisation 1'],
        buildOrganisationReport(l.value, a.value, 'Organisation 1'),
      ],
    ] as const) {
      const r = await run('--framework', framework, '--answers', answers, '--out', join(dir, name), ...extra);
      expect(r.code, r.stderr).toBe(0);
      out[name] = join(dir, name);
      cases.push([name, model]);
    }
    for (const [name, model] of cases) {
      const expected = tableTokens(model);
      expect(expected.get('10.0') ?? 0, name).toBeGreaterThan(name.startsWith('wide') ? 10 : -1);
      const text = pdfText(out[name]!);
      expect(brokenTokens(text, expected), name).toEqual([]);
      expect(text, name).not.toMatch(/^\s*[.,]\d/m);
    }
    // The annex's domain table is split, each part repeating the organisation column, and
    // together the parts hold every domain's column once, in order.
    const headers = pdfText(out['wide.pdf']!).match(/^\s*Organisation(?:\s+\d+)+\s*$/gm) ?? [];
    expect(headers.length).toBeGreaterThan(1);
    const numbers = headers.flatMap((h) => h.trim().split(/\s+/).slice(1).map(Number));
    expect(numbers).toEqual(CSF_CATEGORIES.map((_, i) => i + 1));
  });
});

describe('kalaja report: DOCX', () => {
  it('writes a valid Word document whose text holds the figures', () => {
    const zip = readFileSync(out['programme.docx']!);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const xml = unzipEntry(zip, 'word/document.xml');
    expect(xml).not.toBeNull();
    for (const mean of cohortMeans) expect(xml).toContain(`>${mean}<`);
    expect(xml).toContain('w:pStyle w:val="Heading1"');
    expect(xml).toContain('<w:tbl>');
    expect(unzipEntry(zip, '[Content_Types].xml')).toContain('wordprocessingml');
    const org = unzipEntry(readFileSync(out['organisation.docx']!), 'word/document.xml')!;
    expect(org).toContain(ORGANISATION);
  });

  it('gives every drawing its own id: Word calls duplicate wp:docPr ids unreadable content', () => {
    const xml = unzipEntry(readFileSync(out['programme.docx']!), 'word/document.xml')!;
    const ids = [...xml.matchAll(/<wp:docPr id="(\d+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares the language of the report and a font every platform has, or has a metric twin of', () => {
    for (const [name, lang] of [
      ['programme.docx', 'en-GB'],
      ['organisation-sr.docx', 'sr-Cyrl-RS'],
    ] as const) {
      const styles = unzipEntry(readFileSync(out[name]!), 'word/styles.xml')!;
      const defaults = /<w:rPrDefault>(.*?)<\/w:rPrDefault>/s.exec(styles)?.[1] ?? '';
      expect(defaults).toContain(`<w:lang w:val="${lang}"/>`);
      expect(defaults).toMatch(/<w:rFonts w:ascii="Arial"[^>]*w:hAnsi="Arial"/);
      expect(styles).not.toContain('Calibri');
    }
  });

  it('keeps headings, and a paragraph introducing a table, with what follows', () => {
    const zip = readFileSync(out['organisation.docx']!);
    const styles = unzipEntry(zip, 'word/styles.xml')!;
    for (const id of ['Title', 'Heading1', 'Heading2', 'Heading3']) {
      const style = new RegExp(`<w:style [^>]*w:styleId="${id}">.*?</w:style>`, 's').exec(styles)?.[0];
      expect(style, id).toContain('<w:keepNext/>');
    }
    const xml = unzipEntry(zip, 'word/document.xml')!;
    // The paragraph just before each table that has text keeps with the table (or is a heading).
    const before = [...xml.matchAll(/<w:p>((?:(?!<w:p>).)*?)<\/w:p><w:tbl>/gs)].map((m) => m[1]!);
    const introductions = before.filter((p) => p.includes('<w:t') && !/w:pStyle w:val="(Heading\d|Title)"/.test(p));
    expect(introductions.length).toBeGreaterThan(2);
    for (const p of introductions) expect(p).toContain('<w:keepNext/>');
  });
});

describe('kalaja report: HTML', () => {
  it('is one self-contained document: no script and no URL at all', () => {
    const html = readFileSync(out['programme.html']!, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/http/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain('<svg');
    for (const mean of cohortMeans) expect(html).toContain(mean);
  });

  it('leaves every organisation out of the edition for observers', () => {
    const html = readFileSync(out['observers.html']!, 'utf8');
    expect(html).not.toMatch(/Organisation A\b/);
    for (const name of scores.results.map((r) => r.organisation)) expect(html).not.toContain(name);
    expect(html).toContain('3.44');
  });
});

describe('kalaja report: bad input and usage', () => {
  it('names the file and line of every problem in the answers and exits 1, writing nothing', async () => {
    const answers = join(dir, 'bad.csv');
    writeFileSync(
      answers,
      'organisation,round,question,answer\nA,baseline,access.mfa-email,phishing-resistant\nA,baseline,access.nope,x\nA,baseline,backup.offline-copy,maybe\n',
    );
    const target = join(dir, 'bad.pdf');
    const r = await run('--framework', FRAMEWORK, '--answers', answers, '--out', target);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${answers}:3: unknown question`);
    expect(r.stderr).toContain(`${answers}:4: question \`backup.offline-copy\` has no option \`maybe\``);
    expect(existsSync(target)).toBe(false);
  });

  it('points at the line of a broken framework', async () => {
    const framework = join(dir, 'bad.yaml');
    writeFileSync(framework, 'kalaja: framework/1\nid: x\nversion: "1"\ntitle: X\nscale: -1\ndomains: []\n');
    const r = await run('--framework', framework, '--answers', ANSWERS, '--out', join(dir, 'x.pdf'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${framework.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
  });

  it('refuses an unknown language or format with exit 2 and the choices', async () => {
    const lang = await run('--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'x.pdf'), '--lang', 'de');
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang must be one of: en, sq, sr-Latn, sr-Cyrl (got "de")');
    const format = await run(
      '--framework',
      FRAMEWORK,
      '--answers',
      ANSWERS,
      '--out',
      join(dir, 'x.pdf'),
      '--format',
      'odt',
    );
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of: pdf, docx, html');
    const guess = await run('--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'report.txt'));
    expect(guess.code).toBe(2);
    expect(guess.stderr).toMatch(/cannot tell the format/);
    const unknown = await run('--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'x.pdf'), '--wat');
    expect(unknown.code).toBe(2);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });

  it('refuses an organisation that is not in the answers (exit 1), and a confidential report for observers (exit 2)', async () => {
    const missing = await run(
      '--framework',
      FRAMEWORK,
      '--answers',
      ANSWERS,
      '--out',
      join(dir, 'o.pdf'),
      '--organisation',
      'Nobody',
    );
    // A name the data does not hold is invalid input (1), like `kalaja plan`; 2 is for usage mistakes.
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"Dosja e Hapur"');
    expect(missing.stderr).not.toContain('Usage:');
    const cased = await run(
      '--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'o.pdf'), '--organisation', 'dosja e hapur',
    ); // prettier-ignore
    expect(cased.code).toBe(1);
    expect(cased.stderr).toContain('(did you mean "Dosja e Hapur"?)');
    const observers = await run(
      '--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'o.pdf'),
      '--organisation', ORGANISATION, '--audience', 'observers',
    ); // prettier-ignore
    expect(observers.code).toBe(2);
  });

  it('never leaves half a file at --out: an existing file survives a failed run whole', async () => {
    const target = join(dir, 'keep.pdf');
    writeFileSync(target, 'the previous report');
    const answers = join(dir, 'bad2.csv');
    writeFileSync(answers, 'organisation,round,question,answer\nA,baseline,nope,x\n');
    const r = await run('--framework', FRAMEWORK, '--answers', answers, '--out', target);
    expect(r.code).toBe(1);
    expect(readFileSync(target, 'utf8')).toBe('the previous report');
    const nowhere = await run(
      '--framework',
      FRAMEWORK,
      '--answers',
      ANSWERS,
      '--out',
      join(dir, 'no-such-dir', 'r.html'),
    );
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/cannot write .*r\.html: ENOENT/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes Albanian throughout with the shipped framework, and says so when a framework lacks the language', async () => {
    const r = await run('--framework', FRAMEWORK, '--answers', ANSWERS, '--out', join(dir, 'sq.html'), '--lang', 'sq');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'sq.html'), 'utf8')).toContain('3,44');
    // The same framework with its translations taken out.
    const english = join(dir, 'english-only.json');
    writeFileSync(english, JSON.stringify(englishOnly(parseYaml(readFileSync(FRAMEWORK, 'utf8')))));
    const old = await run(
      '--framework',
      english,
      '--answers',
      ANSWERS,
      '--out',
      join(dir, 'sq-1.html'),
      '--lang',
      'sq',
    );
    expect(old.code).toBe(0);
    expect(old.stderr).toMatch(/kalaja report: \d+ texts have no Albanian translation yet and are in English/);
  });
});

describe('kalaja report: small and unusual cohorts', () => {
  const SMALL = `kalaja: framework/1
id: tiny
version: "2"
title: {en: Tiny framework, sr-Latn: Mali okvir}
scale: 5
domains:
  - id: a
    title: Accounts
    questions:
      - id: a.mfa
        text: Two-step login?
        cap: 1
        options:
          - {id: no, label: No, score: 0}
          - {id: dk, label: "Don't know", score: 0, unknown: true}
          - {id: yes, label: Yes, score: 1}
  - id: b
    title: Backups
    questions:
      - id: b.offline
        text: Offline copy?
        na: true
        options:
          - {id: no, label: No, score: 0}
          - {id: yes, label: Yes, score: 1}
`;

  it('renders one round, no levels, blank and N/A answers and withheld figures in every format', async () => {
    const framework = join(dir, 'tiny.yaml');
    writeFileSync(framework, SMALL);
    const answers = join(dir, 'tiny.csv');
    writeFileSync(
      answers,
      'organisation,round,question,answer,note\nĐorđe & Co <x>,only,a.mfa,dk,"Nije sigurno, proveriti"\nĐorđe & Co <x>,only,b.offline,na,\nQ,only,a.mfa,,\n',
    );
    for (const extra of [
      [],
      ['--audience', 'observers'],
      ['--organisation', 'Đorđe & Co <x>'],
      ['--lang', 'sr-Latn'],
    ]) {
      for (const format of ['pdf', 'docx', 'html']) {
        const path = join(dir, `tiny-${extra.join('-')}.${format}`);
        const r = await run('--framework', framework, '--answers', answers, '--out', path, ...extra);
        expect(r.code, r.stderr).toBe(0);
        expect(existsSync(path)).toBe(true);
        if (format === 'html') {
          const html = readFileSync(path, 'utf8');
          expect(html).not.toContain('<x>');
          if (extra[0] === '--organisation') expect(html).toContain('Đorđe &amp; Co &lt;x&gt;');
        }
        if (format === 'pdf') expect(tool('pdftoppm', ['-png', '-r', '12', path, `${path}-page`]).status).toBe(0);
      }
    }
  });
});
