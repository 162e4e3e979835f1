import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  loadFramework,
  readAnswers,
  type TrainingSession,
} from '@kalaja/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/reports/render.js';
import { docxText, pdfText } from './support/report-files.js';
import { brokenTokens, tableTokens } from './support/report-tokens.js';

const repo = new URL('../../../', import.meta.url).pathname;
const fw = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), { file: 'f' });
if (!fw.ok) throw new Error('framework');
const answers = readAnswers(fw.value, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), {
  file: 'a.csv',
});
if (!answers.ok) throw new Error('answers');
const set = answers.value;
const orgs = set.organisations;

/** Two sessions of one module (6 and 3 pairs: the second below k = 5 for observers) and one of another. */
const trainings: TrainingSession[] = [
  {
    id: 's1',
    module: 'account-security',
    title: 'Account security and phishing',
    date: '2026-02-10',
    domains: ['access', 'awareness'],
    organisations: [orgs[0]!, orgs[0]!, orgs[1]!, orgs[2]!, orgs[3]!, orgs[4]!],
    participants: 6,
    registered: 8,
    knowledge: [40, 50, 30, 60, 45, 55].map((pre, i) => ({
      pre,
      post: [80, 70, 60, 70, 75, 90][i]!,
      organisation: [orgs[0]!, orgs[0]!, orgs[1]!, orgs[2]!, orgs[3]!, orgs[4]!][i]!,
    })),
    confidence: [2, 3, 2, 3, 1].map((pre, i) => ({ pre, post: [4, 4, 3, 5, 3][i]! })),
    reaction: [5, 4, 5, 4, 5].map((usefulness) => ({ usefulness, relevance: 4 })),
    followUp: {
      days: 90,
      asked: 6,
      responded: 5,
      practices: [{ text: 'Turned on two-step login for work email', yes: 3, partly: 1, no: 1 }],
    },
  },
  {
    id: 's2',
    module: 'account-security',
    title: 'Account security and phishing',
    date: '2026-03-02',
    domains: ['access', 'awareness'],
    organisations: [orgs[5]!, orgs[6]!, orgs[6]!],
    participants: 3,
    registered: 5,
    knowledge: [
      { pre: 50, post: 62.5, organisation: orgs[5]! },
      { pre: 37.5, post: 75, organisation: orgs[6]! },
      { pre: 62.5, post: 87.5, organisation: orgs[6]! },
    ],
  },
  {
    id: 's3',
    module: 'backup-recovery',
    title: 'Backup and recovery',
    date: '2026-03-20',
    domains: ['backup'],
    organisations: [orgs[0]!, orgs[7]!, orgs[8]!, orgs[9]!, orgs[9]!],
    participants: 5,
    knowledge: [20, 30, 40, 50, 60].map((pre, i) => ({
      pre,
      post: [50, 40, 70, 50, 90][i]!,
      organisation: [orgs[0]!, orgs[7]!, orgs[8]!, orgs[9]!, orgs[9]!][i]!,
    })),
  },
];

const team = buildProgrammeReport(fw.value, set, { trainings });
const observers = buildProgrammeReport(fw.value, set, { trainings, audience: 'observers' });
const text: Record<string, string> = {};
const flat = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  for (const [name, model] of [
    ['team', team],
    ['observers', observers],
  ] as const) {
    text[`${name}.pdf`] = pdfText(await renderReport(model, 'pdf'));
    text[`${name}.docx`] = docxText(await renderReport(model, 'docx'));
    text[`${name}.html`] = Buffer.from(await renderReport(model, 'html')).toString('utf8');
  }
}, 120_000);

