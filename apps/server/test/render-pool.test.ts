import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFramework, readAnswers, type AnswerSet, type Framework } from '@kalaja/engine';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedHandbook } from '../src/modules/handbook/handbook-catalogue.js';
import type { ReportInput } from '../src/reports/make-report.js';
import { inProcessRenderer, RENDER_NICE, renderPool, RenderFailure } from '../src/reports/render-pool.js';
import { DATABASES } from './support/databases.js';
import { startHarness, storedFiles, type Client, type Harness } from './support/kalaja.js';

const repo = new URL('../../../', import.meta.url).pathname;
const MISBEHAVING = new URL('./support/misbehaving-render-worker.mjs', import.meta.url);
const ORGANISATION = 'Ženska Inicijativa Đurđevak';

const fw: Framework = (() => {
  const l = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), { file: 'f' });
  if (!l.ok) throw new Error('framework');
  return l.value;
})();
const answers: AnswerSet = (() => {
  const a = readAnswers(fw, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), { file: 'a.csv' });
  if (!a.ok) throw new Error('answers');
  return a.value;
})();
const generatedAt = '2026-05-04T10:00:00.000Z';
const programme: ReportInput = {
  kind: 'programme',
  framework: fw,
  answers,
  options: { locale: 'sr-Latn', audience: 'programme', generatedAt, title: 'Otporne redakcije' },
};
const organisation: ReportInput = {
  kind: 'organisation',
  framework: fw,
  answers,
  organisation: ORGANISATION,
  options: {
    locale: 'en',
    generatedAt,
    notes: [{ round: 'baseline', question: fw.domains[0]!.questions[0]!.id, note: 'Kept in the safe' }],
  },
};

const pdfText = (bytes: Uint8Array) => {
  const dir = mkdtempSync(join(tmpdir(), 'kalaja-pool-'));
  const path = join(dir, 'r.pdf');
  writeFileSync(path, bytes);
  const r = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  if (r.error) throw new Error(`pdftotext is needed for this test (apt-get install poppler-utils): ${r.error.message}`);
  return r.stdout;
};
const docxBody = async (bytes: Uint8Array) => (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');

describe('the render pool', () => {
  it('makes the same reports in its worker thread as in this process', async () => {
    const pool = renderPool();
    const here = inProcessRenderer();
    try {
      const stages: string[] = [];
      const pdf = await pool.make(programme, 'pdf', { preview: true, stage: (s) => stages.push(s) });
      const pdfHere = await here.make(programme, 'pdf', { preview: true });
      expect(stages).toEqual(['built', 'rendered']);
      const text = pdfText(pdf.bytes);
      expect(text).toContain('Otporne redakcije');
      expect(text).toEqual(pdfText(pdfHere.bytes));
      // The preview beside it, byte for byte.
      expect(Buffer.from(pdf.preview!).equals(Buffer.from(pdfHere.preview!))).toBe(true);

      const html = await pool.make(organisation, 'html', { preview: true });
      const htmlHere = await here.make(organisation, 'html');
      expect(html.preview).toBeNull(); // an HTML report is its own preview
      expect(Buffer.from(html.bytes).equals(Buffer.from(htmlHere.bytes))).toBe(true);
      expect(Buffer.from(html.bytes).toString('utf8')).toContain(ORGANISATION);

      // The recommendations the team reviews are drafted there too, the same.
      const drafted = await pool.recommendations(programme as Extract<ReportInput, { kind: 'programme' }>);
      expect(drafted.length).toBeGreaterThan(0);
      expect(drafted).toEqual(await here.recommendations(programme as Extract<ReportInput, { kind: 'programme' }>));

      const docx = await pool.make(organisation, 'docx');
      const docxHere = await here.make(organisation, 'docx');
      expect(await docxBody(docx.bytes)).toEqual(await docxBody(docxHere.bytes));
      expect(pool.workers()).toBe(1);
      // The worker thread runs below this process's own thread (Linux keeps a nice value per
      // thread; the threads it starts, such as the DOCX rasteriser's, inherit it).
      const nice = (tid: string) => readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16];
      const threads = readdirSync('/proc/self/task');
      expect(nice(String(process.pid))).toBe('0');
      expect(threads.filter((t) => nice(t) === String(RENDER_NICE)).length).toBeGreaterThanOrEqual(1);
      expect(threads.map(nice).filter((n) => n !== '0' && n !== String(RENDER_NICE))).toEqual([]);
    } finally {
      await pool.close();
    }
    expect(pool.workers()).toBe(0);
  });

  it('prints the handbook in its worker thread, as this process does', async () => {
    const book = loadShippedHandbook().get('en');
    const pool = renderPool();
    try {
      const text = pdfText(await pool.handbook(book));
      expect(text).toContain(book.sections[0]!.title);
      expect(text).toEqual(pdfText(await inProcessRenderer().handbook(book)));
    } finally {
      await pool.close();
    }
  });

  it('fails a render that throws, crashes, runs out of memory or of time, and renders the next one', async () => {
    const pool = renderPool({ workerUrl: MISBEHAVING, timeoutMs: 500, maxMemoryMb: 32 });
    const titled = (title: string): ReportInput => ({ ...programme, options: { ...programme.options, title } });
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'rendered',
        (e: unknown) => (e instanceof RenderFailure ? e.reason : `not a RenderFailure: ${String(e)}`),
      );
    try {
      expect(await reason(pool.make(titled('throw'), 'pdf'))).toBe('error');
      expect(await reason(pool.make(titled('exit'), 'pdf'))).toBe('crash');
      expect(await reason(pool.make(titled('memory'), 'pdf'))).toBe('memory');
      expect(await reason(pool.make(titled('hang'), 'pdf'))).toBe('timeout');
      // Queued behind a failure, and after it: a fresh worker takes them.
      const [bad, good] = [pool.make(titled('exit'), 'html'), pool.make(titled('fine'), 'html')];
      expect(await reason(bad)).toBe('crash');
      expect(Buffer.from((await good).bytes).toString('utf8')).toContain('fine');
    } finally {
      await pool.close();
    }
  });

  it('stops its workers on close, failing what was under way or waiting', async () => {
    const pool = renderPool({ workerUrl: MISBEHAVING });
    const hang = { ...programme, options: { ...programme.options, title: 'hang' } };
    const running = pool.make(hang, 'pdf').catch((e: RenderFailure) => e.reason);
    const waiting = pool.make(hang, 'pdf').catch((e: RenderFailure) => e.reason);
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.workers()).toBe(1);
    await pool.close();
    expect([await running, await waiting]).toEqual(['stopped', 'stopped']);
    expect(pool.workers()).toBe(0);
    expect(await pool.make(programme, 'pdf').catch((e: RenderFailure) => e.reason)).toBe('stopped');
  });
});

