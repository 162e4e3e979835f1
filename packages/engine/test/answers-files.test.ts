import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, formatProblem, parseAnswersCsv, parseCsv, readAnswers } from '../src/index.js';
import { small } from './fixtures/frameworks.js';

// Files as spreadsheets really write them: old Mac Excel's CR line ends, the semicolons and tabs
// of locales whose decimal mark is a comma, and our own export read back in.

const problems = (csv: string) => {
  const r = readAnswers(small(), csv, { file: 'a.csv' });
  return r.ok ? [] : r.problems.map(formatProblem);
};
const HEADER = ['organisation', 'round', 'question', 'answer', 'note'];

describe('line ends', () => {
  it('reads CR-only line ends as lines, and counts them for positions', () => {
    const csv = 'organisation,round,question,answer\rA,b,access.mfa,all\r\rA,b,access.nope,all\r';
    const { records } = parseAnswersCsv(csv, 'a.csv');
    expect(records.map((r) => [r.line, r.question])).toEqual([
      [2, 'access.mfa'],
      [4, 'access.nope'],
    ]);
    expect(problems(csv)).toEqual([
      'a.csv:4: unknown question `access.nope`: framework small 1.0.0 has no such question',
    ]);
  });

  it('counts CR line ends inside quoted fields, and after them', () => {
    const { records, problems } = parseCsv('a,b\r1,"two\rlines"\r"x\r\ny",z\r3,"4"', 'a.csv');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', 'two\rlines'], line: 2 },
      { fields: ['x\r\ny', 'z'], line: 4 },
      { fields: ['3', '4'], line: 6 },
    ]);
    const bad = parseCsv('a,b\r1,2\r3,x"y\r4,"never\r', 'a.csv').problems.map((p) => p.line);
    expect(bad).toEqual([3, 4]);
  });

  it('reads the same records whatever the line ends, with the same lines', () => {
    const row = fc.tuple(
      fc.constantFrom('A', 'Zëri i Lirë', ''),
      fc.constantFrom('access.mfa', 'access.admin', 'backup.offline'),
      fc.constantFrom('all', 'none', 'na', ''),
      fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '"', '\n', '\r', '\r\n', '=') }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const lines = [csvLine(HEADER), ...rows.map(([o, q, a, n]) => csvLine([o, 'b', q, a, n]))];
        const read = (eol: string) => parseAnswersCsv(lines.join(eol) + eol, 'a.csv');
        const lf = read('\n');
        // A note's own line breaks are kept as written, so compare the rest.
        const shape = (r: ReturnType<typeof read>) => ({
          records: r.records.map(({ note: _note, ...rest }) => rest),
          problems: r.problems,
        });
        expect(shape(read('\r'))).toEqual(shape(lf));
        expect(shape(read('\r\n'))).toEqual(shape(lf));
      }),
    );
  });
});

describe('a file without answers', () => {
  it('is an error naming the header line, not an empty result', () => {
    expect(problems('organisation,round,question,answer,note\r\n')).toEqual([
      'a.csv:1: the file has a header row but no answers: each answer is a row below it (organisation,round,question,answer,note)',
    ]);
    expect(problems('\n\norganisation,round,question,answer\n\n,,,\n')).toEqual([
      'a.csv:3: the file has a header row but no answers: each answer is a row below it (organisation,round,question,answer,note)',
    ]);
  });

  it('is empty when it holds nothing but blank lines or a byte-order mark', () => {
    for (const csv of ['', '\uFEFF', '\r\n\r\n', '  \n'])
      expect(problems(csv)).toEqual([
        'a.csv:1: the file is empty; it needs a header row: organisation,round,question,answer,note',
      ]);
  });
});

