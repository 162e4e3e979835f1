import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  csvLine,
  DEFAULT_MIN_CELL,
  formatScore,
  loadFramework,
  parseAnswersCsv,
  parseCsv,
  readAnswers,
  scoreChoices,
  type AnswerRecord,
} from '@kalaja/engine';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/modules/access/access-types.js';
import { shredOrganisation } from '../src/ops/shred.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';
import { totpCode } from '../src/modules/auth/auth-totp.js';

/**
 * Published results (threat model, T9). The attack this closes: an observer who reads live
 * cohort figures before and after one organisation joins (n 5 → 6) has that organisation's
 * score as 6 × after − 5 × before; with n fixed, one changed answer moves the mean by exactly
 * that organisation's change. Observers now read only versions a manager published, and a new
 * version is refused unless at least k organisations differ from the last one.
 */

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');
const fw = (() => {
  const l = loadFramework(readFileSync(FRAMEWORK, 'utf8'), { file: 'f' });
  if (!l.ok) throw new Error('framework');
  return l.value;
})();

const organisations = parseCsv(readFileSync(join(repo, 'content/samples/organisations.csv'), 'utf8'), 'o.csv')
  .records.slice(1)
  .map(({ fields: [name, kind, sizeBand, municipality, country, focus, languages] }) => ({
    ...{ name: name!, kind, sizeBand, municipality, country, focus },
    languages: languages!.split(';'),
  }));
const baseline = parseAnswersCsv(
  readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'),
  'a.csv',
).records.filter((r) => r.round === 'baseline');
const csvOf = (rs: AnswerRecord[]) =>
  [
    'organisation,round,question,answer,note',
    ...rs.map((r) => csvLine([r.organisation, r.round, r.question, r.answer, r.note ?? ''])),
  ].join('\n');

/** Each organisation's engine scores for the baseline answers given (the figures behind the published ones). */
function scoresOf(names: readonly string[], changed?: { organisation: string; question: string; answer: string }) {
  const rs = baseline
    .filter((r) => names.includes(r.organisation))
    .map((r) =>
      changed && r.organisation === changed.organisation && r.question === changed.question
        ? { ...r, answer: changed.answer }
        : r,
    );
  const set = readAnswers(fw, csvOf(rs), { file: 'a.csv' });
  if (!set.ok) throw new Error('answers');
  return new Map(names.map((n) => [n, scoreChoices(fw, set.value.assessments.get(n)!.get('baseline')!)]));
}