describe('the training impact section in every report format', () => {
  const k = team.training.totals!.knowledge;
  const [s1, s2, s3] = team.training.sessions;

  it('shows the sessions with attendance, knowledge before → after and the paired interval in PDF, DOCX and HTML', () => {
    expect(k.change.ci95).not.toBeNull();
    for (const format of ['pdf', 'docx', 'html']) {
      const t = flat(text[`team.${format}`]!);
      expect(t, format).toContain('Training impact');
      expect(t, format).toContain('Sessions and attendance');
      expect(t, format).toContain('Knowledge before and after (0 to 100)');
      expect(t, format).toContain('6 of 8');
      expect(t, format).toContain('3 of 5');
      for (const f of [k.pre, k.post, k.change.mean, s1!.knowledge.change.mean, s3!.knowledge.change.mean])
        expect(t, format).toContain(f.text);
      expect(t, format).toContain(`${s1!.knowledge.change.ci95![0].text} to ${s1!.knowledge.change.ci95![1].text}`);
      expect(t, format).toContain(`(95% interval ${k.change.ci95![0].text} to ${k.change.ci95![1].text})`);
      // A module that ran twice has its own row over both sessions.
      expect(t, format).toContain('By module, over all its sessions');
      expect(t, format).toContain(team.training.modules[0]!.knowledge.change.mean.text);
      // Confidence and reaction, and the follow-up with its share saying yes.
      expect(t, format).toContain('Confidence and reaction (1 to 5)');
      expect(t, format).toContain(s1!.confidence.post.text);
      expect(t, format).toContain(s1!.reaction.usefulness.text);
      expect(t, format).toContain('Account security and phishing, after 90 days: 5 of 6 answered');
      expect(t, format).toContain('Turned on two-step login for work email');
      expect(t, format).toContain('60%');
      expect(t, format).toContain('There is no control group');
    }
  });

  it('sets each organisation beside its change in the domains served, as association, in the team’s edition', () => {
    const orgs = team.training.organisations!;
    for (const format of ['pdf', 'docx', 'html']) {
      const t = flat(text[`team.${format}`]!);
      expect(t, format).toContain('Trainings beside each organisation’s change');
      expect(t, format).toContain(orgs.rows[0]!.knowledge.change.mean.text);
      expect(t, format).toMatch(/association, not effect/);
    }
  });

  it('withholds for observers the session below k, leaves out the organisations, and names no one', () => {
    expect(s2!.knowledge.change.mean.text).toBe('+25.00');
    const o2 = observers.training.sessions[1]!;
    expect(o2.knowledge.change.mean.withheld).toBe(true);
    for (const format of ['pdf', 'docx', 'html']) {
      const t = flat(text[`observers.${format}`]!);
      expect(t, format).toContain('Training impact');
      expect(t, format).toContain(observers.training.sessions[0]!.knowledge.change.mean.text);
      expect(t, format).toContain('Figures over fewer than 5 participants are withheld in this edition.');
      expect(t, format).not.toContain('Trainings beside each organisation’s change');
      for (const name of orgs) expect(t, format).not.toContain(name);
    }
  });

  it('breaks no number and no header word of the training tables across lines in the PDF', () => {
    expect(brokenTokens(text['team.pdf']!, tableTokens(team))).toEqual([]);
    expect(brokenTokens(text['observers.pdf']!, tableTokens(observers))).toEqual([]);
  });
});

describe('the Trainings section of an organisation’s own report', () => {
  it('lists its people’s sessions with their names and scores before and after, in every format', async () => {
    const report = buildOrganisationReport(fw.value, set, orgs[0]!, {
      organisationTrainings: [
        {
          title: 'Account security and phishing',
          date: '2026-02-10',
          participants: [
            { name: 'Arta Krasniqi', attended: true, pre: 40, post: 80 },
            { name: 'Participant P-07', attended: false, pre: 62.5, post: null },
          ],
        },
      ],
    });
    const formats = {
      pdf: pdfText(await renderReport(report, 'pdf')),
      docx: docxText(await renderReport(report, 'docx')),
      html: Buffer.from(await renderReport(report, 'html')).toString('utf8'),
    };
    for (const [format, raw] of Object.entries(formats)) {
      const t = flat(raw);
      expect(t, format).toContain('Trainings');
      expect(t, format).toContain('Account security and phishing · February 10, 2026');
      expect(t, format).toContain('Arta Krasniqi');
      expect(t, format).toContain('Participant P-07');
      for (const figure of ['40.0', '80.0', '+40.0', '62.5']) expect(t, format).toContain(figure);
    }
    const without = Buffer.from(await renderReport(buildOrganisationReport(fw.value, set, orgs[0]!), 'html')).toString(
      'utf8',
    );
    expect(without).not.toContain('knowledge-check scores');
  }, 60_000);
});
