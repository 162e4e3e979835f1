import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgrammeReport, importOscal, readAnswers, type Framework } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { chartSize } from '../src/reports/charts.js';
import { renderPdf } from '../src/reports/render-pdf.js';

// A framework imported from CSF 2.0 has 22 domains and 106 questions (issue 19): its programme
// report must keep every chart, which on the first try lost its chart of change.

const repo = new URL('../../../', import.meta.url);
const CSF = readFileSync(new URL('content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml', repo), 'utf8');

function csf(): Framework {
  const r = importOscal(CSF, { file: 'csf.xml' });
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return r.framework;
}

/** Seven organisations, two rounds, every question answered: a level that rises for some. */
function answers(fw: Framework): string {
  const rows = ['organisation,round,question,answer'];
  const questions = fw.domains.flatMap((d) => d.questions);
  for (let o = 0; o < 7; o++)
    for (const [r, round] of ['baseline', 'reassessment'].entries())
      questions.forEach((q, i) => {
        const level = Math.min(q.options.length - 1, (o + i + r * (i % 3)) % q.options.length);
        rows.push(`Organisation ${o + 1},${round},${q.id},${q.options[level]!.id}`);
      });
  return `${rows.join('\n')}\n`;
}

describe('the programme report of a framework with 22 domains', () => {
  it('keeps its row charts within a page, so none is dropped', () => {
    for (const kind of ['bars', 'range'] as const) {
      const spec =
        kind === 'bars'
          ? {
              kind,
              categories: Array.from({ length: 22 }, (_, i) => `D${i}`),
              series: [
                { name: 'a', values: [] },
                { name: 'b', values: [] },
              ],
              max: 10,
            }
          : { kind, categories: Array.from({ length: 22 }, (_, i) => `D${i}`), rows: [], max: 10 };
      expect(chartSize(spec as never, 515).height).toBeLessThanOrEqual(520);
    }
  });

  it('prints the findings chart and the chart of change, with their captions', async () => {
    const fw = csf();
    const set = readAnswers(fw, answers(fw), { file: 'answers.csv' });
    if (!set.ok) throw new Error(set.problems[0]?.message);
    const pdf = await renderPdf(buildProgrammeReport(fw, set.value));
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-csf-report-'));
    writeFileSync(join(dir, 'r.pdf'), pdf);
    const text = spawnSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    if (text.error) throw new Error(`pdftotext is needed (apt-get install poppler-utils): ${text.error.message}`);
    const flat = text.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Mean score per domain at reassessment, with the range from the lowest to the highest organisation.',
    );
    expect(flat).toContain('Cohort mean per domain, baseline and reassessment.');
    expect(flat).toContain('Incident Recovery Plan Execution (RC.RP)');
  });
});
