import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';
import { form } from './support/multipart.js';

/** A small institution framework: two principles, four indicators worth 0–3 points each against their maximum. */
const FRAMEWORK = `kalaja: framework/1
id: openness-test
version: "1.0.0"
title: {en: Openness test, sq: Testi i hapjes, sr-Latn: Test otvorenosti}
subject: institution
scale: 100
domains:
  - id: transparency
    title: {en: Transparency, sq: Transparenca, sr-Latn: Transparentnost}
    questions:
      - id: transparency.budget
        text: {en: Is the budget published?, sq: A publikohet buxheti?, sr-Latn: Da li je budžet objavljen?}
        source: desk-research
        weight: 3
        options:
          - {id: p0, label: None, score: 0}
          - {id: p1, label: One, score: 0.3333333333333333}
          - {id: p2, label: Two, score: 0.6666666666666666}
          - {id: p3, label: All, score: 1}
      - id: transparency.minutes
        text: Are minutes published?
        source: desk-research
        na: true
        options: [{id: p0, label: None, score: 0}, {id: p1, label: Published, score: 1}]
  - id: integrity
    title: Integrity
    questions:
      - id: integrity.ethics
        text: Does it have a code of ethics?
        source: questionnaire
        weight: 2
        options: [{id: p0, label: None, score: 0}, {id: p1, label: Adopted, score: 0.5}, {id: p2, label: Enforced, score: 1}]
      - id: integrity.lobbying
        text: Are meetings with lobbyists recorded?
        source: interview
        options: [{id: p0, label: No, score: 0}, {id: p1, label: Yes, score: 1}]
`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const NOTE = 'CANARY-openness-note-4f1a the clerk said off the record';
const INTERVIEW = 'CANARY-openness-interview-8c2e the secretary-general';
const CANARIES = [NOTE, INTERVIEW];