/** Every number in a JSON value, with where it is. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
  return [];
}

describe.each(DATABASES)('published results on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let observer: Client;
  let member: Client;
  let programmeId: string;
  let roundId: string;
  const ids = new Map<string, string>();

  const importBaseline = async (names: string[]) => {
    const r = await admin.post(`/api/v1/programmes/${programmeId}/rounds/${roundId}/answers`, {
      csv: csvOf(baseline.filter((x) => names.includes(x.organisation))),
    });
    expect(r.status, r.body).toBe(200);
    // The organisations submit (a fixture shortcut for each one's POST /submit).
    await h.kalaja.database.db
      .updateTable('assessments')
      .set({ status: 'submitted', submitted_at: h.clock.now })
      .where('round_id', '=', roundId)
      .where(
        'organisation_id',
        'in',
        names.map((n) => ids.get(n)!),
      )
      .execute();
  };
  const publish = (round = 'baseline') => admin.post(`/api/v1/programmes/${programmeId}/publications`, { round });
  const read = async () => {
    const r = await observer.get(`/api/v1/programmes/${programmeId}/results`);
    expect(r.status).toBe(200);
    return r.json;
  };

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'Resilient newsrooms',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json;
    programmeId = p.id;
    roundId = p.rounds[0].id;
    for (const o of organisations) {
      const r = await admin.post(`/api/v1/programmes/${programmeId}/organisations`, o);
      expect(r.status, r.body).toBe(201);
      ids.set(o.name, r.json.id);
    }
    observer = await h.join(admin, { email: 'funder@x.test', role: 'observer', programmeId });
    member = await h.join(admin, {
      email: 'member@x.test',
      role: 'org_member',
      programmeId,
      organisationId: ids.get(organisations[0]!.name)!,
    });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('shows observers nothing until a manager publishes, then the frozen version, rounded, with no spread', async () => {
    const names = organisations.slice(0, 6).map((o) => o.name);
    await importBaseline(names);
    const before = await read();
    expect(before).toMatchObject({ view: 'anonymised', rounds: [], published: [] });
    expect(Object.keys(before.report.cohort)).toEqual([]);

    const list = (await admin.get(`/api/v1/programmes/${programmeId}/publications`)).json;
    expect(list.rounds.find((r: { round: string }) => r.round === 'baseline')).toMatchObject({
      status: 'ready',
      nextVersion: 1,
      organisations: 6,
      changed: null,
    });
    expect(list.rounds.find((r: { round: string }) => r.round === 'reassessment')).toMatchObject({ status: 'nothing' });
    // Only managers publish; an organisation's member does not even see that there is a list.
    expect((await observer.post(`/api/v1/programmes/${programmeId}/publications`, { round: 'baseline' })).status).toBe(
      403,
    );
    expect((await member.get(`/api/v1/programmes/${programmeId}/publications`)).status).toBe(404);
    expect((await member.post(`/api/v1/programmes/${programmeId}/publications`, { round: 'baseline' })).status).toBe(
      404,
    );
    expect((await publish('nosuch')).json.error.details[0].where).toBe('round');
    expect((await publish('reassessment')).status).toBe(409);

    const first = await publish();
    // The findings observers will see are frozen with the version, over its organisations.
    const stored = await h.kalaja.database.db
      .selectFrom('publications')
      .select('findings')
      .where('id', '=', first.json.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.findings!)).toMatchObject({ programmeId, minCell: 5 });
    expect(first.status, first.body).toBe(201);
    expect(first.json).toMatchObject({ round: 'baseline', version: 1, organisations: 6 });
    const seen = await read();
    expect(seen.published).toEqual([expect.objectContaining({ id: first.json.id, round: 'baseline', version: 1 })]);
    const scores = [...scoresOf(names).values()].map((s) => s.overall!);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(seen.report.cohort.baseline.overall).toEqual({
      n: 6,
      mean: Number(formatScore(mean, 2)),
      median: null,
      min: null,
      max: null,
      sd: null,
    });
    for (const [where, x] of numbers(seen.report)) expect(Math.round(x * 100) / 100, where).toBe(x);
    expect(JSON.stringify(seen)).not.toMatch(new RegExp(names.join('|')));
    // The same version, whoever asks and however often; the observer's list has no previews.
    expect(await read()).toEqual(seen);
    const theirs = (await observer.get(`/api/v1/programmes/${programmeId}/publications`)).json;
    expect(theirs.rounds).toEqual([]);
    expect(theirs.versions).toHaveLength(1);
  });

  it('refuses a version that one organisation joining, leaving or changing an answer would give away', async () => {
    const names = organisations.slice(0, 6).map((o) => o.name);
    const reads = [await read()];
    const published = [scoresOf(names)];

    // One answer changed: the assessor (here a manager) adjusts one answer of one organisation.
    const first = names[0]!;
    const a = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json.find(
      (x: { organisation: string }) => x.organisation === first,
    ).assessmentId;
    const question = 'access.mfa-email';
    const own = baseline.find((r) => r.organisation === first && r.question === question)!.answer;
    const other = fw.domains
      .flatMap((d) => d.questions)
      .find((q) => q.id === question)!
      .options.find((o) => o.id !== own && !o.unknown)!.id;
    expect((await admin.put(`/api/v1/assessments/${a}/validated/${question}`, { answer: other })).status).toBe(200);
    const changed = await publish();
    expect([changed.status, changed.json.error.message]).toEqual([
      409,
      expect.stringMatching(/Only 1 organisation changed/),
    ]);
    reads.push(await read());

    // One organisation joins.
    const joining = organisations[6]!.name;
    await importBaseline([joining]);
    expect((await publish()).json.error.message).toMatch(/Only 2 organisations changed/);
    reads.push(await read());

    // One organisation leaves: crypto-shredded, its answers can no longer be counted.
    const leaving = names[1]!;
    await shredOrganisation(h.kalaja.context, h.kalaja.stores, systemActor('test'), {
      organisationId: ids.get(leaving)!,
      confirmName: leaving,
    });
    const preview = (await admin.get(`/api/v1/programmes/${programmeId}/publications`)).json.rounds[0];
    expect(preview).toMatchObject({ status: 'too-few-changed', changed: 3, nextVersion: 2 });
    expect((await publish()).status).toBe(409);
    reads.push(await read());

    // Whatever the observer read meanwhile is the first version, unchanged: nothing to difference.
    for (const r of reads) expect(r).toEqual(reads[0]);

    // Three more join: six organisations now differ from version 1, and version 2 is published.
    const more = organisations.slice(7, 10).map((o) => o.name);
    await importBaseline(more);
    const second = await publish();
    expect(second.status, second.body).toBe(201);
    expect(second.json.version).toBe(2);
    const now = [...names.filter((n) => n !== leaving), joining, ...more];
    published.push(scoresOf(now, { organisation: first, question, answer: other }));
    const last = await read();
    expect(last.published[0].version).toBe(2);
    expect(last.report.cohort.baseline.n).toBe(now.length);

    // Side by side, the two versions' figures differ over at least k organisations for every
    // figure shown in both: the most an observer can difference out is the sum of k scores.
    const [v1, v2] = [reads[0].report.cohort.baseline, last.report.cohort.baseline];
    for (const measure of ['overall', ...fw.domains.map((d) => d.id)]) {
      const s1 = measure === 'overall' ? v1.overall : v1.domains[measure];
      const s2 = measure === 'overall' ? v2.overall : v2.domains[measure];
      if (s1.mean === null || s2.mean === null) continue;
      const pick = (s: ReturnType<typeof scoreChoices>) => (measure === 'overall' ? s.overall : s.domains[measure]);
      const orgs = new Set([...published[0].keys(), ...published[1].keys()]);
      const differing = [...orgs].filter((o) => {
        const x = published[0].get(o);
        const y = published[1].get(o);
        return !x || !y || pick(x) !== pick(y);
      });
      // n₂·m₂ − n₁·m₁ is a sum over these organisations: with k or more unknowns in it, none of
      // them is pinned to within ±0.5 (each ranges over the whole scale).
      expect(differing.length, measure).toBeGreaterThanOrEqual(DEFAULT_MIN_CELL);
    }
  });

  it('gives a published version as open data: a Data Package of CSV, JSON and the methodology', async () => {
    const seen = await read();
    expect(seen.published[0].version).toBe(2);
    const id = seen.published[0].id;
    // As bytes: the harness client reads bodies as text.
    const r = await h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/programmes/${programmeId}/publications/${id}/open-data.zip`,
      headers: { cookie: observer.cookie! },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="resilient-newsrooms-baseline-v2\.zip"/);
    const zip = await JSZip.loadAsync(r.rawPayload);
    const descriptor = JSON.parse(await zip.file('datapackage.json')!.async('string'));
    expect(descriptor).toMatchObject({ profile: 'data-package', version: '2' });
    for (const res of descriptor.resources) expect(zip.file(res.path), res.path).not.toBeNull();
    const cohort = (await zip.file('cohort.csv')!.async('string')).trim().split('\r\n');
    const header = cohort[0]!.split(',');
    expect(header).toEqual(descriptor.resources[0].schema.fields.map((f: { name: string }) => f.name));
    const overall = cohort.find((l) => l.startsWith('baseline,overall,'))!.split(',');
    expect(Number(overall[header.indexOf('mean')])).toBe(seen.report.cohort.baseline.overall.mean);
    expect(Number(overall[header.indexOf('organisations')])).toBe(seen.report.cohort.baseline.n);
    const everything = (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
    expect(everything).not.toMatch(new RegExp(organisations.map((o) => o.name).join('|')));
    expect(await zip.file('methodology.md')!.async('string')).toMatch(/No figure rests on fewer than 5 organisations/);
    expect(
      (await member.request('GET', `/api/v1/programmes/${programmeId}/publications/${id}/open-data.zip`)).status,
    ).toBe(404);
  });

  /** Makes the observers' edition in a format and gives its text: HTML as is, PDF through pdftotext, DOCX's XML. */
  async function observersReport(programme: string, format: 'html' | 'pdf' | 'docx'): Promise<string> {
    const asked = await observer.post(`/api/v1/programmes/${programme}/reports`, {
      kind: 'programme',
      audience: 'observers',
      format,
      language: 'en',
    });
    expect(asked.status, asked.body).toBe(202);
    let job = asked.json;
    for (let i = 0; i < 1500 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      job = (await observer.get(`/api/v1/reports/${job.id}`)).json;
    }
    expect(job.status, job.error).toBe('done');
    if (format === 'html') return (await observer.get(`/api/v1/reports/${job.id}/preview`)).body;
    // A download needs a recent sign-in.
    h.clock.now += 31_000;
    const reauth = await observer.post('/api/v1/session/reauth', {
      password: PASSWORD,
      code: totpCode(observer.totpSecret!, h.clock.now),
    });
    expect(reauth.status).toBe(204);
    const file = await h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${job.id}/download`,
      headers: { cookie: observer.cookie! },
    });
    expect(file.statusCode).toBe(200);
    if (format === 'docx') {
      const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
      return xml.replace(/<[^>]+>/g, ' ');
    }
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-pub-'));
    writeFileSync(join(dir, 'r.pdf'), file.rawPayload);
    const text = spawnSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    if (text.error) throw new Error(`pdftotext is needed (apt-get install poppler-utils): ${text.error.message}`);
    return text.stdout;
  }

  it('gives observers the same published figures on the page, in the API and in every report format', async () => {
    const seen = await read();
    const overall = seen.report.cohort.baseline.overall;
    const mean = formatScore(overall.mean, 2);
    // The spread is never shown: the live standard deviation and range are in no edition.
    const live = [...scoresOf(organisations.slice(0, 10).map((o) => o.name)).values()].map((s) => s.overall!);
    const liveMax = formatScore(Math.max(...live), 2);
    for (const format of ['html', 'pdf', 'docx'] as const) {
      const text = await observersReport(programmeId, format);
      expect(text, format).toContain(mean);
      expect(text.replace(/\s+/g, ' '), format).toContain(
        `baseline, published version ${seen.published[0].version} of`,
      );
      expect(text, format).not.toContain(liveMax);
    }
    // A live answer changed since is in neither the page nor the reports.
    expect(JSON.stringify(await read())).toBe(JSON.stringify(seen));
  }, 120_000);

  it('withholds a round of fewer than k organisations alike on the page, in the API and in every report', async () => {
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const small = (
      await admin.post('/api/v1/programmes', { name: 'Small', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json;
    const few = organisations.slice(0, 3);
    for (const o of few) expect((await admin.post(`/api/v1/programmes/${small.id}/organisations`, o)).status).toBe(201);
    const r = await admin.post(`/api/v1/programmes/${small.id}/rounds/${small.rounds[0].id}/answers`, {
      csv: csvOf(baseline.filter((x) => few.some((o) => o.name === x.organisation))),
      layer: 'validated',
    });
    expect(r.json.validated).toBe(3);
    expect((await admin.post(`/api/v1/programmes/${small.id}/publications`, { round: 'baseline' })).status).toBe(201);
    // The same observer, of this programme too.
    await h.kalaja.database.db
      .insertInto('memberships')
      .values({
        id: 'SmallObserverMember0',
        user_id: (
          await h.kalaja.database.db
            .selectFrom('users')
            .select('id')
            .where('email', '=', 'funder@x.test')
            .executeTakeFirstOrThrow()
        ).id,
        role: 'observer',
        organisation_id: null,
        programme_id: small.id,
        created_at: h.clock.now,
      })
      .execute();
    const api = (await observer.get(`/api/v1/programmes/${small.id}/results`)).json;
    expect(api.report.cohort.baseline.overall).toEqual({
      n: 3,
      mean: null,
      median: null,
      min: null,
      max: null,
      sd: null,
    });
    const scores = [...scoresOf(few.map((o) => o.name)).values()].map((s) => s.overall!);
    const liveMean = formatScore(scores.reduce((a, b) => a + b, 0) / scores.length, 2);
    for (const format of ['html', 'pdf', 'docx'] as const) {
      const text = await observersReport(small.id, format);
      expect(text, format).toMatch(/withheld/i);
      expect(text, format).not.toContain(liveMean);
    }
  }, 120_000);
});