describe.each(DATABASES)('a report whose render fails, on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  const pool = renderPool({ workerUrl: MISBEHAVING, timeoutMs: 2000 });

  beforeAll(async () => {
    h = await startHarness(kind, { renderer: pool });
    admin = await h.admin();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A programme named so that the stand-in worker misbehaves, with one answered assessment. */
  async function programmeNamed(name: string): Promise<string> {
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (await admin.post('/api/v1/programmes', { name, frameworkId, rounds: [{ name: 'baseline' }] })).json;
    const o = await admin.post(`/api/v1/programmes/${p.id}/organisations`, {
      name: 'Radio Drita',
      kind: 'media',
      sizeBand: '6-10',
      municipality: 'Prizren',
      country: 'XK',
      focus: 'local news',
      languages: ['sq'],
    });
    expect(o.status, o.body).toBe(201);
    const question = fw.domains[0]!.questions[0]!;
    const csv = `organisation,round,question,answer\nRadio Drita,baseline,${question.id},${question.options[0]!.id}\n`;
    const imported = await admin.post(`/api/v1/programmes/${p.id}/rounds/${p.rounds[0].id}/answers`, { csv });
    expect(imported.status, imported.body).toBe(200);
    return p.id;
  }

  async function settled(id: string) {
    for (let i = 0; i < 1000; i++) {
      const r = await admin.get(`/api/v1/reports/${id}`);
      if (r.json.status === 'done' || r.json.status === 'failed') return r.json;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`report ${id} did not finish`);
  }

  it('fails the report with a plain message and keeps the server answering', async () => {
    for (const name of ['Programme that makes the renderer throw', 'Programme that makes the renderer exit']) {
      const id = await programmeNamed(name);
      const r = await admin.post(`/api/v1/programmes/${id}/reports`, { kind: 'programme', format: 'pdf' });
      expect(r.status).toBe(202);
      const job = await settled(r.json.id);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/could not be made because of an unexpected error/);
      expect(job.error).toContain(job.id);
      expect(job.error).not.toMatch(/width|TypeError|exit code/);
      // Nothing is left behind, and there is nothing to download.
      expect([...(await storedFiles(h, 'reports')).keys()]).not.toContain(job.id);
      expect((await admin.get(`/api/v1/reports/${job.id}/download`)).status).toBe(409);
      expect((await admin.get(`/api/v1/programmes/${id}`)).status).toBe(200);
    }
    // The details are in the log, for the administrator.
    expect(h.logs.join('')).toMatch(/report job failed/);

    const slow = await programmeNamed('Programme that makes the renderer hang');
    const r = await admin.post(`/api/v1/programmes/${slow}/reports`, { kind: 'programme', format: 'pdf' });
    expect((await settled(r.json.id)).error).toMatch(
      /^Making this report took longer than 2 seconds, so it was stopped/,
    );

    // The queue and the pool carry on.
    const fine = await programmeNamed('Programme rendered fine');
    const next = await admin.post(`/api/v1/programmes/${fine}/reports`, { kind: 'programme', format: 'html' });
    expect(await settled(next.json.id)).toMatchObject({ status: 'done', progress: 100 });
    expect((await admin.get(`/api/v1/reports/${next.json.id}/preview`)).body).toContain('Programme rendered fine');
  });

  it('stops the render workers when the server stops', async () => {
    expect(pool.workers()).toBeGreaterThan(0);
    await h.kalaja.app.close();
    expect(pool.workers()).toBe(0);
  });
});
