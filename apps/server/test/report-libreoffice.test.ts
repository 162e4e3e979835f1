/**
 * Every kind of DOCX report as LibreOffice lays it out: the organisation's report, the
 * programme report, the observers' edition, and a programme report on a framework as wide as
 * NIST CSF 2.0, converted to PDF in one headless soffice call, then read back with pdfinfo and
 * pdftotext. LibreOffice is the reader many organisations use, and the one that showed words
 * and numbers broken inside table cells.
 *
 * Needs soffice (Debian: libreoffice-writer-nogui) and poppler-utils; without them the test
 * fails, it does not skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  loadFramework,
  readAnswers,
  type Framework,
  type Report,
} from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../src/cli/commands/report.js';
import { brokenTokens, tableTokens } from './support/report-tokens.js';
import { wideAnswersCsv, wideFrameworkYaml } from './support/wide-framework.js';

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');
const ANSWERS = join(repo, 'content/samples/answers.csv');
const ORGANISATION = 'Ženska Inicijativa Đurđevak';

const INSTALL = 'install LibreOffice Writer: apt-get install -y libreoffice-writer-nogui';

function tool(cmd: string, args: string[], timeout = 30_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 1 << 28 });
  if (r.error) {
    const hint = cmd === 'soffice' ? INSTALL : 'apt-get install -y poppler-utils';
    throw new Error(`${cmd} is needed for this test (${hint}): ${r.error.message}`);
  }
  return r;
}

function load(yaml: string, answers: string): { fw: Framework; set: ReturnType<typeof readSet> } {
  const l = loadFramework(yaml, { file: 'f' });
  if (!l.ok) throw new Error(`framework: ${JSON.stringify(l.problems)}`);
  return { fw: l.value, set: readSet(l.value, answers) };
}
function readSet(fw: Framework, answers: string) {
  const a = readAnswers(fw, answers, { file: 'a' });
  if (!a.ok) throw new Error(`answers: ${JSON.stringify(a.problems)}`);
  return a.value;
}

let dir: string;
/** Per DOCX: the model it was made from and the text and page count of LibreOffice's PDF. */
const converted: Record<string, { model: Report; text: string; pages: number }> = {};
let seconds = 0;
/** Why the conversion could not run (no soffice, say): every test fails with it, none skips. */
let failure: unknown;
const results = () => {
  if (failure !== undefined) throw failure;
  return converted;
};

beforeAll(async () => {
  try {
    await convert();
  } catch (error) {
    failure = error;
  }
}, 240_000);

async function convert() {
  const version = tool('soffice', ['--version']);
  if (version.status !== 0) throw new Error(`soffice --version failed (${INSTALL}): ${version.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'kalaja-lo-'));
  const wideYaml = join(dir, 'wide.yaml');
  const wideCsv = join(dir, 'wide.csv');
  writeFileSync(wideYaml, wideFrameworkYaml());
  writeFileSync(wideCsv, wideAnswersCsv());
  const sample = load(readFileSync(FRAMEWORK, 'utf8'), readFileSync(ANSWERS, 'utf8'));
  const wide = load(wideFrameworkYaml(), wideAnswersCsv());
  const given = ['--framework', FRAMEWORK, '--answers', ANSWERS];
  const jobs: [string, string[], Report][] = [
    [
      'organisation',
      [...given, '--organisation', ORGANISATION],
      buildOrganisationReport(sample.fw, sample.set, ORGANISATION),
    ],
    ['programme', given, buildProgrammeReport(sample.fw, sample.set)],
    [
      'observers',
      [...given, '--audience', 'observers'],
      buildProgrammeReport(sample.fw, sample.set, { audience: 'observers' }),
    ],
    ['wide', ['--framework', wideYaml, '--answers', wideCsv], buildProgrammeReport(wide.fw, wide.set)],
  ];
  const io = { stdout: () => {}, stderr: () => {} };
  for (const [name, args] of jobs) {
    const code = await report([...args, '--out', join(dir, `${name}.docx`)], io);
    if (code !== 0) throw new Error(`kalaja report for ${name} exited ${code}`);
  }
  // One soffice for all four files; a private profile, so runs in parallel do not share one.
  const out = join(dir, 'pdf');
  mkdirSync(out);
  const t0 = performance.now();
  const r = tool(
    'soffice',
    [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'pdf',
      '--outdir',
      out,
      ...jobs.map(([name]) => join(dir, `${name}.docx`)),
    ],
    150_000,
  );
  seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
  for (const [name, , model] of jobs) {
    const pdf = join(out, `${name}.pdf`);
    const info = tool('pdfinfo', [pdf]);
    if (info.status !== 0)
      throw new Error(`LibreOffice made no readable PDF of ${name}.docx: ${info.stderr} ${r.stderr}`);
    converted[name] = {
      model,
      text: tool('pdftotext', [pdf, '-']).stdout,
      pages: Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]),
    };
  }
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('DOCX reports in LibreOffice', () => {
  it('converts all four in one soffice call, in reasonable time', () => {
    expect(Object.keys(results())).toEqual(['organisation', 'programme', 'observers', 'wide']);
    console.info(`LibreOffice converted the four DOCX reports in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(120);
  });

  it('lays each out on a plausible number of pages, with its headings', () => {
    const headings: Record<string, string[]> = {
      organisation: [ORGANISATION, 'Summary', 'Critical gaps', 'Domains', 'What shaped each domain', 'Gaps, ranked'],
      programme: ['Summary', 'Methodology', 'Findings by domain', 'Change between rounds', 'Policy recommendations'],
      observers: ['Summary', 'Methodology', 'Findings by domain', 'Change between rounds', 'Edition for observers'],
      wide: ['Summary', 'Findings by domain', 'Annex: results by organisation', 'Incident Recovery Communication'],
    };
    for (const [name, { text, pages }] of Object.entries(results())) {
      expect(pages, name).toBeGreaterThanOrEqual(4);
      expect(pages, name).toBeLessThanOrEqual(40);
      const flat = text.replace(/\s+/g, ' ');
      for (const h of headings[name]!) expect(flat, `${name}: ${h}`).toContain(h);
    }
    // The organisation's own report names it; the editions for the programme do not.
    expect(results().programme!.text).not.toContain(ORGANISATION);
  });

  it('breaks no number and no header word across lines, however many domains', () => {
    for (const [name, { model, text }] of Object.entries(results())) {
      const expected = tableTokens(model);
      expect(expected.size, name).toBeGreaterThan(10);
      expect(brokenTokens(text, expected), name).toEqual([]);
      // and no fragment of a number starts a line ("10" / ".0")
      expect(text, name).not.toMatch(/^\s*[.,]\d/m);
    }
  });
});
