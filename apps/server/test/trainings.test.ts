import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { changeOf } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedTrainings } from '../src/modules/trainings/training-catalogue.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness, type Response } from './support/kalaja.js';

const ORG = { kind: 'cso', sizeBand: '1-5', country: 'XK' } as const;
const MODULE = loadShippedTrainings().byId.get('backup-and-recovery')!;
const ITEMS = MODULE.check.items;
const RIGHT = Object.fromEntries(ITEMS.map((i) => [i.id, i.options.find((o) => o.correct)!.id]));
const WRONG = Object.fromEntries(ITEMS.map((i) => [i.id, i.options.find((o) => !o.correct)!.id]));
/** Answers with the first `n` items right and the rest wrong. */
const answers = (n: number) => Object.fromEntries(ITEMS.map((i, k) => [i.id, k < n ? RIGHT[i.id]! : WRONG[i.id]!]));
const pct = (n: number) => (100 * n) / ITEMS.length;
const NAME = 'CANARY-Drita-Participant-5e1f';
/** A week from now, on the hour: links run until 14 days after it. */
const START = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000).toISOString();

describe.each(DATABASES)('trainings on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let trainer: Client;
  let observer: Client;
  let member: Client;
  let otherManager: Client;
  let programme: string;
  let a: string;
  let b: string;
  let foreignOrg: string;
  let assessment: string;

  const schedule = (c: Client, body: Record<string, unknown> = {}) =>
    c.post(`/api/v1/programmes/${programme}/trainings`, {
      module: 'backup-and-recovery',
      startsAt: START,
      durationMinutes: 180,
      place: 'Prishtina, the programme office',
      trainers: 'Arta K., Milan P.',
      ...body,
    });
  const count = async (table: 'training_participants' | 'training_results' | 'training_links') =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const add = (c: Client, session: string, displayName: string, organisationId = a, role = '') =>
    c.post(`/api/v1/trainings/${session}/participants`, { displayName, organisationId, role });

  /** A session with participants, its links issued: what each test starts from. */
  async function sessionWith(names: string[], body: Record<string, unknown> = {}) {
    const s = await schedule(trainer, body);
    expect(s.status, s.body).toBe(201);
    const ids: string[] = [];
    for (const [i, n] of names.entries()) {
      const p = await add(trainer, s.json.id, n, i % 2 === 0 ? a : b);
      expect(p.status, p.body).toBe(201);
      ids.push(p.json.id);
    }
    return { id: s.json.id as string, participants: ids };
  }

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programme = (
      await admin.post('/api/v1/programmes', {
        name: 'Trainings',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json.id;
    const other = (
      await admin.post('/api/v1/programmes', { name: 'Other', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    a = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Kumbona' })).json.id;
    b = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Zëri' })).json.id;
    foreignOrg = (await admin.post(`/api/v1/programmes/${other}/organisations`, { ...ORG, name: 'Elsewhere' })).json.id;
    assessment = (await admin.get(`/api/v1/programmes/${programme}/progress`)).json[0].assessmentId;
    trainer = await h.join(admin, { email: 'trainer@x.test', role: 'trainer', programmeId: programme });
    observer = await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId: programme });
    member = await h.join(admin, {
      email: 'member@x.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: a,
    });
    otherManager = await h.join(admin, { email: 'other@x.test', role: 'programme_manager', programmeId: other });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('schedules a session of a module with the defaults, and names what is wrong in a bad one', async () => {
    const s = await schedule(trainer);
    expect(s.status, s.body).toBe(201);
    expect(s.json).toMatchObject({
      capacity: 20,
      language: 'en',
      check: 'none',
      title: 'Backup and recovery',
      module: { id: 'backup-and-recovery', itemCount: ITEMS.length },
      startsAt: START,
      participants: [],
      canManage: true,
    });
    const unknown = await schedule(trainer, { module: 'no-such-module' });
    expect([unknown.status, unknown.json.error.details[0].where]).toEqual([400, 'module']);
    const nowhere = await schedule(trainer, { place: '' });
    expect([nowhere.status, nowhere.json.error.details[0].where]).toEqual([400, 'place']);
    expect((await schedule(trainer, { place: '', online: true, onlineLink: 'meet.jit.si/x' })).status).toBe(201);
    expect((await schedule(trainer, { capacity: 501 })).status).toBe(400);
    // Edits carry the version the page showed: a stale one is refused, nothing written.
    const url = `/api/v1/trainings/${s.json.id}`;
    const edited = await trainer.request('PATCH', url, { capacity: 12 }, { 'if-match': `"${s.json.version}"` });
    expect([edited.status, edited.json.capacity, edited.headers.etag]).toEqual([200, 12, `"${s.json.version + 1}"`]);
    const stale = await trainer.request('PATCH', url, { capacity: 30 }, { 'if-match': `"${s.json.version}"` });
    expect(stale.status).toBe(412);
    expect((await trainer.get(url)).json.capacity).toBe(12);
    const list = await member.get(`/api/v1/programmes/${programme}/trainings`);
    expect([list.status, list.json.canManage, list.json.organisations]).toEqual([
      200,
      false,
      [{ id: a, name: 'Kumbona' }],
    ]);
    // The trainer registers participants from every organisation of the programme.
    const forTrainer = (await trainer.get(`/api/v1/programmes/${programme}/trainings`)).json.organisations;
    expect(forTrainer.map((o: { name: string }) => o.name)).toEqual(['Kumbona', 'Zëri']);
  });

  it('refuses a participant over capacity with 409, and one of another programme\u2019s organisation with 404', async () => {
    const s = await sessionWith(['One', 'Two'], { capacity: 2 });
    const before = await count('training_participants');
    const full = await add(trainer, s.id, 'Three');
    expect([full.status, full.json.error.message]).toEqual([409, expect.stringContaining('full')]);
    const foreign = await add(trainer, s.id, 'Intruder', foreignOrg);
    expect(foreign.status).toBe(404);
    expect(await count('training_participants')).toBe(before);
  });

  it('issues each participant a link and a code once, keeps only their hashes, and revokes them on re-issue', async () => {
    const s = await sessionWith(['Drita', 'Besnik']);
    const issued = await trainer.post(`/api/v1/trainings/${s.id}/links`, {});
    expect(issued.status, issued.body).toBe(201);
    expect(issued.json.links).toHaveLength(2);
    const [first] = issued.json.links;
    expect(first.path).toBe(`/check/${first.token}`);
    expect(first.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    // Links expire 14 days after the session starts.
    expect(issued.json.expiresAt).toBe(new Date(Date.parse(START) + 14 * 86_400_000).toISOString());
    const rows = await h.kalaja.database.db
      .selectFrom('training_links')
      .selectAll()
      .where('session_id', '=', s.id)
      .execute();
    const stored = JSON.stringify(rows);
    for (const l of issued.json.links) {
      expect(stored).not.toContain(l.token);
      expect(stored).not.toContain(l.code.replace('-', ''));
    }
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(first.token).digest('hex'));
    // Shown once: reading the session never shows a token again.
    const detail = await trainer.get(`/api/v1/trainings/${s.id}`);
    expect(detail.body).not.toContain(first.token);
    expect(detail.json.check).toBe('pre');
    expect(detail.json.participants[0].pre.state).toBe('waiting');
    // Issued again: the first link no longer works.
    const again = await trainer.post(`/api/v1/trainings/${s.id}/links`, { participants: [s.participants[0]] });
    expect(again.json.links).toHaveLength(1);
    expect((await h.client().get(`/api/v1/checks/${first.token}`)).status).toBe(410);
    expect((await h.client().get(`/api/v1/checks/${again.json.links[0].token}`)).status).toBe(200);
  });

  it('takes a participant through the check on their phone: code, pre once, post when opened, then expiry', async () => {
    const s = await sessionWith(['Drita']);
    const link = (await trainer.post(`/api/v1/trainings/${s.id}/links`, {})).json.links[0];
    const phone = h.client();
    const byCode = await phone.post('/api/v1/checks/code', { code: link.code.toLowerCase() });
    expect(byCode.status, byCode.body).toBe(200);
    const token = byCode.json.token as string;
    const noCookies = (r: Response) => expect(r.headers['set-cookie']).toBeUndefined();
    noCookies(byCode);

    const view = await phone.get(`/api/v1/checks/${token}`);
    noCookies(view);
    expect(view.json).toMatchObject({ phase: 'pre', module: 'Backup and recovery', language: 'en', results: [] });
    expect(view.json.items.map((i: { id: string }) => i.id)).toEqual(ITEMS.map((i) => i.id));
    expect(view.body).not.toContain('correct');

    const pre = await phone.post(`/api/v1/checks/${token}/pre`, { answers: answers(4), confidence: 2 });
    expect(pre.status, pre.body).toBe(200);
    expect(pre.json).toMatchObject({ phase: 'pre', score: pct(4), correct: 4 });
    expect(pre.json.explanations).toBeUndefined();
    noCookies(pre);
    const twice = await phone.post(`/api/v1/checks/${token}/pre`, { answers: answers(9), confidence: 5 });
    expect([twice.status, twice.json.error.message]).toEqual([409, expect.stringContaining('already taken')]);
    const early = await phone.post(`/api/v1/checks/${token}/post`, { answers: answers(9), confidence: 4 });
    expect([early.status, early.json.error.message]).toEqual([409, expect.stringContaining('not open yet')]);
    expect((await phone.get(`/api/v1/checks/${link.token}`)).json.phase).toBe('waiting');

    expect((await trainer.post(`/api/v1/trainings/${s.id}/phase`, { phase: 'post' })).status).toBe(200);
    const post = await phone.post(`/api/v1/checks/${link.token}/post`, {
      answers: answers(9),
      confidence: 4,
      reaction: { usefulness: 5, relevance: 4, pace: 'right', comment: 'More on restores, please.' },
    });
    expect(post.status, post.body).toBe(200);
    expect(post.json.score).toBe(pct(9));
    expect(post.json.explanations).toHaveLength(ITEMS.length);
    expect((await phone.get(`/api/v1/checks/${token}`)).json.phase).toBe('done');
    const detail = (await trainer.get(`/api/v1/trainings/${s.id}`)).json.participants[0];
    expect(detail).toMatchObject({
      pre: { state: 'taken', score: pct(4), confidence: 2, via: 'link' },
      post: { state: 'taken', score: pct(9), confidence: 4 },
      reacted: true,
    });

    // Past its expiry the link answers exactly as an unknown one does.
    const today = h.clock.now;
    h.clock.now = Date.parse(START) + 15 * 86_400_000;
    const expired = await phone.get(`/api/v1/checks/${token}`);
    const unknown = await phone.get(`/api/v1/checks/${'x'.repeat(43)}`);
    expect(expired.status).toBe(410);
    expect([unknown.status, unknown.json.error.message]).toEqual([410, expired.json.error.message]);
    expect((await phone.post('/api/v1/checks/code', { code: link.code })).status).toBe(404);
    h.clock.now = today;
  });

  it('refuses codes from one address for a minute after ten that did not work', async () => {
    const phone = h.client();
    h.clock.now += 61_000; // the codes other tests got wrong from this address are forgotten
    for (let i = 0; i < 10; i++)
      expect((await phone.post('/api/v1/checks/code', { code: 'AAAA-AAAA' })).status).toBe(404);
    const r = await phone.post('/api/v1/checks/code', { code: 'AAAA-AAAA' });
    expect([r.status, r.headers['retry-after']]).toEqual([429, '60']);
    h.clock.now += 61_000;
    expect((await phone.post('/api/v1/checks/code', { code: 'AAAA-AAAA' })).status).toBe(404);
  });

  it('takes answers from paper, scored like the check, and names an answer that is not an option', async () => {
    const s = await sessionWith(['Paper']);
    const url = `/api/v1/trainings/${s.id}/participants/${s.participants[0]}/answers/pre`;
    const r = await trainer.put(url, { answers: answers(6), confidence: 3 });
    expect(r.status, r.body).toBe(200);
    expect(r.json.pre).toMatchObject({ state: 'taken', score: pct(6), confidence: 3, via: 'paper' });
    const bad = await trainer.put(url, { answers: { [ITEMS[0]!.id]: 'no-such-option' } });
    expect([bad.status, bad.json.error.details[0].where]).toEqual([400, `answers.${ITEMS[0]!.id}`]);
    expect((await trainer.get(`/api/v1/trainings/${s.id}`)).json.participants[0].pre.score).toBe(pct(6));
  });

  it('imports a responses CSV all or nothing, each problem on its line', async () => {
    const s = await sessionWith(['Arben', 'Vjosa']);
    const rows = (who: string, phase: string, n: number) =>
      ITEMS.map((i, k) => `${who},${phase},${i.id},${k < n ? RIGHT[i.id] : ''}`);
    const before = await count('training_results');
    const unknownPerson = [
      'participant,phase,item,answer',
      ...rows(' arben ', 'pre', 3),
      'Nobody,pre,' + ITEMS[0]!.id + ',',
    ];
    const r1 = await trainer.post(`/api/v1/trainings/${s.id}/responses`, { csv: unknownPerson.join('\n') });
    expect(r1.status).toBe(400);
    expect(r1.json.error.details).toEqual([
      { where: `line ${ITEMS.length + 2}`, message: expect.stringContaining('unknown participant "Nobody"') },
    ]);
    const unknownItem = ['participant,phase,item,answer', ...rows('Arben', 'pre', 3), 'Arben,post,no-such-item,'];
    const r2 = await trainer.post(`/api/v1/trainings/${s.id}/responses`, { csv: unknownItem.join('\n') });
    expect([r2.status, r2.json.error.details[0].where]).toEqual([400, `line ${ITEMS.length + 2}`]);
    expect(r2.json.error.details[0].message).toContain('unknown item `no-such-item`');
    expect(await count('training_results')).toBe(before);

    const good = [
      'participant,phase,item,answer',
      ...rows('ARBEN', 'pre', 3),
      ...rows('Arben', 'post', 8),
      ...rows(s.participants[1]!, 'pre', 5),
    ];
    const ok = await trainer.post(`/api/v1/trainings/${s.id}/responses`, { csv: good.join('\r\n') });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toEqual({ participants: 2, phases: 3, responses: 3 * ITEMS.length });
    const [arben, vjosa] = (await trainer.get(`/api/v1/trainings/${s.id}`)).json.participants;
    expect([arben.pre.score, arben.post.score, arben.pre.via, vjosa.pre.score, vjosa.post.score]).toEqual([
      pct(3),
      pct(8),
      'import',
      pct(5),
      null,
    ]);
  });

  it('shows the training impact with the engine\u2019s paired statistics over the participants with both checks', async () => {
    const s = await sessionWith(['P1', 'P2', 'P3', 'P4']);
    const pairs: [number | null, number | null][] = [
      [3, 8],
      [5, 5],
      [6, 4],
      [null, 9],
    ];
    for (const [i, [pre, post]] of pairs.entries()) {
      const base = `/api/v1/trainings/${s.id}/participants/${s.participants[i]}`;
      await trainer.request('PATCH', base, { attended: true });
      if (pre !== null) await trainer.put(`${base}/answers/pre`, { answers: answers(pre), confidence: 2 });
      if (post !== null) await trainer.put(`${base}/answers/post`, { answers: answers(post), confidence: 4 });
    }
    const r = await trainer.get(`/api/v1/programmes/${programme}/trainings/impact`);
    expect(r.status, r.body).toBe(200);
    const mine = r.json.sessions.find((x: { sessionId: string }) => x.sessionId === s.id);
    const expected = changeOf(pairs.filter(([x, y]) => x !== null && y !== null).map(([x, y]) => pct(y!) - pct(x!)));
    expect(mine.knowledge.change).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(mine).toMatchObject({ registered: 4, attended: 4, confidence: { n: 3, pre: 2, post: 4 } });
    expect(mine.participants.map((p: { pre: number | null }) => p.pre)).toEqual([pct(3), pct(5), pct(6), null]);
    expect(r.json.association).toBe(true);
    // A trainer sees no organisation's results beside it; a manager does (an association).
    expect(r.json.organisations.every((o: { rounds: unknown }) => o.rounds === null)).toBe(true);
    expect((await admin.get(`/api/v1/programmes/${programme}/trainings/impact`)).status).toBe(200);
  });

  it('lets a trainer run sessions and nothing else, and shows an organisation member only their own people', async () => {
    const s = await sessionWith(['Own', 'Theirs']);
    expect((await trainer.get(`/api/v1/assessments/${assessment}`)).status).toBe(404);
    expect([403, 404]).toContain((await trainer.get(`/api/v1/programmes/${programme}/progress`)).status);
    expect([403, 404]).toContain((await trainer.get(`/api/v1/programmes/${programme}/results`)).status);
    const seen = await member.get(`/api/v1/trainings/${s.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.participants.map((p: { displayName: string }) => p.displayName)).toEqual(['Own']);
    expect(seen.json.canManage).toBe(false);
    expect((await add(member, s.id, 'Nope')).status).toBe(404);
    expect((await member.get(`/api/v1/programmes/${programme}/trainings/impact`)).status).toBe(404);
  });

  it('answers observers and another programme\u2019s manager with 404 on every trainings route', async () => {
    const s = await sessionWith(['Hidden']);
    const p = s.participants[0];
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/v1/programmes/${programme}/trainings`],
      [
        'POST',
        `/api/v1/programmes/${programme}/trainings`,
        { module: 'backup-and-recovery', startsAt: START, durationMinutes: 60, place: 'x' },
      ],
      ['GET', `/api/v1/programmes/${programme}/trainings/impact`],
      ['GET', `/api/v1/trainings/${s.id}`],
      ['PATCH', `/api/v1/trainings/${s.id}`, { title: 'x' }],
      ['DELETE', `/api/v1/trainings/${s.id}`],
      ['POST', `/api/v1/trainings/${s.id}/participants`, { displayName: 'x', organisationId: a }],
      ['PATCH', `/api/v1/trainings/${s.id}/participants/${p}`, { attended: true }],
      ['DELETE', `/api/v1/trainings/${s.id}/participants/${p}`],
      ['PUT', `/api/v1/trainings/${s.id}/participants/${p}/answers/pre`, { answers: {} }],
      ['POST', `/api/v1/trainings/${s.id}/links`, {}],
      ['POST', `/api/v1/trainings/${s.id}/phase`, { phase: 'post' }],
      ['POST', `/api/v1/trainings/${s.id}/follow-up`, { days: 30 }],
      ['POST', `/api/v1/trainings/${s.id}/responses`, { csv: 'participant,phase,item,answer\n' }],
    ];
    for (const [who, c] of [
      ['observer', observer],
      ['other manager', otherManager],
    ] as const) {
      for (const [method, url, body] of calls)
        expect((await c.request(method, url, body)).status, `${who} ${method} ${url}`).toBe(404);
    }
    expect((await observer.get('/api/v1/training-modules')).status).toBe(404);
    const modules = await trainer.get('/api/v1/training-modules');
    expect(modules.json.modules.length).toBeGreaterThanOrEqual(7);
    expect(modules.json.modules[0].items[0].options.some((o: { correct: boolean }) => o.correct)).toBe(true);
    const forMember = await member.get('/api/v1/training-modules');
    expect(forMember.json.modules[0].items).toBeUndefined();
  });

  it('asks a follow-up of those who attended, once each', async () => {
    const s = await sessionWith(['Came', 'Stayed away']);
    await trainer.request('PATCH', `/api/v1/trainings/${s.id}/participants/${s.participants[0]}`, { attended: true });
    const early = await trainer.post(`/api/v1/trainings/${s.id}/follow-up`, { days: 30 });
    expect(early.status).toBe(409);
    await trainer.post(`/api/v1/trainings/${s.id}/phase`, { phase: 'closed' });
    const fu = await trainer.post(`/api/v1/trainings/${s.id}/follow-up`, { days: 30 });
    expect(fu.status, fu.body).toBe(201);
    expect(fu.json.links.map((l: { displayName: string }) => l.displayName)).toEqual(['Came']);
    const token = fu.json.links[0].token;
    const view = (await h.client().get(`/api/v1/checks/${token}`)).json;
    expect([view.phase, view.practices.length, view.items.length]).toEqual(['follow-up', MODULE.practices.length, 0]);
    const practices = Object.fromEntries(MODULE.practices.map((x, i) => [x.id, i === 0 ? 'yes' : 'partly']));
    expect((await h.client().post(`/api/v1/checks/${token}/follow-up`, { practices })).status).toBe(200);
    expect((await h.client().post(`/api/v1/checks/${token}/follow-up`, { practices })).status).toBe(409);
    const impact = (await trainer.get(`/api/v1/programmes/${programme}/trainings/impact`)).json;
    const f = impact.sessions.find((x: { sessionId: string }) => x.sessionId === s.id).followUps[0];
    expect(f).toMatchObject({ days: 30, asked: 1, responded: 1 });
    expect(f.practices[0]).toMatchObject({ yes: 1, partly: 0, no: 0 });
  });

  it('audits every change in the same transaction, a participant\u2019s own as their link', async () => {
    const s = await sessionWith(['Audited']);
    const token = (await trainer.post(`/api/v1/trainings/${s.id}/links`, {})).json.links[0].token;
    await h.client().post(`/api/v1/checks/${token}/pre`, { answers: answers(2), confidence: 1 });
    const rows = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_role', 'actor_id', 'object_id'])
      .where('action', 'like', 'training.%')
      .execute();
    const actions = rows.map((r) => r.action);
    for (const action of [
      'training.schedule',
      'training.participant.add',
      'training.links.issue',
      'training.check.pre',
    ])
      expect(actions).toContain(action);
    const own = rows.find((r) => r.action === 'training.check.pre' && r.object_id === s.participants[0])!;
    expect(own.actor_role).toBe('participant_link');
    expect(own.actor_id).toMatch(/^link:/);
    expect(rows.find((r) => r.action === 'training.schedule')!.actor_role).toBe('trainer');
  });

  it('keeps participants\u2019 names, roles and comments out of the database in clear and out of the logs', async () => {
    const s = await schedule(trainer);
    const p = await add(trainer, s.json.id, NAME, a, 'CANARY-role-9a7c');
    const token = (await trainer.post(`/api/v1/trainings/${s.json.id}/links`, {})).json.links[0].token;
    await trainer.post(`/api/v1/trainings/${s.json.id}/phase`, { phase: 'post' });
    await h.client().post(`/api/v1/checks/${token}/post`, {
      answers: answers(5),
      confidence: 3,
      reaction: { usefulness: 4, relevance: 4, pace: 'fast', comment: 'CANARY-comment-03bd' },
    });
    expect((await trainer.get(`/api/v1/trainings/${s.json.id}`)).body).toContain(NAME);
    expect(p.status).toBe(201);
    const logs = h.logs.join('\n');
    for (const secret of [NAME, 'CANARY-role-9a7c', 'CANARY-comment-03bd', token]) expect(logs).not.toContain(secret);
    expect(logs).toContain('/api/v1/checks/[token]');
    if (kind === 'sqlite') {
      const file = (h.test.config as { file: string }).file;
      for (const f of [file, `${file}-wal`].filter(existsSync)) {
        const bytes = readFileSync(f);
        for (const canary of [NAME, 'CANARY-role-9a7c', 'CANARY-comment-03bd'])
          expect(bytes.includes(Buffer.from(canary, 'utf8')), `${canary} in ${f}`).toBe(false);
      }
    } else {
      const dump = JSON.stringify(
        await Promise.all(
          (['training_participants', 'training_results', 'audit_log'] as const).map((t) =>
            h.kalaja.database.db.selectFrom(t).selectAll().execute(),
          ),
        ),
      );
      expect(dump).not.toContain(NAME);
    }
  });

  it('fills the reports\u2019 training inputs: the programme\u2019s under pseudonyms, the organisation\u2019s own people by name', async () => {
    const s = await sessionWith(['Report A', 'Report B', 'Report C']);
    for (const [i, id] of s.participants.entries()) {
      const base = `/api/v1/trainings/${s.id}/participants/${id}`;
      if (i < 2) await trainer.request('PATCH', base, { attended: true });
      if (i < 2) await trainer.put(`${base}/answers/pre`, { answers: answers(2 + i), confidence: 2 });
      if (i === 0) await trainer.put(`${base}/answers/post`, { answers: answers(7), confidence: 5 });
    }
    const label = (id: string) => (id === a ? 'Organisation A' : id === b ? 'Organisation B' : undefined);
    const sessions = await h.kalaja.services.trainingImpact.forProgrammeReport(programme, 'en', label);
    expect(sessions.find((x) => x.id === s.id)).toEqual({
      id: s.id,
      title: 'Backup and recovery',
      module: 'backup-and-recovery',
      date: START.slice(0, 10),
      domains: MODULE.domains,
      organisations: ['Organisation A', 'Organisation B'],
      participants: 2,
      registered: 3,
      knowledge: [{ pre: pct(2), post: pct(7), organisation: 'Organisation A' }],
      confidence: [{ pre: 2, post: 5 }],
      reaction: [],
    });
    const own = await h.kalaja.services.trainingImpact.forOrganisationReport(programme, a, 'en');
    const mine = own.find((x) => x.participants.some((p) => p.name === 'Report A'))!;
    expect(mine).toEqual({
      title: 'Backup and recovery',
      date: START.slice(0, 10),
      participants: [
        { name: 'Report A', attended: true, pre: pct(2), post: pct(7) },
        { name: 'Report C', attended: false, pre: null, post: null },
      ],
    });
  });

  it('crypto-shreds an organisation\u2019s participants with its key: counted, never readable again', async () => {
    const shredded = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Shredded' }))
      .json.id;
    const s = await sessionWith(['Stays']);
    const gone = await add(trainer, s.id, 'Goes', shredded);
    await trainer.put(`/api/v1/trainings/${s.id}/participants/${gone.json.id}/answers/pre`, { answers: answers(3) });
    await h.kalaja.stores.keys.remove(shredded);
    h.kalaja.context.vault.forget(shredded);
    const r = await trainer.get(`/api/v1/trainings/${s.id}`);
    expect(r.status, r.body).toBe(200);
    expect([r.json.registered, r.json.participants.map((p: { displayName: string }) => p.displayName)]).toEqual([
      2,
      ['Stays'],
    ]);
    expect((await trainer.get(`/api/v1/programmes/${programme}/trainings/impact`)).status).toBe(200);
  });
});
