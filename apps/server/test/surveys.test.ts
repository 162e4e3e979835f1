import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = { kind: 'media', sizeBand: '1-5', country: 'XK' } as const;
const WORRY = 'CANARY-survey-worry-9d1c the municipality’s people follow our reporter home';

describe.each(DATABASES)('the threat survey on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let member: Client & { userId: string };
  let otherMember: Client & { userId: string };
  let manager: Client & { userId: string };
  let observer: Client & { userId: string };
  let outsider: Client & { userId: string };
  let programme: string;
  let round: string;
  let a: string;
  let b: string;

  const url = (org: string) => `/api/v1/programmes/${programme}/rounds/${round}/organisations/${org}/survey`;
  const count = async (table: 'survey_responses' | 'survey_response_versions' | 'audit_log') =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworks = (await admin.get('/api/v1/frameworks')).json as { id: string; key: string }[];
    // A survey is run beside a framework, never as one: it is not offered to a new programme.
    expect(frameworks.map((f) => f.key)).not.toContain('cso-threat-survey');
    programme = (
      await admin.post('/api/v1/programmes', {
        name: 'Threats',
        frameworkId: frameworks[0]!.id,
        rounds: [{ name: 'baseline' }],
      })
    ).json.id;
    const other = (
      await admin.post('/api/v1/programmes', {
        name: 'Other',
        frameworkId: frameworks[0]!.id,
        rounds: [{ name: 'baseline' }],
      })
    ).json.id;
    a = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Drita' })).json.id;
    b = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Vatra' })).json.id;
    const foreign = (await admin.post(`/api/v1/programmes/${other}/organisations`, { ...ORG, name: 'Zëri' })).json.id;
    round = (await admin.get(`/api/v1/programmes/${programme}/progress`)).json[0].roundId;
    member = await h.join(admin, {
      email: 'm@drita.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: a,
    });
    otherMember = await h.join(admin, {
      email: 'm@vatra.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: b,
    });
    manager = await h.join(admin, { email: 'manager@x.test', role: 'programme_manager', programmeId: programme });
    observer = await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId: programme });
    outsider = await h.join(admin, {
      email: 'z@zeri.test',
      role: 'org_admin',
      programmeId: other,
      organisationId: foreign,
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('has no survey until a manager chooses one; only a manager may, and only a framework with survey questions', async () => {
    expect((await member.get(url(a))).status).toBe(404);
    expect((await member.put(`/api/v1/programmes/${programme}/survey`, { survey: 'cso-threat-survey' })).status).toBe(
      404,
    );
    const wrong = await manager.put(`/api/v1/programmes/${programme}/survey`, { survey: 'cso-media' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details).toEqual([
      { where: 'survey', message: '"cso-media" is not an imported framework with survey questions' },
    ]);
    const set = await manager.put(`/api/v1/programmes/${programme}/survey`, { survey: 'cso-threat-survey' });
    expect(set.status).toBe(200);
    expect(set.json.survey).toMatchObject({ key: 'cso-threat-survey', version: '1.0.0' });
    expect((await observer.get(`/api/v1/programmes/${programme}/survey`)).json.survey.key).toBe('cso-threat-survey');
  });

  it('gives the organisation its questionnaire in its language, every question with its kind', async () => {
    const r = await member.get(`${url(a)}?lang=sq`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: 0, answers: {}, canAnswer: true });
    const questions = r.json.survey.domains.flatMap((d: { questions: unknown[] }) => d.questions);
    expect(new Set(questions.map((q: { type: string }) => q.type))).toEqual(
      new Set(['single', 'multiple', 'number', 'text']),
    );
    const staff = questions.find((q: { id: string }) => q.id === 'capacity.staff');
    expect(staff).toMatchObject({ type: 'number', min: 1, integer: true, unit: 'njerëz' });
  });

  it('refuses an answer of the wrong kind, naming each field, and stores nothing', async () => {
    const before = await Promise.all([
      count('survey_responses'),
      count('survey_response_versions'),
      count('audit_log'),
    ]);
    const r = await member.put(url(a), {
      answers: {
        'experience.most-serious': ['phishing', 'ddos'],
        'capacity.staff': 'twelve',
        'experience.kinds': ['phishing', 'spam'],
        'nothing.here': 'x',
      },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { where: string }) => d.where)).toEqual([
      'answers.experience.most-serious',
      'answers.capacity.staff',
      'answers.experience.kinds',
      'answers.nothing.here',
    ]);
    expect(r.json.error.details[0].message).toMatch(/takes one answer, not 2/);
    expect(
      await Promise.all([count('survey_responses'), count('survey_response_versions'), count('audit_log')]),
    ).toEqual(before);
  });

  it('saves the answers sealed, versioned and audited; a stale save is refused', async () => {
    const first = await member.put(url(a), {
      answers: {
        'experience.kinds': ['ddos', 'phishing'],
        'capacity.staff': 12,
        'risk.worry': WORRY,
        'risk.likelihood': null,
      },
    });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json.answers).toEqual({
      'experience.kinds': ['phishing', 'ddos'],
      'capacity.staff': 12,
      'risk.worry': WORRY,
    });
    const stale = await member.request('PUT', url(a), { answers: {} }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    const second = await member.request(
      'PUT',
      url(a),
      { answers: { ...first.json.answers, 'experience.most-serious': 'ddos' } },
      { 'if-match': '"1"' },
    );
    expect(second.status).toBe(200);
    expect(second.json.version).toBe(2);
    expect(await count('survey_response_versions')).toBe(2);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_type'])
      .where('action', '=', 'survey.answer')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('lets nobody outside the organisation read its answers: not the manager, not another organisation', async () => {
    expect((await manager.get(url(a))).status).toBe(404);
    expect((await observer.get(url(a))).status).toBe(404);
    expect((await otherMember.get(url(a))).status).toBe(404);
    expect((await outsider.get(url(a))).status).toBe(404);
    expect((await outsider.put(url(a), { answers: {} })).status).toBe(404);
  });

  it('shows the manager the answers aggregated in the threat landscape, the texts without names', async () => {
    await otherMember.put(url(b), { answers: { 'experience.kinds': ['phishing'], 'capacity.staff': 4 } });
    const r = await manager.get(`/api/v1/programmes/${programme}/threats?lang=sr-Latn`);
    expect(r.status).toBe(200);
    const survey = r.json.survey;
    expect(survey).toMatchObject({ audience: 'programme', organisations: 2, framework: { id: 'cso-threat-survey' } });
    const q = (id: string) => survey.questions.find((x: { id: string }) => x.id === id);
    expect(q('experience.kinds').options.filter((o: { count: number }) => o.count > 0)).toEqual([
      { id: 'phishing', label: 'Fišing ili lažni zahtev', count: 2, share: 1, withheld: false },
      { id: 'ddos', label: expect.any(String), count: 1, share: 0.5, withheld: false },
    ]);
    expect(q('capacity.staff')).toMatchObject({ unit: 'osoba', number: { n: 2, median: 8, min: 4, max: 12 } });
    expect(q('risk.worry').texts).toEqual([WORRY]);
    expect(JSON.stringify(survey)).not.toContain('Drita');
  });

  it('keeps every survey answer out of the database and the logs in clear', async () => {
    const db = h.kalaja.database.db;
    let stored: Buffer;
    if (kind === 'sqlite') {
      const file = (h.test.config as { file: string }).file;
      stored = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    } else {
      const tables = await sql<{
        table_name: string;
      }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db);
      const dumps: string[] = [];
      for (const t of tables.rows)
        dumps.push(
          ...(await sql<{ row: string }>`select t::text as row from ${sql.table(t.table_name)} t`.execute(db)).rows.map(
            (r) => r.row,
          ),
        );
      stored = Buffer.from(dumps.join('\n'));
    }
    expect(stored.includes(Buffer.from('Drita'))).toBe(true);
    expect(stored.includes(Buffer.from(WORRY))).toBe(false);
    expect(h.logs.join('\n')).not.toContain(WORRY);
  });
});

