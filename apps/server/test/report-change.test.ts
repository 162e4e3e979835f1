import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOrganisationReport, buildProgrammeReport, loadFramework, readAnswers } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/reports/render.js';

const repo = new URL('../../../', import.meta.url).pathname;
const fw = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), { file: 'f' });
if (!fw.ok) throw new Error('framework');
const set = readAnswers(fw.value, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), { file: 'a.csv' });
if (!set.ok) throw new Error('answers');

describe('the change between rounds in every report format', () => {
  it('renders the programme report’s change in plain words in PDF, DOCX and then HTML from the same model', async () => {
    const report = buildProgrammeReport(fw.value, set.value, { final: () => true });
    // The app renders the PDF first and its HTML preview after it, from the same model.
    for (const format of ['pdf', 'docx'] as const)
      expect((await renderReport(report, format)).length).toBeGreaterThan(0);
    const html = Buffer.from(await renderReport(report, 'html')).toString('utf8');
    expect(html).toMatch(/\d+ of 10 organisations improved; the mean change was/);
    expect(html).toContain('There is no control group.');
    expect(html).toContain('These figures rest on the assessments validated in both rounds, 10 in all');
  });

  it('renders what moved for one organisation, with the accounts, in every format', async () => {
    const organisation = set.value.organisations[0]!;
    const report = buildOrganisationReport(fw.value, set.value, organisation, {
      changeContext: [
        {
          from: 'baseline',
          to: 'reassessment',
          accounts: [{ domain: 'access', by: 'assessor', text: 'Seen on every laptop in the newsroom.' }],
          planItems: [
            { id: 'p', title: 'Password manager for all', domains: ['access'], doneAt: '2026-04-02T08:00:00Z' },
          ],
        },
      ],
    });
    for (const format of ['pdf', 'docx'] as const)
      expect((await renderReport(report, format)).length).toBeGreaterThan(0);
    const html = Buffer.from(await renderReport(report, 'html')).toString('utf8');
    expect(html).toContain('What moved between rounds');
    expect(html).toContain('Seen on every laptop in the newsroom.');
    expect(html).toContain('Password manager for all (done');
  });
});
