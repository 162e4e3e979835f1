import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  loadFramework,
  readAnswers,
  type FindingInput,
  type ProgrammeFindingsInput,
} from '@kalaja/engine';
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
const set = answers.value;
const org = set.organisations[0]!;
const flat = (s: string) => s.replace(/\s+/g, ' ');

const findings: FindingInput[] = [
  {
    title: 'Mail domain without DMARC',
    target: 'mail-domain',
    severity: 'medium',
    status: 'approved',
    foundOn: '2026-01-14',
    cvss: null,
    recommendation: 'Publish a DMARC record',
    retest: null,
  },
  {
    title: 'Outdated gallery plugin',
    target: 'website',
    severity: 'critical',
    status: 'fixed',
    foundOn: '2026-01-12',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
    recommendation: 'Update the plugin',
    retest: { on: '2026-03-02', outcome: 'fixed', notes: 'Version 2.4 served' },
  },
];

describe('technical findings in the organisation report', () => {
  it('lists them most severe first, with status and retest, in PDF, DOCX and HTML', async () => {
    const report = buildOrganisationReport(fw.value, set, org, { findings });
    expect(report.findings?.items.map((i) => i.title)).toEqual([
      'Outdated gallery plugin',
      'Mail domain without DMARC',
    ]);
    expect(report.findings?.summary).toBe('2 findings: 1 critical, 1 medium.');
    const formats = {
      pdf: pdfText(await renderReport(report, 'pdf')),
      docx: docxText(await renderReport(report, 'docx')),
      html: Buffer.from(await renderReport(report, 'html')).toString('utf8'),
    };
    for (const [format, raw] of Object.entries(formats)) {
      const t = flat(raw);
      expect(t, format).toContain('Technical findings');
      expect(t, format).toContain('Outdated gallery plugin');
      // A PDF's table cells wrap line by line, so its words interleave across a row's cells.
      if (format === 'pdf')
        for (const w of ['CVSS', '9.8', 'Retested on March 2', 'Version 2.4']) expect(t).toContain(w);
      else {
        expect(t, format).toContain('Critical, CVSS 3.1: 9.8');
        expect(t, format).toContain('Retested on March 2, 2026: fixed. Version 2.4 served');
      }
      expect(t, format).toContain('Mail domain without DMARC');
      expect(t.indexOf('Outdated gallery plugin'), format).toBeLessThan(t.indexOf('Mail domain without DMARC'));
    }
    // Without findings given (the command line's report), no section.
    expect(buildOrganisationReport(fw.value, set, org).findings).toBeNull();
    // Given none, it says so.
    expect(buildOrganisationReport(fw.value, set, org, { findings: [] }).findings?.intro).toMatch(
      /No technical findings/,
    );
  }, 60_000);

  it('counts the cohort\u2019s findings in the programme report, with counts withheld as the server withheld them', async () => {
    const counts: ProgrammeFindingsInput = {
      organisations: 6,
      bySeverity: { critical: 2, high: 7, medium: null, low: 0, info: 0 },
      byTarget: { website: 5, 'mail-domain': 6, account: 0, device: 0, network: null, physical: 0 },
      byStatus: { approved: 5, fixed: 8, partly_fixed: null, accepted_risk: 0 },
      medianDaysToFix: 41,
    };
    const report = buildProgrammeReport(fw.value, set, { findings: counts });
    const html = flat(Buffer.from(await renderReport(report, 'html')).toString('utf8'));
    expect(html).toContain('Technical findings');
    expect(html).toContain('Median time from finding to fix: 41 days.');
    expect(html).toMatch(/Mail domain\s*<\/td>\s*<td[^>]*>\s*6/);
    expect(report.technicalFindings?.groups[0]!.rows.map((r) => r.count)).toEqual(['2', '7', 'withheld', '0', '0']);
    const docx = flat(docxText(await renderReport(report, 'docx')));
    expect(docx).toContain('Median time from finding to fix: 41 days.');
    expect(buildProgrammeReport(fw.value, set).technicalFindings).toBeNull();
  }, 60_000);
});