describe('the demo programme\u2019s threat survey', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sqlite');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('has its ten organisations\u2019 answers in the landscape, and observers see them frozen and k-anonymous', async () => {
    const admin = await h.admin();
    const adminId = (await admin.get('/api/v1/me')).json.id;
    const { programmeId } = await h.kalaja.services.demo.load([adminId]);
    const live = (await admin.get(`/api/v1/programmes/${programmeId}/threats`)).json;
    expect(live.survey).toMatchObject({ audience: 'programme', organisations: 10 });
    const q = (s: { questions: { id: string }[] }, id: string) => s.questions.find((x) => x.id === id) as never;
    expect(q(live.survey, 'experience.kinds')).toMatchObject({ respondents: 10 });
    expect((q(live.survey, 'risk.worry') as { texts: string[] }).texts.length).toBeGreaterThanOrEqual(5);
    const observer = await h.join(admin, { email: 'observer@demo.test', role: 'observer', programmeId });
    const seen = (await observer.get(`/api/v1/programmes/${programmeId}/threats`)).json;
    expect(seen.survey).toMatchObject({ audience: 'observers', organisations: 10 });
    const kinds = q(seen.survey, 'experience.kinds') as { options: { id: string; count: number | null }[] };
    expect(kinds.options.find((o) => o.id === 'phishing')!.count).toBe(10);
    for (const question of seen.survey.questions as { texts: string[]; options: { count: number | null }[] }[]) {
      expect(question.texts).toEqual([]);
      for (const o of question.options) if (o.count !== null && o.count > 0) expect(o.count).toBeGreaterThanOrEqual(5);
    }
    const stored = await h.kalaja.database.db.selectFrom('threat_publications').select('landscape').execute();
    for (const r of stored) expect(r.landscape).not.toMatch(/border|donors|shelter/);
  });
});