describe('separators', () => {
  it('reads semicolon- and tab-separated files, found from the header', () => {
    for (const sep of [';', '\t']) {
      const csv = [
        `\uFEFFOrganisation${sep}Round${sep}Question${sep}Answer${sep}Note`,
        `Zëri i Lirë${sep}baseline${sep}access.mfa${sep}some${sep}"Only the director${sep} ""mostly"", 3,5 days"`,
        `Zëri i Lirë${sep}baseline${sep}access.admin${sep}na`,
      ].join('\r\n');
      const { records, problems } = parseAnswersCsv(csv, 'a.csv');
      expect(problems).toEqual([]);
      expect(records).toEqual([
        {
          organisation: 'Zëri i Lirë',
          round: 'baseline',
          question: 'access.mfa',
          answer: 'some',
          note: `Only the director${sep} "mostly", 3,5 days`,
          line: 2,
        },
        { organisation: 'Zëri i Lirë', round: 'baseline', question: 'access.admin', answer: 'na', line: 3 },
      ]);
    }
  });

  it('takes the separator that names the required columns, even when another is more frequent', () => {
    const { records } = parseAnswersCsv(
      '"a,b";"c,d,e";organisation;round;question;answer\nx;y;A;b;access.mfa;all\n',
      'a.csv',
    );
    expect(records).toEqual([{ organisation: 'A', round: 'b', question: 'access.mfa', answer: 'all', line: 2 }]);
  });

  it('names the columns it found with the most frequent separator when none fits', () => {
    expect(problems('organisation;round;question;reply\nA;b;access.mfa;all\n')).toEqual([
      'a.csv:1: missing required column `answer` in the header row (found: organisation, round, question, reply)',
    ]);
  });

  it('reads what it writes, with any separator and line end', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ë', ' ', ',', ';', '\t', '"', '\n', '\r', '\r\n', '=') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 4, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        (rows, sep, eol) => {
          const write = (values: string[]) => values.map((v) => csvField(v)).join(sep);
          const text = [write(['organisation', 'round', 'question', 'answer']), ...rows.map(write)].join(eol) + eol;
          const { records, problems } = parseAnswersCsv(text, 'a.csv');
          const full = rows.filter((r) => r.slice(0, 3).every((c) => c.trim() !== ''));
          expect(records.map((r) => [r.organisation, r.round, r.question, r.answer])).toEqual(
            full.map((r) => r.slice(0, 4).map((c) => c.trim())),
          );
          expect(problems.every((p) => /empty|no answers/.test(p.message))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('writing fields', () => {
  it('quotes a field holding the separator of any locale, a quote or a line break', () => {
    expect(csvField('x;=1+1')).toBe('"x;=1+1"');
    expect(csvField('a\tb')).toBe('"a\tb"');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('plain text')).toBe('plain text');
  });
});

describe('our export read back', () => {
  const exported = (note: string, organisation = 'A') =>
    `${csvLine(HEADER)}\r\n${csvLine([organisation, 'b', 'access.mfa', 'all', note], true)}\r\n`;
  const noteOf = (csv: string) => parseAnswersCsv(csv, 'a.csv').records[0]?.note ?? '';

  it('takes off exactly the apostrophe the export put on', () => {
    expect(noteOf(exported('=HYPERLINK("x")'))).toBe('=HYPERLINK("x")');
    expect(noteOf(exported("'=1+1"))).toBe("'=1+1");
    expect(noteOf(exported("''-5"))).toBe("''-5");
    expect(noteOf(exported("'quoted'"))).toBe("'quoted'");
    expect(parseAnswersCsv(exported('x', '=Glas'), 'a.csv').records[0]?.organisation).toBe('=Glas');
    // A file written by hand: an apostrophe before a formula character is the neutraliser.
    expect(noteOf(`${csvLine(HEADER)}\nA,b,access.mfa,all,'@home\n`)).toBe('@home');
    expect(noteOf(`${csvLine(HEADER)}\nA,b,access.mfa,all,'home\n`)).toBe("'home");
  });

  it('gives back every note exactly, through export and import', () => {
    const note = fc
      .oneof(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', ',', ';', '"', ' ', 'a', 'ë') }),
        fc.string({ unit: 'grapheme' }),
      )
      .filter((s) => !s.includes('\uFFFD') && !s.includes('\0'));
    fc.assert(
      fc.property(note, (s) => {
        // Cells are trimmed on reading (the contract), so a note is compared as it is stored.
        expect(noteOf(exported(s))).toBe(s.trim());
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        note.filter((s) => s === s.trim() && s !== ''),
        (s) => {
          expect(noteOf(exported(s))).toBe(s);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
