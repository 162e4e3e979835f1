import { describe, expect, it } from 'vitest';
import { formatProblem, parseAnswersCsv, parseAnswersJson, readAnswers } from '../src/index.js';
import { small } from './fixtures/frameworks.js';

const problems = (csv: string) => {
  const r = readAnswers(small(), csv, { file: 'a.csv' });
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('reading the answers exchange file', () => {
  it('reads records with notes that hold commas, quotes and line breaks', () => {
    const csv =
      'organisation,round,question,answer,note\r\nZëri i Lirë,baseline,access.mfa,some,"Only the director, ""mostly""\r\nsince May"\r\nZëri i Lirë,baseline,access.admin,na,\r\n';
    const { records, problems } = parseAnswersCsv(csv, 'a.csv');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        organisation: 'Zëri i Lirë',
        round: 'baseline',
        question: 'access.mfa',
        answer: 'some',
        note: 'Only the director, "mostly"\r\nsince May',
        line: 2,
      },
      { organisation: 'Zëri i Lirë', round: 'baseline', question: 'access.admin', answer: 'na', line: 4 },
    ]);
  });

  it('takes the columns in any order, ignores extra columns and reads a missing note as none', () => {
    const { records } = parseAnswersCsv('Question,extra,ANSWER,round,organisation\naccess.mfa,x,all,b,Org\n', 'a.csv');
    expect(records).toEqual([{ organisation: 'Org', round: 'b', question: 'access.mfa', answer: 'all', line: 2 }]);
  });

  it('trims every kind of space around a cell, a no-break space as much as a plain one', () => {
    const { records } = parseAnswersCsv(
      'organisation,round,question,answer,note\n\u00a0A ,b,access.mfa,all,\u00a0\n',
      'a.csv',
    );
    expect(records).toEqual([{ organisation: 'A', round: 'b', question: 'access.mfa', answer: 'all', line: 2 }]);
  });

  it('skips blank lines but keeps counting them', () => {
    const { records } = parseAnswersCsv(
      'organisation,round,question,answer\n\nA,b,access.mfa,all\n,,,\nA,b,access.admin,\n',
      'a.csv',
    );
    expect(records.map((r) => [r.line, r.answer])).toEqual([
      [3, 'all'],
      [5, ''],
    ]);
  });

  it('names the missing required columns', () => {
    expect(problems('organisation,round,question\nA,b,access.mfa\n')).toEqual([
      'a.csv:1: missing required column `answer` in the header row (found: organisation, round, question)',
    ]);
    expect(problems('')).toEqual([
      'a.csv:1: the file is empty; it needs a header row: organisation,round,question,answer,note',
    ]);
  });

  it('names the line of an unknown question, an unknown option and a forbidden N/A, all at once', () => {
    const csv = [
      'organisation,round,question,answer',
      'A,b,access.mfa,everyone',
      'A,b,access.nope,all',
      'A,b,access.manager,na',
      'A,b,access.admin,NA',
      'A,b,backup.tested,na',
      ',b,backup.offline,yes',
    ].join('\n');
    expect(problems(csv)).toEqual([
      'a.csv:2: question `access.mfa` has no option `everyone`; choose one of: none, dont-know, some, all, or leave it empty',
      'a.csv:3: unknown question `access.nope`: framework small 1.0.0 has no such question',
      'a.csv:4: question `access.manager` does not allow `na` (not applicable); choose one of: no, yes',
      'a.csv:5: question `access.admin` has no option `NA` (write not applicable as `na`); choose one of: no, half, yes, na, or leave it empty',
      'a.csv:7: organisation is empty',
    ]);
  });

  it('names both lines of a duplicate answer', () => {
    const csv =
      'organisation,round,question,answer\nA,b,access.mfa,all\nA,c,access.mfa,all\nB,b,access.mfa,all\nA,b,access.mfa,none\n';
    expect(problems(csv)).toEqual([
      'a.csv:5: duplicate answer for organisation "A", round "b", question `access.mfa`: line 5 repeats line 2',
    ]);
  });

  it('suggests the full id when a question is given without its domain', () => {
    expect(problems('organisation,round,question,answer\nA,b,mfa,all\n')[0]).toMatch(/did you mean `access\.mfa`\?/);
  });

  it('reads the same records from JSON and names the line of a bad record', () => {
    const json =
      '[\n  {"organisation": "A", "round": "b", "question": "access.mfa", "answer": "all"},\n  {"organisation": "A", "round": 2, "question": "access.admin"}\n]\n';
    const { records, problems } = parseAnswersJson(json, 'a.json');
    expect(records).toEqual([{ organisation: 'A', round: 'b', question: 'access.mfa', answer: 'all', line: 2 }]);
    expect(problems.map(formatProblem)).toEqual(['a.json:3: `round` must be a string']);
    const r = readAnswers(
      small(),
      '{"answers": [{"organisation": "A", "round": "b", "question": "access.mfa", "answer": "x"}]}',
      { file: 'a.json' },
    );
    expect(r.ok).toBe(false);
  });
});