describe.each(DATABASES)('the openness index on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let manager: Client & { userId: string };
  let first: Client & { userId: string };
  let second: Client & { userId: string };
  let unassigned: Client & { userId: string };
  let outsider: Client & { userId: string };
  let frameworkId: string;
  let index: string;
  let waves: { id: string; name: string }[];
  let assembly: string;
  let office: string;
  let ministry: string;
  let foreignIndex: string;
  let foreignWave: string;
  let foreignInstitution: string;

  const wave = (n: number) => `/api/v1/indexes/${index}/waves/${waves[n]!.id}`;
  const sheetUrl = (n: number, inst: string) => `${wave(n)}/institutions/${inst}`;
  const record = (c: Client, n: number, inst: string, indicator: string, body: Record<string, unknown>) =>
    c.put(`${sheetUrl(n, inst)}/indicators/${indicator}`, body);
  const validate = (c: Client, n: number, inst: string, indicator: string) =>
    c.post(`${sheetUrl(n, inst)}/indicators/${indicator}/validate`, {});
  const pub = (path = '') => `/api/v1/public/indexes/${index}${path}`;
  const today = () => new Date(h.clock.now).toISOString().slice(0, 10);
  const count = async (table: 'openness_answers' | 'openness_publications' | 'audit_log') =>
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
    frameworkId = (await admin.post('/api/v1/frameworks', { source: FRAMEWORK, format: 'yaml' })).json.id;
    const created = await admin.post('/api/v1/indexes', {
      name: 'Openness Index',
      frameworkId,
      waves: [{ name: '2025' }, { name: '2026' }],
    });
    expect(created.status).toBe(201);
    index = created.json.id;
    waves = created.json.rounds;
    const add = async (programme: string, name: string, type: string, country: string) => {
      const r = await admin.post(`/api/v1/indexes/${programme}/institutions`, {
        name,
        type,
        level: 'national',
        country,
      });
      expect(r.status, r.body).toBe(201);
      return r.json.id as string;
    };
    assembly = await add(index, 'Assembly of Arberia', 'parliament', 'XK');
    office = await add(index, 'Office of the Prime Minister', 'government-office', 'XK');
    ministry = await add(index, 'Ministry of Education', 'ministry', 'AL');
    manager = await h.join(admin, { email: 'lead@x.test', role: 'programme_manager', programmeId: index });
    first = await h.join(admin, { email: 'first@x.test', role: 'assessor', programmeId: index });
    second = await h.join(admin, { email: 'second@x.test', role: 'assessor', programmeId: index });
    unassigned = await h.join(admin, { email: 'unassigned@x.test', role: 'assessor', programmeId: index });
    for (const r of [first, second])
      for (const inst of [assembly, office, ministry])
        expect(
          (await admin.post(`/api/v1/programmes/${index}/assessors`, { userId: r.userId, organisationId: inst }))
            .status,
        ).toBe(204);
    await admin.post(`/api/v1/programmes/${index}/assessors`, { userId: unassigned.userId, organisationId: ministry });

    const other = (await admin.post('/api/v1/indexes', { name: 'Their index', frameworkId, waves: [{ name: '2026' }] }))
      .json;
    foreignIndex = other.id;
    foreignWave = other.rounds[0].id;
    foreignInstitution = await add(foreignIndex, 'Their parliament', 'parliament', 'XK');
    outsider = await h.join(admin, { email: 'outsider@x.test', role: 'programme_manager', programmeId: foreignIndex });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses an institution framework for a CSO programme and a CSO framework for an index, naming the field', async () => {
    const cso = (await admin.get('/api/v1/frameworks')).json.find((f: { key: string }) => f.key === 'cso-media').id;
    const programme = await admin.post('/api/v1/programmes', {
      name: 'CSOs',
      frameworkId,
      rounds: [{ name: 'baseline' }],
    });
    expect(programme.status).toBe(400);
    expect(programme.json.error.details).toEqual([
      { where: 'frameworkId', message: 'is an institution framework (subject: institution)' },
    ]);
    const idx = await admin.post('/api/v1/indexes', { name: 'Index', frameworkId: cso, waves: [{ name: '2026' }] });
    expect(idx.status).toBe(400);
    expect(idx.json.error.details).toEqual([
      { where: 'frameworkId', message: 'is not an institution framework (subject: institution)' },
    ]);
    const org = await admin.post(`/api/v1/programmes/${index}/organisations`, {
      name: 'A CSO',
      kind: 'cso',
      sizeBand: '1-5',
      country: 'XK',
    });
    expect([org.status, org.json.error.details[0].where]).toEqual([400, 'programme']);
    const csoProgramme = (
      await admin.post('/api/v1/programmes', { name: 'CSOs', frameworkId: cso, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const inst = await admin.post(`/api/v1/indexes/${csoProgramme}/institutions`, {
      name: 'Assembly',
      type: 'parliament',
      level: 'national',
      country: 'XK',
    });
    expect([inst.status, inst.json.error.details[0].where]).toEqual([400, 'programme']);
    // Institutions are not listed as the programme's organisations.
    expect((await admin.get(`/api/v1/programmes/${index}/organisations`)).json).toEqual([]);
  });

  it('refuses bad evidence with a 400 naming the field, and stores nothing', async () => {
    await admin.post(`/api/v1/programmes/${index}/rounds/${waves[0]!.id}/open`, {});
    const before = await count('openness_answers');
    const tomorrow = new Date(h.clock.now + 86_400_000).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ answer: 'p1', url: 'not a url' }, 'url'],
      [{ answer: 'p1', url: 'javascript:alert(1)' }, 'url'],
      [{ answer: 'p1', url: 'ftp://assembly.example/budget' }, 'url'],
      [{ answer: 'p1', checkedOn: tomorrow }, 'checkedOn'],
      [{ answer: 'p1', checkedOn: '2026-02-30x' }, 'checkedOn'],
      [{ answer: 'p1', source: 'rumour' }, 'source'],
      [{ answer: 'p9' }, 'answer'],
      [{ answer: 'na' }, 'answer'],
    ];
    for (const [body, field] of cases) {
      const r = await record(first, 0, assembly, 'transparency.budget', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(
        r.json.error.details.map((d: { where: string }) => d.where),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect((await record(first, 0, assembly, 'no.such', { answer: 'p1' })).status).toBe(404);
    expect(await count('openness_answers')).toBe(before);
  });

  it('records a wave with evidence, has a second researcher validate it, and publishes it frozen', async () => {
    const ok = async (r: Promise<{ status: number; body: string; json: Record<string, unknown> }>) => {
      const x = await r;
      expect(x.status, x.body).toBe(200);
      return x.json;
    };
    const row = await ok(
      record(first, 0, assembly, 'transparency.budget', {
        answer: 'p2',
        url: 'https://assembly.example/budget/2025',
        checkedOn: today(),
        notes: NOTE,
      }),
    );
    expect(row).toMatchObject({ answer: 'p2', points: 2, maxPoints: 3, source: 'desk-research', validatedBy: null });
    await ok(
      record(first, 0, assembly, 'integrity.lobbying', {
        answer: 'p1',
        interviewNotes: INTERVIEW,
        source: 'interview',
      }),
    );
    await ok(record(first, 0, office, 'transparency.budget', { answer: 'p1', url: 'https://opm.example/budget' }));
    await ok(record(first, 0, ministry, 'transparency.budget', { answer: 'p1' }));

    // An archived copy of the budget page, kept with the answer.
    const body = form([{ name: 'file', filename: 'budget.pdf', type: 'application/pdf', bytes: PDF }]);
    const uploaded = await h.kalaja.app.inject({
      method: 'POST',
      url: `${sheetUrl(0, assembly)}/indicators/transparency.budget/archives`,
      headers: { ...body.headers, cookie: first.cookie! },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const archive = uploaded.json().id as string;

    // Not yet validated: publishing waits; the one who recorded it may not validate it.
    expect((await manager.post(`${wave(0)}/publish`, {})).status).toBe(409);
    expect((await validate(first, 0, assembly, 'transparency.budget')).status).toBe(403);
    for (const [inst, ind] of [
      [assembly, 'transparency.budget'],
      [assembly, 'integrity.lobbying'],
      [office, 'transparency.budget'],
      [ministry, 'transparency.budget'],
    ] as const)
      expect((await validate(second, 0, inst, ind)).json.validatedBy).toBe('second');

    const sheet = (await first.get(sheetUrl(0, assembly))).json;
    expect(sheet.validated).toBe(2);
    expect(sheet.indicators.find((i: { id: string }) => i.id === 'transparency.budget')).toMatchObject({
      notes: NOTE,
      url: 'https://assembly.example/budget/2025',
      archives: [{ id: archive, name: 'budget.pdf' }],
    });

    // Before publication the wave is private: 404 to the public and to other tenants.
    expect((await h.client().get(pub(`/waves/${waves[0]!.id}`))).status).toBe(404);
    expect((await h.client().get(pub())).status).toBe(404);
    expect((await h.client().get(`/api/v1/public/openness-archives/${archive}`)).status).toBe(404);
    expect((await outsider.get(sheetUrl(0, assembly))).status).toBe(404);

    const published = await manager.post(`${wave(0)}/publish`, {});
    expect(published.status, published.body).toBe(201);
    expect(published.json.version).toBe(1);

    const anon = h.client();
    const page = await anon.get(pub(`/waves/${waves[0]!.id}`));
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.json.ranking.map((r: { name: string; rank: number | null }) => [r.name, r.rank])).toEqual([
      ['Assembly of Arberia', 1],
      ['Ministry of Education', 2],
      ['Office of the Prime Minister', 2],
    ]);
    // Assembly: 2 of 3 budget points and 1 of 1 lobbying point: transparency 66.67, integrity 100.
    expect(page.json.ranking[0].principles.transparency).toBeCloseTo(66.667, 3);
    expect(page.json.ranking[0].principles.integrity).toBe(100);
    expect(page.json.ranking[0].points).toBe(3);
    expect(page.json.countries).toEqual([
      { country: 'AL', institutions: 1, scored: 1, mean: expect.closeTo(33.333, 3) },
      { country: 'XK', institutions: 2, scored: 2, mean: expect.closeTo(58.333, 3) },
    ]);
    expect(page.json.licence.name).toBe('CC-BY-4.0');

    const inst = (await anon.get(pub(`/waves/${waves[0]!.id}/institutions/${assembly}`))).json;
    const budget = inst.indicators.find((i: { id: string }) => i.id === 'transparency.budget');
    expect(budget).toMatchObject({
      points: 2,
      maxPoints: 3,
      url: 'https://assembly.example/budget/2025',
      answerLabel: 'Two',
    });
    expect(budget.archives[0].id).toBe(archive);
    const file = await h.kalaja.app.inject({ method: 'GET', url: `/api/v1/public/openness-archives/${archive}` });
    expect([file.statusCode, file.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(Buffer.from(file.rawPayload).equals(PDF)).toBe(true);

    // A published wave is frozen: a later edit shows only once it is published again.
    await ok(record(first, 0, office, 'transparency.budget', { answer: 'p3' }));
    expect((await anon.get(pub(`/waves/${waves[0]!.id}`))).json.ranking[1].name).toBe('Ministry of Education');
    expect((await anon.get(pub(`/waves/${waves[0]!.id}/institutions/${office}`))).json.institution.overall).toBeCloseTo(
      33.333,
      3,
    );
  });

  it('serves open data as CSV, JSON and a Frictionless Data Package, with no note in any of it', async () => {
    const anon = h.client();
    const base = pub(`/waves/${waves[0]!.id}`);
    const csv = await anon.get(`${base}/institutions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'rank,institution_id,institution,type,level,country,overall,principle_transparency,principle_integrity,points,max_points,change_overall',
    );
    expect(lines[1]).toMatch(/^1,[^,]+,Assembly of Arberia,parliament,national,XK,83\.3333/);
    const indicators = await anon.get(`${base}/indicators.csv`);
    expect(indicators.body).toContain(
      'transparency.budget,transparency,desk-research,p2,2,3,https://assembly.example/budget/2025,',
    );
    const pkg = (await anon.get(`${base}/datapackage.json`)).json;
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.licenses).toEqual([{ name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }]);
    expect(pkg.resources.map((r: { path: string }) => r.path)).toEqual(['institutions.csv', 'indicators.csv']);
    // The schema's fields are the CSV's header, in order.
    expect(pkg.resources[0].schema.fields.map((f: { name: string }) => f.name).join(',')).toBe(lines[0]);
    const json = await anon.get(`${base}/data.json`);
    expect(json.json.institutions).toHaveLength(3);
    const everything = [
      csv.body,
      indicators.body,
      json.body,
      JSON.stringify(pkg),
      (await anon.get(base)).body,
      ...(await Promise.all(
        [assembly, office, ministry].map(async (i) => (await anon.get(`${base}/institutions/${i}`)).body),
      )),
    ].join('\n');
    for (const canary of CANARIES) expect(everything).not.toContain(canary);
    const stored = await h.kalaja.database.db.selectFrom('openness_publications').select('content').execute();
    for (const canary of CANARIES) expect(stored.map((s) => s.content).join('\n')).not.toContain(canary);
    expect(h.logs.join('\n')).not.toContain(NOTE);
  });

  it('shows the change since the previous wave, per principle', async () => {
    await manager.post(`/api/v1/programmes/${index}/rounds/${waves[1]!.id}/open`, {});
    await record(first, 1, assembly, 'transparency.budget', {
      answer: 'p3',
      url: 'https://assembly.example/budget/2026',
    });
    await record(first, 1, assembly, 'integrity.lobbying', { answer: 'p0' });
    await validate(second, 1, assembly, 'transparency.budget');
    await validate(second, 1, assembly, 'integrity.lobbying');
    expect((await manager.post(`${wave(1)}/publish`, {})).status).toBe(201);
    const page = (await h.client().get(pub(`/waves/${waves[1]!.id}`))).json;
    expect(page.wave.previous).toBe('2025');
    const a = page.ranking.find((r: { id: string }) => r.id === assembly);
    expect(a.change.principles.transparency).toBeCloseTo(33.333, 3);
    expect(a.change.principles.integrity).toBe(-100);
    // Institutions with no answer in this wave are last and unranked.
    expect(page.ranking.slice(1).map((r: { rank: number | null }) => r.rank)).toEqual([null, null]);
    expect((await h.client().get(pub())).json.waves.map((w: { name: string }) => w.name)).toEqual(['2026', '2025']);
  });

  it('applies the research team’s roles route by route, and keeps other tenants out with 404', async () => {
    const anon = h.client();
    // Researchers assigned to an institution see its sheet; one not assigned does not.
    expect((await first.get(sheetUrl(0, assembly))).status).toBe(200);
    expect((await unassigned.get(sheetUrl(0, assembly))).status).toBe(404);
    expect((await unassigned.get(sheetUrl(0, ministry))).status).toBe(200);
    expect(
      (await unassigned.get(`/api/v1/indexes/${index}/institutions`)).json.map((i: { id: string }) => i.id),
    ).toEqual([ministry]);
    // Only managers add institutions and publish.
    expect(
      (
        await first.post(`/api/v1/indexes/${index}/institutions`, {
          name: 'X',
          type: 'agency',
          level: 'local',
          country: 'XK',
        })
      ).status,
    ).toBe(404);
    expect((await first.post(`${wave(1)}/publish`, {})).status).toBe(404);
    // Another tenant's manager: every team route on this index is 404, and ours on theirs.
    for (const url of [`/api/v1/indexes/${index}/institutions`, wave(0), sheetUrl(0, assembly)])
      expect((await outsider.get(url)).status, url).toBe(404);
    expect(
      (await outsider.put(`${sheetUrl(0, assembly)}/indicators/transparency.budget`, { answer: 'p0' })).status,
    ).toBe(404);
    expect((await outsider.post(`${wave(0)}/publish`, {})).status).toBe(404);
    expect(
      (await manager.get(`/api/v1/indexes/${foreignIndex}/waves/${foreignWave}/institutions/${foreignInstitution}`))
        .status,
    ).toBe(404);
    // A foreign institution through our index's path is 404 too.
    expect((await manager.get(`${wave(0)}/institutions/${foreignInstitution}`)).status).toBe(404);
    // Their wave is unpublished: 404 to the public.
    expect((await anon.get(`/api/v1/public/indexes/${foreignIndex}/waves/${foreignWave}`)).status).toBe(404);
    expect((await anon.get(`/api/v1/public/indexes/${foreignIndex}`)).status).toBe(404);
    // Our published wave under their index id is 404.
    expect((await anon.get(`/api/v1/public/indexes/${foreignIndex}/waves/${waves[0]!.id}`)).status).toBe(404);
  });

  it('sends questionnaire indicators to an institution’s contact as a one-time link', async () => {
    const link = await first.post(`${sheetUrl(1, office)}/questionnaire-link`, {});
    expect(link.status, link.body).toBe(201);
    const contact = h.client();
    const view = await contact.get(`/api/v1/questionnaires/${link.json.token}?lang=sq`);
    expect(view.status).toBe(200);
    expect(view.json.indicators.map((i: { id: string }) => i.id)).toEqual(['integrity.ethics']);
    const wrong = await contact.post(`/api/v1/questionnaires/${link.json.token}`, {
      answers: [{ indicator: 'transparency.budget', answer: 'p1' }],
    });
    expect([wrong.status, wrong.json.error.details[0].where]).toEqual([400, 'answers.0.indicator']);
    const sent = await contact.post(`/api/v1/questionnaires/${link.json.token}`, {
      answers: [{ indicator: 'integrity.ethics', answer: 'p2', url: 'https://opm.example/ethics' }],
    });
    expect(sent.json).toEqual({ saved: 1 });
    expect((await contact.get(`/api/v1/questionnaires/${link.json.token}`)).status).toBe(404);
    const row = (await first.get(sheetUrl(1, office))).json.indicators.find(
      (i: { id: string }) => i.id === 'integrity.ethics',
    );
    expect(row).toMatchObject({ answer: 'p2', recordedVia: 'link', source: 'questionnaire', validatedBy: null });
    // Even the first researcher may validate what the contact sent.
    expect((await validate(first, 1, office, 'integrity.ethics')).status).toBe(200);
    expect(h.logs.join('\n')).not.toContain(link.json.token);
  });
});

describe('the open data licence an instance names', () => {
  it('is read once from KALAJA_OPEN_DATA_LICENCE, and a value without its address is refused naming the variable', () => {
    expect(loadConfig({}).openDataLicence).toBeUndefined();
    expect(
      loadConfig({ KALAJA_OPEN_DATA_LICENCE: 'CC0-1.0 https://creativecommons.org/publicdomain/zero/1.0/' })
        .openDataLicence,
    ).toEqual({ name: 'CC0-1.0', path: 'https://creativecommons.org/publicdomain/zero/1.0/' });
    expect(() => loadConfig({ KALAJA_OPEN_DATA_LICENCE: 'CC0' })).toThrow(
      /KALAJA_OPEN_DATA_LICENCE: must be a licence name/,
    );
  });
});
