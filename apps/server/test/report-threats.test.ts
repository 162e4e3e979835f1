import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgrammeReport, loadFramework, readAnswers, threatLandscape, type ThreatsInput } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/reports/render.js';
import { docxText, pdfText } from './support/report-files.js';

const repo = new URL('../../../', import.meta.url).pathname;
const fw = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), { file: 'f' });
if (!fw.ok) throw new Error('framework');
const answers = readAnswers(fw.value, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), {
  file: 'a.csv',
});
if (!answers.ok) throw new Error('answers');
const flat = (s: string) => s.replace(/\s+/g, ' ');

const orgs = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
const threats: ThreatsInput = {
  landscape: threatLandscape(
    {
      period: { from: '2026-01-01', to: '2026-06-30' },
      organisations: orgs,
      incidents: orgs.map((organisationId, i) => ({
        organisationId,
        occurredOn: `2026-0${1 + (i % 5)}-10`,
        endedOn: null,
        category: i < 5 ? 'phishing' : 'ddos',
        actor: 'criminal',
        targeting: 'opportunistic',
        certainty: 'confirmed',
      })),
      lists: {
        categories: ['phishing', 'ddos'],
        actors: ['criminal', 'state'],
        targeting: ['targeted', 'opportunistic'],
        certainty: ['confirmed', 'suspected', 'near-miss'],
      },
      baseline: [{ id: fw.value.domains[0]!.id, score: 1.75, n: 6 }],
    },
    'programme',
  ),
  names: { phishing: 'Phishing or a fraudulent request', ddos: 'Denial of service (DDoS)', criminal: 'Criminal' },
};

describe('the threat landscape in the programme report', () => {
  it('has a Digital threats section with its counts, in PDF, DOCX and HTML', async () => {
    const report = buildProgrammeReport(fw.value, answers.value, { threats });
    expect(report.threats?.summary).toBe('From January 1, 2026 to June 30, 2026: 6 incidents at 6 of 6 organisations.');
    const formats = {
      pdf: pdfText(await renderReport(report, 'pdf')),
      docx: docxText(await renderReport(report, 'docx')),
      html: Buffer.from(await renderReport(report, 'html')).toString('utf8'),
    };
    for (const [format, raw] of Object.entries(formats)) {
      const t = flat(raw);
      expect(t, format).toContain('Digital threats');
      expect(t, format).toContain('Phishing or a fraudulent request');
      expect(t, format).toContain('Share of organisations');
    }
    expect(buildProgrammeReport(fw.value, answers.value).threats).toBeNull();
  });

  it('speaks Albanian and Serbian', () => {
    expect(buildProgrammeReport(fw.value, answers.value, { threats, locale: 'sq' }).threats?.title).toBe(
      'Kërcënimet digjitale',
    );
    expect(buildProgrammeReport(fw.value, answers.value, { threats, locale: 'sr-Latn' }).threats?.summary).toMatch(
      /^Od .*: 6 incidenata u 6 od 6 organizacija\.$/,
    );
  });

  it('makes the threat landscape a report of its own: its cover and the section, nothing else', async () => {
    const report = buildProgrammeReport(fw.value, answers.value, { threats, focus: 'threats', title: 'Demo' });
    expect(report.focus).toBe('threats');
    for (const format of ['pdf', 'docx', 'html'] as const) {
      const bytes = await renderReport(report, format);
      const t = flat(
        format === 'pdf' ? pdfText(bytes) : format === 'docx' ? docxText(bytes) : Buffer.from(bytes).toString('utf8'),
      );
      expect(t, format).toContain('Digital threats');
      expect(t, format).toContain('Phishing or a fraudulent request');
      expect(t, format).not.toContain('Technical findings');
      expect(t, format).not.toContain('Annex');
    }
  });
});

describe('the threat survey in the Digital threats section', () => {
  const survey = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-threat-survey.yaml'), 'utf8'), {
    file: 's',
  });
  if (!survey.ok) throw new Error('survey');
  const answersOf = (i: number) =>
    new Map<string, string | string[] | number>([
      ['experience.kinds', i < 5 ? ['phishing'] : ['phishing', 'ddos']],
      ['capacity.staff', 3 + i],
      ['risk.worry', `CANARY-worry-${i} words of organisation ${i}`],
    ]);
  const withSurvey = (audience: 'programme' | 'observers'): ThreatsInput => {
    const landscape = threatLandscape(
      {
        period: { from: '2026-01-01', to: '2026-06-30' },
        organisations: orgs,
        incidents: [],
        lists: { categories: ['phishing'], actors: [], targeting: [], certainty: [] },
        survey: {
          framework: survey.value,
          answers: orgs.map((organisationId, i) => ({ organisationId, answers: answersOf(i) })),
        },
      },
      audience,
    );
    const kinds = survey.value.domains[0]!.survey![0]!;
    return {
      landscape,
      names: {},
      survey: {
        title: 'Digital threats and capacity needs',
        questions: {
          'experience.kinds': {
            text: 'Which of these did the organisation experience?',
            unit: null,
            options: Object.fromEntries(kinds.options.map((o) => [o.id, String(o.label.en ?? o.id)])),
          },
          'capacity.staff': { text: 'How many people work for the organisation?', unit: 'people', options: {} },
          'risk.worry': { text: 'What threat worries you most?', unit: null, options: {} },
        },
      },
    };
  };

  it('counts each option and summarises numbers, in PDF, DOCX and HTML; the texts without names', async () => {
    const report = buildProgrammeReport(fw.value, answers.value, { threats: withSurvey('programme') });
    const part = report.threats!.survey!;
    expect(part.title).toBe('Survey: Digital threats and capacity needs');
    const staff = part.questions.find((q) => q.text.startsWith('How many people'))!;
    expect(staff.summary).toBe('Median 5.5 people, from 3 to 8.');
    const formats = {
      pdf: pdfText(await renderReport(report, 'pdf')),
      docx: docxText(await renderReport(report, 'docx')),
      html: Buffer.from(await renderReport(report, 'html')).toString('utf8'),
    };
    for (const [format, raw] of Object.entries(formats)) {
      const t = flat(raw);
      expect(t, format).toContain('Survey: Digital threats and capacity needs');
      expect(t, format).toContain('Which of these did the organisation experience?');
      expect(t, format).toContain('6 organisations answered.');
      expect(t, format).toContain('CANARY-worry-0');
      expect(t, format).not.toContain('o1');
    }
  });

  it('shows observers no text, and withholds what fewer than k organisations chose', () => {
    const report = buildProgrammeReport(fw.value, answers.value, { threats: withSurvey('observers') });
    const kinds = report.threats!.survey!.questions.find((q) => q.text.startsWith('Which of these'))!;
    expect(kinds.rows.find((r) => r.label.startsWith('Phishing'))!.count).toBe('6');
    expect(kinds.rows.find((r) => r.label.startsWith('Denial'))?.count ?? 'withheld').toBe('withheld');
    expect(report.threats!.survey!.questions.flatMap((q) => q.texts)).toEqual([]);
  });
});
