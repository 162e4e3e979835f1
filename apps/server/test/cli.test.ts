import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreReportSchema } from '@kalaja/contracts';
import { loadFramework, parseCsv, readAnswers, scoreAnswerSet } from '@kalaja/engine';
import { readSpreadsheet, writeXlsx } from '@kalaja/engine/sheets';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');
let dir: string;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const ANSWERS = `organisation,round,question,answer,note
Zëri i Lirë,baseline,access.mfa-email,${'none'},"Only the director, so far"
Zëri i Lirë,baseline,backup.offline-copy,,
Glas Severa,baseline,access.mfa-email,phishing-resistant,
Zëri i Lirë,reassessment,access.mfa-email,phishing-resistant,
Glas Severa,reassessment,access.mfa-email,phishing-resistant,
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-cli-'));
});

describe('kalaja validate', () => {
  it('accepts the shipped framework and says what it holds', async () => {
    const r = await run('validate', FRAMEWORK);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/cso-media\.yaml: ok — cso-media 2\.0\.0, 11 domains, \d+ questions/);
  });

  it('lists every problem of a broken framework as file:line:col and exits 1', async () => {
    const bad = file(
      'bad.yaml',
      'kalaja: framework/1\nid: x\nversion: "1"\ntitle: X\ndomains:\n  - id: d\n    title: D\n    questions:\n      - {id: d.q, text: Q, cap: 20, options: [{id: a, label: A, score: 2}]}\n',
    );
    const r = await run('validate', bad, FRAMEWORK);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.startsWith(`${bad}:9:`)).toBe(true);
    expect(r.stdout).toMatch(/cso-media\.yaml: ok/);
  });

  it('reads an institution framework in percent and refuses an indicator source outside the three at its line', async () => {
    const oi = (source: string) =>
      `kalaja: framework/1\nid: oi\nversion: "1"\ntitle: Openness\nsubject: institution\nscale: 100\ndomains:\n` +
      `  - id: transparency\n    title: Transparency\n    questions:\n` +
      `      - {id: t.budget, text: B, source: desk-research, weight: 3, options: [{id: p0, label: N, score: 0}, {id: p3, label: Y, score: 1}]}\n` +
      `      - {id: t.foi, text: F, source: ${source}, options: [{id: p0, label: N, score: 0}, {id: p1, label: Y, score: 1}]}\n`;
    const good = file('oi.yaml', oi('interview'));
    const ok = await run('validate', good);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain(
      'an institution framework on 0–100, 1 principle, 2 indicators (1 desk-research, 1 interview)',
    );
    const answers = file(
      'oi.csv',
      'organisation,round,question,answer\nParliament,w1,t.budget,p3\nParliament,w1,t.foi,p0\n',
    );
    const scored = await run('score', '--framework', good, '--answers', answers, '--format', 'json');
    expect(scored.code).toBe(0);
    // 3 of the 4 points possible: 75 percent.
    expect(JSON.parse(scored.stdout).results[0]).toMatchObject({ organisation: 'Parliament', overall: 75 });
    const bad = await run('validate', file('oi-bad.yaml', oi('rumour')));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /oi-bad\.yaml:12:\d+: question `t\.foi`: source must be one of desk-research, questionnaire, interview/,
    );
  });

  it('says plainly when a file cannot be read', async () => {
    const r = await run('validate', join(dir, 'missing.yaml'));
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `kalaja validate: cannot read file ${join(dir, 'missing.yaml')}: no such file\n`,
    });
  });
});

describe('kalaja score', () => {
  it('prints the contract JSON, with the engine\u2019s figures', async () => {
    const answers = file('answers.csv', ANSWERS);
    const r = await run('score', '--framework', FRAMEWORK, '--answers', answers, '--format', 'json');
    expect(r.code).toBe(0);
    const report = scoreReportSchema.parse(JSON.parse(r.stdout));
    const fw = loadFramework(readFileSync(FRAMEWORK, 'utf8'), { file: 'f' });
    if (!fw.ok) throw new Error('framework');
    const records = readAnswers(fw.value, ANSWERS, { file: 'a' });
    if (!records.ok) throw new Error('answers');
    expect(report).toEqual(JSON.parse(JSON.stringify(scoreAnswerSet(fw.value, records.value))));
    expect(report.results.map((x) => [x.organisation, x.round, x.domains.access])).toEqual([
      ['Zëri i Lirë', 'baseline', 0],
      ['Zëri i Lirë', 'reassessment', 10],
      ['Glas Severa', 'baseline', 10],
      ['Glas Severa', 'reassessment', 10],
    ]);
    expect(report.change[0]).toMatchObject({
      from: 'baseline',
      to: 'reassessment',
      n: 2,
      overall: { n: 2, mean: 5, improved: 1, unchanged: 1 },
    });
  });

  it('adds explanations on request', async () => {
    const answers = file('answers-explain.csv', ANSWERS);
    const r = await run('score', '--framework', FRAMEWORK, '--answers', answers, '--format', 'json', '--explain');
    const first = JSON.parse(r.stdout).results[0];
    const access = first.explanation.find((d: { domain: string }) => d.domain === 'access');
    expect(access).toMatchObject({ score: 0, answered: 1 });
    expect(access.questions[0]).toMatchObject({ question: 'access.mfa-email', option: 'none', gapShare: 1 });
  });

  it('prints a table for people, rounded as the contract says', async () => {
    const answers = file('answers-table.csv', ANSWERS);
    const r = await run('score', '--framework', FRAMEWORK, '--answers', answers);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Round baseline — 2 organisations/);
    expect(r.stdout).toMatch(/Zëri i Lirë +0\.0 +Basics missing +1%/);
    expect(r.stdout).toMatch(/Cohort mean +5\.00 +Basics in place/);
    expect(r.stdout).toMatch(/Change baseline → reassessment — 2 organisations in both rounds/);
    expect(r.stdout).toMatch(/Overall +\+5\.00 +1 +0 +1/);
  });

  it('prints CSV rows per organisation and round', async () => {
    const answers = file('answers-csv.csv', ANSWERS);
    const r = await run('score', '--framework', FRAMEWORK, '--answers', answers, '--format', 'csv');
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^organisation,round,overall,level,completeness,governance,access,/);
    expect(lines[1]).toMatch(/^Zëri i Lirë,baseline,0\.0,Basics missing,0\.01,,0\.0,/);
    expect(lines).toHaveLength(5);
  });

  it('reports every problem of an answers file with its line and exits 1, printing nothing on stdout', async () => {
    const answers = file(
      'broken.csv',
      'organisation,round,question,answer\nA,baseline,access.mfa-email,maybe\nA,baseline,access.nothing,all\nA,baseline,access.mfa-email,phishing-resistant\nA,baseline,governance.security-lead,na\n',
    );
    const r = await run('score', '--framework', FRAMEWORK, '--answers', answers, '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.slice(0, 4).map((l) => l.slice(answers.length))).toEqual([
      expect.stringMatching(/^:2: question `access\.mfa-email` has no option `maybe`/),
      expect.stringMatching(/^:3: unknown question `access\.nothing`/),
      expect.stringMatching(/^:4: duplicate answer .* line 4 repeats line 2/),
      expect.stringMatching(/^:5: question `governance\.security-lead` does not allow `na`/),
    ]);
    expect(lines[4]).toBe(`kalaja score: answers file ${answers} has 4 problems`);
  });

  it('names the missing column, and the line of bytes that are not UTF-8', async () => {
    const noAnswer = file('no-answer.csv', 'organisation,round,question\nA,b,access.mfa-email\n');
    expect((await run('score', '--framework', FRAMEWORK, '--answers', noAnswer)).stderr).toMatch(
      /no-answer\.csv:1: missing required column `answer`/,
    );
    const latin1 = file(
      'latin1.csv',
      Buffer.concat([
        Buffer.from('organisation,round,question,answer\n'),
        Buffer.from([0x5a, 0xeb, 0x72, 0x69]),
        Buffer.from(',b,access.mfa-email,all\n'),
      ]),
    );
    const r = await run('score', '--framework', FRAMEWORK, '--answers', latin1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/latin1\.csv:2:2: the file is not valid UTF-8/);
  });

  it('stops at a broken framework before reading answers', async () => {
    const bad = file('bad2.yaml', 'kalaja: framework/1\nid: x\n');
    const r = await run('score', '--framework', bad, '--answers', join(dir, 'none.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad2\.yaml:1:1: missing required key `version`/);
  });

  it('answers wrong usage with exit 2 and the usage text', async () => {
    for (const argv of [
      ['score', '--framework', FRAMEWORK],
      ['score', '--framework', FRAMEWORK, '--answers', 'a.csv', '--format', 'xml'],
      ['score', '--frame', FRAMEWORK],
      ['frobnicate'],
      [],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(/Usage: kalaja/);
    }
    expect((await run('score', '--framework', FRAMEWORK, '--answers', 'a.csv', '--format', 'xml')).stderr).toMatch(
      /--format must be one of: table, json, csv/,
    );
  });

  it('prints help for each command with exit 0', async () => {
    for (const command of ['validate', 'score', 'template']) {
      const r = await run(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: kalaja ${command}`));
    }
  });
});

