import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreReportSchema } from '@kalaja/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const repo = new URL('../../../', import.meta.url).pathname;
const SURVEY = join(repo, 'content/frameworks/cso-threat-survey.yaml');
let dir: string;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-cli-survey-'));
});

describe('kalaja validate and kalaja score on the threat survey', () => {
  it('validates the survey and counts its unscored questions apart', async () => {
    const r = await run('validate', SURVEY);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/cso-threat-survey 1\.0\.0, 6 domains, 0 questions, 29 survey questions\n$/);
  });

  it('scores nothing of a survey and prints its tallies per round beside the contract JSON', async () => {
    const answers = file(
      'survey.csv',
      [
        'organisation,round,question,answer',
        'Drita,baseline,experience.kinds,phishing|ddos',
        'Drita,baseline,capacity.staff,12',
        'Drita,baseline,risk.worry,"Our site, again, on election night"',
        'Vatra,baseline,experience.kinds,phishing',
        'Vatra,baseline,capacity.staff,4',
      ].join('\n'),
    );
    const r = await run('score', '--framework', SURVEY, '--answers', answers, '--format', 'json');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(r.stdout);
    expect(scoreReportSchema.safeParse(report).success).toBe(true);
    expect(report.results.every((x: { overall: unknown }) => x.overall === null)).toBe(true);
    const questions = report.survey.baseline.questions as { id: string; options: { id: string; count: number }[] }[];
    const kinds = questions.find((q) => q.id === 'experience.kinds')!;
    expect(kinds.options.filter((o) => o.count > 0)).toEqual([
      { id: 'phishing', count: 2, share: 1, withheld: false },
      { id: 'ddos', count: 1, share: 0.5, withheld: false },
    ]);
    expect(questions.find((q) => q.id === 'capacity.staff')).toMatchObject({
      number: { n: 2, median: 8, min: 4, max: 12 },
    });
    expect(questions.find((q) => q.id === 'risk.worry')).toMatchObject({
      texts: ['Our site, again, on election night'],
    });
  });

  it('names the line of each answer of the wrong kind and exits 1, printing nothing on stdout', async () => {
    const answers = file(
      'bad-survey.csv',
      [
        'organisation,round,question,answer',
        'Drita,baseline,capacity.staff,twelve',
        'Drita,baseline,experience.most-serious,phishing|ddos',
        'Drita,baseline,experience.kinds,phishing|spam',
      ].join('\n'),
    );
    const r = await run('score', '--framework', SURVEY, '--answers', answers);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(
      r.stderr
        .split('\n')
        .slice(0, 3)
        .map((l) => l.slice(answers.length)),
    ).toEqual([
      expect.stringMatching(/^:2: question `capacity\.staff` takes a number, not `twelve`/),
      expect.stringMatching(/^:3: question `experience\.most-serious` takes one answer, not several/),
      expect.stringMatching(/^:4: question `experience\.kinds` has no option `spam`/),
    ]);
  });
});
