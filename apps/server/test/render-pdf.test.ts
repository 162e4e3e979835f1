import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOrganisationReport, loadFramework, readAnswers } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../src/reports/render-pdf.js';

const repo = new URL('../../../', import.meta.url).pathname;
const fw = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), { file: 'f' });
const set =
  fw.ok && readAnswers(fw.value, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), { file: 'a' });

describe('the PDF renderer', () => {
  it('makes the report when a note holds marks the font cannot stack, keeping the rest of the text', async () => {
    if (!fw.ok || !set || !set.ok) throw new Error('samples');
    const organisation = set.value.organisations[0]!;
    // "a" with a grave accent and a long solidus overlay: Noto Sans has a null anchor for it,
    // and fontkit throws while shaping (foliojs/fontkit#367).
    const report = buildOrganisationReport(fw.value, set.value, organisation, {
      notes: [
        { round: set.value.rounds[0]!, question: 'access.mfa-email', note: 'Zëri: a\u0300\u0338 only the editor' },
      ],
    });
    const bytes = await renderPdf(report);
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), bytes);
    const text = spawnSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    if (text.error) throw new Error(`pdftotext is needed (apt-get install poppler-utils): ${text.error.message}`);
    expect(text.stdout).toContain('only the editor');
    expect(text.stdout).toContain('Zëri');
  }, 60_000);
});