describe('kalaja score on files as spreadsheets write them', () => {
  const scored = async (name: string, content: string | Buffer) => {
    const r = await run('score', '--framework', FRAMEWORK, '--answers', file(name, content), '--format', 'json');
    return { ...r, report: r.code === 0 ? JSON.parse(r.stdout) : undefined };
  };
  const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

  it('scores CR-only, semicolon, tab and UTF-16 files as the same comma file', async () => {
    const expected = (await scored('plain.csv', ANSWERS)).report;
    expect(expected.results).toHaveLength(4);
    const tabbed = ANSWERS.replace(/"Only the director, so far"/, 'so far').replaceAll(',', '\t');
    for (const [name, content] of [
      ['mac.csv', ANSWERS.replaceAll('\n', '\r')],
      [
        'semicolons.csv',
        ANSWERS.replace(/"Only the director, so far"/, '"Only the director; so far"').replaceAll(',', ';'),
      ],
      ['unicode.txt', utf16le(tabbed.replaceAll('\n', '\r\n'))],
      ['unicode-be.txt', Buffer.from(utf16le(tabbed).swap16())],
    ] as const) {
      const r = await scored(name, content);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.report, name).toEqual(expected);
    }
  });

  it('names the line of a problem in a CR-only file', async () => {
    const r = await scored('mac-bad.csv', 'organisation,round,question,answer\r\rA,b,access.nothing,all\r');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mac-bad\.csv:3: unknown question `access\.nothing`/);
  });

  it('refuses a file with a header and no answers, or none at all, saying so', async () => {
    const header = await scored('header-only.csv', 'organisation,round,question,answer,note\r\n');
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/header-only\.csv:1: the file has a header row but no answers/);
    const empty = await scored('empty.csv', '');
    expect(empty.stderr).toMatch(/empty\.csv:1: the file is empty/);
  });

  it('says that a workbook, a PDF or binary data is not a CSV file, in one line', async () => {
    for (const [name, content, looks] of [
      ['scan.pdf', Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n', 'latin1'), /a PDF document/],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /an old Excel workbook/],
      ['nul.csv', Buffer.from('organisation,round\n\u0000\u0000,b\n'), /binary data/],
    ] as const) {
      const r = await scored(name, content);
      expect(r.code, name).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0], name).toMatch(
        new RegExp(`^${join(dir, name)}:\\d+(:\\d+)?: this is not a CSV file \\(it looks like`),
      );
      expect(lines[0], name).toMatch(looks);
      expect(lines, name).toHaveLength(2);
    }
  });
});

describe('kalaja score on a spreadsheet', () => {
  /** The answers above as the first sheet of a workbook, a row for each line. */
  const workbook = (edit: (rows: string[][]) => void = () => {}) => {
    const rows = parseCsv(ANSWERS, 'a.csv').records.map((r) => r.fields);
    edit(rows);
    return Buffer.from(writeXlsx({ name: 'Përgjigjet', rows }));
  };

  it('scores an .xlsx file as it scores the same answers in CSV', async () => {
    const csv = await run(
      'score',
      '--framework',
      FRAMEWORK,
      '--answers',
      file('same.csv', ANSWERS),
      '--format',
      'json',
    );
    const xlsx = await run(
      'score',
      '--framework',
      FRAMEWORK,
      '--answers',
      file('same.xlsx', workbook()),
      '--format',
      'json',
    );
    expect(xlsx).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(xlsx.stdout)).toEqual(JSON.parse(csv.stdout));
  });

  it('names each problem by its spreadsheet row', async () => {
    const bad = file(
      'bad.xlsx',
      workbook((rows) => {
        rows[3]![3] = 'maybe';
        rows.splice(2, 0, []);
      }),
    );
    const r = await run('score', '--framework', FRAMEWORK, '--answers', bad);
    expect(r.code).toBe(1);
    const prefix = `${bad}:5: question \`access.mfa-email\` has no option \`maybe\`;`;
    expect(r.stderr.split('\n').filter((l) => l.startsWith(prefix))).toHaveLength(1);
  });

  it('quotes the notes of an .xlsx file in an organisation\u2019s report, as of a CSV file', async () => {
    const out = join(dir, 'organisation.html');
    const r = await run(
      'report', '--framework', FRAMEWORK, '--answers', file('notes.xlsx', workbook()), '--out', out,
      '--organisation', 'Zëri i Lirë',
    ); // prettier-ignore
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toContain('Only the director, so far');
  });

  it('refuses a damaged workbook in one plain line, and a zip that is not a spreadsheet', async () => {
    const truncated = Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000"[Content_Types].xml', 'latin1');
    const r = await run('score', '--framework', FRAMEWORK, '--answers', file('book.xlsx', truncated));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${join(dir, 'book.xlsx')}: the spreadsheet cannot be read: it is not a complete zip archive (its directory at the end is missing)\nkalaja score: answers file ${join(dir, 'book.xlsx')} has problems\n`,
    );
    const zip = new JSZip();
    zip.file('word/document.xml', '<w/>');
    zip.file(
      '_rels/.rels',
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    );
    const docx = await run(
      'score',
      '--framework',
      FRAMEWORK,
      '--answers',
      file('answers.docx', await zip.generateAsync({ type: 'nodebuffer' })),
    );
    expect(docx.stderr).toMatch(/answers\.docx: this is an Office file but not an Excel workbook/);
  });
});

describe('kalaja template', () => {
  it('writes an .xlsx with a drop-down list of option ids in each answer cell', async () => {
    const out = join(dir, 'template.xlsx');
    const r = await run(
      'template',
      '--framework',
      FRAMEWORK,
      '--organisations',
      '=Zëri;Glas Severa',
      '--round',
      'baseline',
      '--out',
      out,
    );
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const bytes = readFileSync(out);
    const read = readSpreadsheet(bytes, out);
    if (!read.ok) throw new Error('unreadable');
    const csv = await run(
      'template',
      '--framework',
      FRAMEWORK,
      '--organisations',
      '=Zëri;Glas Severa',
      '--round',
      'baseline',
    );
    // The same rows as the CSV template, cell for cell (empty cells end a row early).
    const csvRows = parseCsv(csv.stdout, 't.csv').records.map((x) => x.fields);
    expect(read.value.rows.map((x) => x.cells)).toEqual(
      csvRows.map((cells) => {
        const shown = cells.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell));
        while (shown.at(-1) === '') shown.pop();
        return shown;
      }),
    );
    // Read back as answers: every row there, every answer empty, the names as given.
    const fw = loadFramework(readFileSync(FRAMEWORK, 'utf8'), { file: 'f' });
    if (!fw.ok) throw new Error('framework');
    const answers = readAnswers(fw.value, read.value, { file: out });
    expect(answers.ok && [...answers.value.assessments.keys()]).toEqual(['=Zëri', 'Glas Severa']);
    // The lists: each answer cell offers its question's option ids, na where the question has it.
    const zip = await JSZip.loadAsync(bytes);
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).not.toMatch(/<f>|<f /);
    const validations = [
      ...sheet.matchAll(/<dataValidation type="list"[^>]* sqref="([^"]+)"><formula1>([^<]+)<\/formula1>/g),
    ];
    const lists = new Map<string, string>();
    for (const [, sqref, formula] of validations)
      for (const range of sqref!.split(' ')) {
        const [from, to = from] = range.split(':').map((ref) => Number(ref.slice(1)));
        for (let row = from!; row <= to!; row++) lists.set(`D${row}`, formula!);
      }
    const questions = fw.value.domains.flatMap((d) => d.questions);
    expect(lists.size).toBe(questions.length * 2);
    questions.forEach((q, i) => {
      const ids = [...q.options.map((o) => o.id), ...(q.na ? ['na'] : [])].join(',');
      expect(lists.get(`D${i + 2}`), q.id).toBe(`&quot;${ids}&quot;`);
      expect(lists.get(`D${i + 2 + questions.length}`), q.id).toBe(`&quot;${ids}&quot;`);
    });
  });

  it('needs --out for a workbook, and reads the format from its name', async () => {
    const r = await run(
      'template',
      '--framework',
      FRAMEWORK,
      '--organisations',
      'A',
      '--round',
      'r1',
      '--format',
      'xlsx',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format xlsx writes a workbook, which is not for a terminal: give --out FILE.xlsx');
    const out = join(dir, 'named.xlsx');
    expect(
      (await run('template', '--framework', FRAMEWORK, '--organisations', 'A', '--round', 'r1', '--out', out)).code,
    ).toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from('PK\u0003\u0004', 'latin1'));
  });

  it('prints a blank answers file that reads back and scores as empty', async () => {
    const r = await run(
      'template',
      '--framework',
      FRAMEWORK,
      '--organisations',
      'Zëri i Lirë; Glas Severa',
      '--round',
      'baseline',
    );
    expect(r.code).toBe(0);
    const csv = file('template.csv', r.stdout);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('\uFEFForganisation,round,question,answer,note,domain,question_text,choices');
    expect(lines[1]).toMatch(
      /^Zëri i Lirë,baseline,governance\.security-lead,,,Governance, leadership and risk|^Zëri i Lirë,baseline,governance\.security-lead,,,"Governance, leadership and risk"/,
    );
    const scored = await run('score', '--framework', FRAMEWORK, '--answers', csv, '--format', 'json');
    const report = JSON.parse(scored.stdout);
    expect(report.results).toHaveLength(2);
    expect(report.results[0]).toMatchObject({ overall: null, completeness: 0 });
  });

  it('writes to --out whole, and refuses a repeated organisation', async () => {
    const out = join(dir, 'out.csv');
    expect(
      (await run('template', '--framework', FRAMEWORK, '--organisations', 'A', '--round', 'r1', '--out', out)).code,
    ).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n').length).toBeGreaterThan(60);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await run('template', '--framework', FRAMEWORK, '--organisations', 'A;A', '--round', 'r1')).code).toBe(2);
  });

  it('says that names are separated by ";" when given "A,B", rather than making one organisation', async () => {
    const commas = await run('template', '--framework', FRAMEWORK, '--organisations', 'A, B', '--round', 'r1');
    expect([commas.code, commas.stdout]).toEqual([2, '']);
    expect(commas.stderr).toContain(`separates names with ';', not ','. Did you mean "A;B"?`);
    // One name that holds a comma, said so with a trailing ';'.
    const one = await run('template', '--framework', FRAMEWORK, '--organisations', 'Zëri, Lajmi;', '--round', 'r1');
    expect(one.code).toBe(0);
    expect(one.stdout.split('\r\n')[1]).toMatch(/^"Zëri, Lajmi",r1,/);
  });

  it('neutralises formula-like organisation and round names, and reads them back as given', async () => {
    const r = await run(
      'template',
      '--framework',
      FRAMEWORK,
      '--organisations',
      '=HYPERLINK("x");@Glas',
      '--round',
      '+1',
    );
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\r\n').slice(1, -1);
    expect(rows.every((l) => l.startsWith(`"'=HYPERLINK(""x"")",'+1,`) || l.startsWith("'@Glas,'+1,"))).toBe(true);
    const { parseAnswersCsv } = await import('@kalaja/engine');
    const read = parseAnswersCsv(r.stdout, 't.csv');
    expect(read.problems).toEqual([]);
    expect(new Set(read.records.map((x) => `${x.organisation}|${x.round}`))).toEqual(
      new Set(['=HYPERLINK("x")|+1', '@Glas|+1']),
    );
  });
});

describe('the kalaja command as installed', () => {
  const bin = join(repo, 'bin/kalaja.js');

  it('runs from the bin with the contract exit codes and no stack traces', () => {
    const answers = file('bin.csv', ANSWERS);
    const ok = execFileSync(
      process.execPath,
      [bin, 'score', '--framework', FRAMEWORK, '--answers', answers, '--format', 'json'],
      { encoding: 'utf8' },
    );
    expect(scoreReportSchema.safeParse(JSON.parse(ok)).success).toBe(true);
    const invalid = spawnSync(
      process.execPath,
      [bin, 'score', '--framework', FRAMEWORK, '--answers', join(dir, 'nope.csv')],
      { encoding: 'utf8' },
    );
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
    const usage = spawnSync(process.execPath, [bin, 'score', '--nope'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});

describe('the shipped sample cohort', () => {
  it('scores as a realistic programme: ten organisations, two rounds, most improving', async () => {
    const r = await run(
      'score',
      '--framework',
      FRAMEWORK,
      '--answers',
      join(repo, 'content/samples/answers.csv'),
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const report = scoreReportSchema.parse(JSON.parse(r.stdout));
    expect(Object.keys(report.cohort)).toEqual(['baseline', 'reassessment']);
    expect(new Set(report.results.map((x) => x.organisation)).size).toBe(10);
    const baseline = report.cohort.baseline!.overall.mean!;
    expect(baseline).toBeGreaterThanOrEqual(3);
    expect(baseline).toBeLessThanOrEqual(4.5);
    const [change] = report.change;
    expect(change!.n).toBe(10);
    expect(change!.overall.improved).toBeGreaterThanOrEqual(6);
    expect(change!.overall.declined).toBeGreaterThanOrEqual(1);
  });
});
