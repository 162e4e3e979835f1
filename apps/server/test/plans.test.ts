import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, storedFiles, type Client, type Harness, type Response } from './support/kalaja.js';
import { form } from './support/multipart.js';

const ORG = { kind: 'media', sizeBand: '1-5', country: 'XK' } as const;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe.each(DATABASES)('plans on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let assessor: Client & { userId: string };
  let orgAdmin: Client & { userId: string };
  let member: Client & { userId: string };
  let otherMember: Client & { userId: string };
  let observer: Client & { userId: string };
  let programme: string;
  let baseline: string;
  let reassessment: string;
  let a: string;
  let b: string;
  let assessment: string;
  let foreignRound: string;
  let foreignOrg: string;

  const planUrl = (org = a) => `/api/v1/programmes/${programme}/organisations/${org}/plan`;
  const count = async (table: 'plan_items' | 'plan_item_events' | 'plan_evidence' | 'audit_log') =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const patch = (c: Client, id: string, body: unknown, version?: number) =>
    c.request('PATCH', `/api/v1/plan-items/${id}`, body, version === undefined ? {} : { 'if-match': `"${version}"` });
  const status = (c: Client, id: string, body: unknown, version?: number) =>
    c.request(
      'POST',
      `/api/v1/plan-items/${id}/status`,
      body,
      version === undefined ? {} : { 'if-match': `"${version}"` },
    );
  async function upload(c: Client, itemId: string, name: string, bytes: Buffer, type = 'application/pdf') {
    const body = form([{ name: 'file', filename: name, type, bytes }]);
    const res = await h.kalaja.app.inject({
      method: 'POST',
      url: `/api/v1/plan-items/${itemId}/evidence`,
      headers: { ...body.headers, cookie: c.cookie! },
      payload: body.payload,
    });
    return { status: res.statusCode, json: res.json() } as Pick<Response, 'status' | 'json'>;
  }
  async function stepUp(c: Client) {
    h.clock.now += 31_000;
    const r = await c.post('/api/v1/session/reauth', {
      password: PASSWORD,
      code: totpCode(c.totpSecret!, h.clock.now),
    });
    expect(r.status).toBe(204);
  }

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'Plans',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json;
    programme = p.id;
    [baseline, reassessment] = p.rounds.map((r: { id: string }) => r.id);
    const other = (
      await admin.post('/api/v1/programmes', { name: 'Other', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json;
    foreignRound = other.rounds[0].id;
    a = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Drita' })).json.id;
    b = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Vatra' })).json.id;
    foreignOrg = (await admin.post(`/api/v1/programmes/${other.id}/organisations`, { ...ORG, name: 'Zëri' })).json.id;
    assessor = await h.join(admin, { email: 'assessor@x.test', role: 'assessor', programmeId: programme });
    await admin.post(`/api/v1/programmes/${programme}/assessors`, { userId: assessor.userId, organisationId: a });
    orgAdmin = await h.join(admin, {
      email: 'drita-admin@x.test',
      role: 'org_admin',
      programmeId: programme,
      organisationId: a,
    });
    member = await h.join(admin, {
      email: 'drita@x.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: a,
    });
    otherMember = await h.join(admin, {
      email: 'vatra@x.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: b,
    });
    observer = await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId: programme });
    const progress = (await admin.get(`/api/v1/programmes/${programme}/progress`)).json;
    assessment = progress.find(
      (r: { organisationId: string; roundId: string }) => r.organisationId === a && r.roundId === baseline,
    ).assessmentId;
    for (const [question, answer] of [
      ['access.mfa-email', 'none'],
      ['access.password-manager', 'reused'],
      ['governance.security-lead', 'nobody'],
    ])
      expect((await assessor.put(`/api/v1/assessments/${assessment}/validated/${question}`, { answer })).status).toBe(
        200,
      );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('ranks the catalogue for an assessment, each intervention with what it raises and by how much', async () => {
    const r = await assessor.get(`/api/v1/assessments/${assessment}/interventions`);
    expect(r.status).toBe(200);
    expect(r.json.canPlan).toBe(true);
    expect(r.json.round).toBe('baseline');
    const mfa = r.json.interventions.find((i: { intervention: { id: string } }) => i.intervention.id === 'mfa-rollout');
    expect(mfa.moves).toEqual([
      { question: 'access.mfa-email', domain: 'access', from: 'none', to: 'phishing-resistant' },
    ]);
    expect(mfa.gain).toBeGreaterThan(0);
    expect(mfa.domains.access).toBeGreaterThan(0);
    expect(mfa.intervention.steps.length).toBeGreaterThan(0);
    expect(mfa.planItem).toBeNull();
    // In priority order, ranked from 1.
    const priorities = r.json.interventions.map((i: { priority: number }) => i.priority);
    expect(priorities).toEqual([...priorities].sort((x, y) => y - x));
    expect(r.json.interventions[0].rank).toBe(1);
    // The organisation reads its own ranking but does not plan; another organisation and observers see nothing.
    expect((await member.get(`/api/v1/assessments/${assessment}/interventions`)).json.canPlan).toBe(false);
    for (const c of [otherMember, observer])
      expect((await c.get(`/api/v1/assessments/${assessment}/interventions`)).status).toBe(404);
  });

  let mfaItem: string;
  let ownItem: string;

  it('builds the plan from the ranking and from the assessor\u2019s own items; the organisation reads it', async () => {
    const picked = await assessor.post(planUrl(), {
      roundId: baseline,
      intervention: 'mfa-rollout',
      ownerId: orgAdmin.userId,
      dueOn: '2026-03-31',
      notes: 'Start with the director and the editors.',
    });
    expect(picked.status).toBe(201);
    expect(picked.headers.etag).toBe('"1"');
    expect(picked.json).toMatchObject({
      version: 1,
      round: 'baseline',
      status: 'planned',
      kind: 'technical',
      title: null,
      owner: { id: orgAdmin.userId, displayName: 'drita-admin' },
      dueOn: '2026-03-31',
      notes: 'Start with the director and the editors.',
      intervention: { id: 'mfa-rollout', effort: 'medium' },
    });
    mfaItem = picked.json.id;
    const own = await assessor.post(planUrl(), {
      roundId: baseline,
      title: 'Move the archive off the shared laptop',
      kind: 'technical',
    });
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({
      title: 'Move the archive off the shared laptop',
      intervention: null,
      owner: null,
    });
    ownItem = own.json.id;

    const ranking = (await assessor.get(`/api/v1/assessments/${assessment}/interventions`)).json;
    expect(
      ranking.interventions.find((i: { intervention: { id: string } }) => i.intervention.id === 'mfa-rollout').planItem,
    ).toBe(mfaItem);
    const plan = await member.get(planUrl());
    expect(plan.status).toBe(200);
    expect(plan.json.canPlan).toBe(false);
    expect(plan.json.organisation).toBe('Drita');
    expect(plan.json.people.map((p: { id: string }) => p.id).sort()).toEqual([orgAdmin.userId, member.userId].sort());
    expect(plan.json.items.map((i: { id: string }) => i.id).sort()).toEqual([mfaItem, ownItem].sort());
    expect(plan.json.items.find((i: { id: string }) => i.id === mfaItem).history).toEqual([
      {
        at: expect.any(String),
        by: { id: assessor.userId, displayName: 'assessor' },
        action: 'create',
        changes: [
          { field: 'status', from: null, to: 'planned' },
          { field: 'owner', from: null, to: orgAdmin.userId },
          { field: 'dueOn', from: null, to: '2026-03-31' },
          { field: 'notes', from: null, to: null },
        ],
      },
    ]);
    // Picking the same intervention again for the same round is a conflict; for the next round it is a new item.
    const again = await assessor.post(planUrl(), { roundId: baseline, intervention: 'mfa-rollout' });
    expect([again.status, again.json.error.code]).toEqual([409, 'conflict']);
  });

  it('refuses bad input with a 4xx that names the field, and writes nothing', async () => {
    const before = await Promise.all([count('plan_items'), count('plan_item_events'), count('audit_log')]);
    const cases: [unknown, string, number][] = [
      [{ roundId: baseline, intervention: 'no-such-thing' }, 'intervention', 400],
      [{ roundId: baseline, intervention: 'Not A Slug!' }, 'intervention', 400],
      [{ roundId: baseline, intervention: 'security-keys', ownerId: otherMember.userId }, 'ownerId', 400],
      [{ roundId: baseline, intervention: 'security-keys', ownerId: assessor.userId }, 'ownerId', 400],
      [{ roundId: baseline, intervention: 'security-keys', dueOn: '2026-02-30' }, 'dueOn', 400],
      [{ roundId: baseline, intervention: 'security-keys', dueOn: '31/03/2026' }, 'dueOn', 400],
      [{ roundId: foreignRound, intervention: 'security-keys' }, 'roundId', 400],
      [{ roundId: baseline, intervention: 'security-keys', title: 'Both' }, 'intervention', 400],
      [{ roundId: baseline, title: 'No kind' }, 'kind', 400],
      [{ roundId: baseline, intervention: 'security-keys', extra: 1 }, '(request)', 400],
    ];
    for (const [body, where, code] of cases) {
      const r = await assessor.post(planUrl(), body);
      expect(r.status, JSON.stringify(body)).toBe(code);
      expect(
        r.json.error.details.map((d: { where: string }) => d.where),
        JSON.stringify(body),
      ).toContain(where);
    }
    // An item for an organisation of another programme, through this programme: not found.
    const foreign = await assessor.post(planUrl(foreignOrg), { roundId: baseline, intervention: 'security-keys' });
    expect([foreign.status, foreign.json.error.code]).toEqual([404, 'not_found']);
    // An item for another organisation of this programme that the assessor is not assigned to.
    expect((await assessor.post(planUrl(b), { roundId: baseline, intervention: 'security-keys' })).status).toBe(404);
    // A stale version, and an If-Match that is not a version.
    const v = (await member.get(planUrl())).json.items.find((i: { id: string }) => i.id === mfaItem).version;
    const stale = await patch(member, mfaItem, { notes: 'late' }, v + 1);
    expect([stale.status, stale.json.error.code]).toEqual([412, 'precondition_failed']);
    expect((await patch(member, mfaItem, { notes: 'late' }, undefined)).status).toBe(200);
    const old = await patch(member, mfaItem, { notes: 'later' }, v);
    expect(old.status).toBe(412);
    const bad = await member.request('PATCH', `/api/v1/plan-items/${mfaItem}`, { notes: 'x' }, { 'if-match': 'soon' });
    expect([bad.status, bad.json.error.details[0].where]).toEqual([400, 'If-Match']);
    expect((await patch(member, mfaItem, {})).status).toBe(400);
    // Only the successful note change wrote anything: one item row changed, one event, one audit row.
    const after = await Promise.all([count('plan_items'), count('plan_item_events'), count('audit_log')]);
    expect(after).toEqual([before[0], before[1] + 1, before[2] + 1]);
    expect((await member.get(planUrl())).json.items.find((i: { id: string }) => i.id === mfaItem).notes).toBe('late');
  });

  it('lets the organisation carry out its plan but not re-plan it, and keeps it from everyone else', async () => {
    // The organisation does not add items, nor change owners or due dates.
    const add = await member.post(planUrl(), { roundId: baseline, intervention: 'security-keys' });
    expect([add.status, add.json.error.code]).toEqual([403, 'forbidden']);
    expect((await patch(orgAdmin, mfaItem, { dueOn: '2027-01-01' })).status).toBe(403);
    expect((await patch(member, mfaItem, { ownerId: member.userId })).status).toBe(403);
    // An intervention's title is the catalogue's.
    const title = await patch(assessor, mfaItem, { title: 'Renamed' });
    expect([title.status, title.json.error.details[0].where]).toEqual([400, 'title']);
    // The assessor re-plans: a new owner from the organisation.
    const owner = await patch(assessor, mfaItem, { ownerId: member.userId, dueOn: '2026-04-30' });
    expect(owner.status).toBe(200);
    expect(owner.json.owner.id).toBe(member.userId);
    // Another organisation, an observer and another programme's people get 404 for everything.
    for (const c of [otherMember, observer]) {
      expect((await c.get(planUrl())).status).toBe(404);
      expect((await patch(c, mfaItem, { notes: 'x' })).status).toBe(404);
      expect((await status(c, mfaItem, { status: 'done' })).status).toBe(404);
      expect((await c.get(`/api/v1/programmes/${programme}/plans`)).status).toBe(404);
    }
    expect((await assessor.get(`/api/v1/programmes/${programme}/plans`)).status).toBe(404);
  });

  it('moves items along planned → in progress → done, or drops them with a reason, and keeps the history', async () => {
    const v = (await member.get(planUrl())).json.items.find((i: { id: string }) => i.id === mfaItem).version;
    const started = await status(member, mfaItem, { status: 'in_progress' }, v);
    expect([started.status, started.json.status, started.json.version]).toEqual([200, 'in_progress', v + 1]);
    const reason = await status(member, mfaItem, { status: 'done', reason: 'because' });
    expect([reason.status, reason.json.error.details[0].where]).toEqual([400, 'reason']);
    const done = await status(member, mfaItem, { status: 'done' }, v + 1);
    expect(done.json.status).toBe('done');
    expect(done.json.doneAt).not.toBeNull();
    const twice = await status(member, mfaItem, { status: 'done' });
    expect([twice.status, twice.json.error.code]).toEqual([409, 'conflict']);
    const dropDone = await status(member, mfaItem, { status: 'dropped', reason: 'x' });
    expect(dropDone.status).toBe(409);
    expect(dropDone.json.error.message).toMatch(/in progress/);

    const noReason = await status(orgAdmin, ownItem, { status: 'dropped' });
    expect([noReason.status, noReason.json.error.details[0].where]).toEqual([400, 'reason']);
    const dropped = await status(orgAdmin, ownItem, {
      status: 'dropped',
      reason: 'The archive moved with the office.',
    });
    expect(dropped.json).toMatchObject({ status: 'dropped', dropReason: 'The archive moved with the office.' });
    const reopened = await status(assessor, ownItem, { status: 'planned' });
    expect(reopened.json).toMatchObject({ status: 'planned', dropReason: null });

    const item = (await assessor.get(planUrl())).json.items.find((i: { id: string }) => i.id === mfaItem);
    const statuses = item.history
      .flatMap((e: { changes: { field: string; to: string }[] }) => e.changes)
      .filter((c: { field: string }) => c.field === 'status')
      .map((c: { to: string }) => c.to);
    expect(statuses).toEqual(['planned', 'in_progress', 'done']);
    expect(item.history.at(-1).by.id).toBe(member.userId);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', mfaItem)
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => r.action)).toEqual([
      'plan_item.create',
      'plan_item.update',
      'plan_item.update',
      'plan_item.status',
      'plan_item.status',
    ]);
  });

  it('takes evidence from the organisation, sealed, and serves it only to whoever reads the plan', async () => {
    const up = await upload(member, mfaItem, 'admin console.pdf', PDF);
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ name: 'admin console.pdf', mediaType: 'application/pdf', size: PDF.length });
    const html = await upload(
      member,
      mfaItem,
      'page.html',
      Buffer.from('<html><script>x</script></html>'),
      'text/html',
    );
    expect(html.status).toBe(415);
    const item = (await orgAdmin.get(planUrl())).json.items.find((i: { id: string }) => i.id === mfaItem);
    expect(item.evidence.map((e: { name: string }) => e.name)).toEqual(['admin console.pdf']);
    expect(item.history.at(-1)).toMatchObject({ action: 'evidence', changes: [{ field: 'evidence', to: 'added' }] });
    const file = await assessor.get(`/api/v1/plan-evidence/${up.json.id}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(Buffer.from(file.body)).toEqual(PDF);
    expect((await otherMember.get(`/api/v1/plan-evidence/${up.json.id}`)).status).toBe(404);
    expect((await upload(otherMember, mfaItem, 'x.pdf', PDF)).status).toBe(404);
    // Stored (on disk, or in PostgreSQL) the file is sealed: the PDF's bytes are not there in clear.
    const stored = (await storedFiles(h, 'evidence')).get(up.json.id);
    expect(stored).toBeDefined();
    expect(stored!.includes(PDF)).toBe(false);
  });

  it('shows the programme\u2019s managers the demand, what is overdue and done, per organisation and kind', async () => {
    // Drita's own item was due yesterday by the time the manager looks.
    expect((await patch(assessor, ownItem, { dueOn: '2020-01-01' })).status).toBe(200);
    const r = await admin.get(`/api/v1/programmes/${programme}/plans`);
    expect(r.status).toBe(200);
    expect(r.json.organisations).toBe(1);
    const mfa = r.json.demand.find((d: { intervention: { id: string } }) => d.intervention.id === 'mfa-rollout');
    expect(mfa).toMatchObject({ needed: 1, done: 1, planned: 0, overdue: 0 });
    expect(r.json.demand[0].needed).toBe(1);
    expect(r.json.byOrganisation).toEqual([
      expect.objectContaining({ organisation: 'Drita', items: 2, done: 1, planned: 1, overdue: 1 }),
      expect.objectContaining({ organisation: 'Vatra', items: 0 }),
    ]);
    expect(r.json.byKind.find((k: { kind: string }) => k.kind === 'technical')).toMatchObject({ items: 2, done: 1 });
    expect(r.json.overdue).toEqual([
      expect.objectContaining({
        itemId: ownItem,
        organisation: 'Drita',
        title: 'Move the archive off the shared laptop',
        dueOn: '2020-01-01',
      }),
    ]);
  });

  it('exports a plan and the programme\u2019s plans as CSV and XLSX, after a recent sign-in, audited', async () => {
    h.clock.now += 6 * 60_000;
    const stale = await member.get(`${planUrl()}/export?format=csv`);
    expect([stale.status, stale.json.error.code]).toEqual([401, 'reauthentication_required']);
    await stepUp(member);
    const csv = await member.get(`${planUrl()}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'organisation,round,intervention,title,kind,effort,cost,owner,due,status,overdue,done on,drop reason,notes,evidence',
    );
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('mfa-rollout'))).toContain(',done,');
    expect(lines.find((l) => l.includes('mfa-rollout'))).toContain('admin console.pdf');
    expect((await member.get(`/api/v1/programmes/${programme}/plans/export?format=csv`)).status).toBe(404);
    expect((await member.get(`${planUrl()}/export?format=pdf`)).status).toBe(400);

    await stepUp(admin);
    const res = await h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/programmes/${programme}/plans/export?format=xlsx`,
      headers: { cookie: admin.cookie! },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/plans%20\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = strFromU8(unzipSync(res.rawPayload)['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain('Move the archive off the shared laptop');
    expect(sheet).toContain('Drita');
    const exports = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'plan.export')
      .orderBy('seq')
      .execute();
    const adminId = (await admin.get('/api/v1/me')).json.id;
    expect(exports.map((e) => e.actor_id)).toEqual([member.userId, adminId]);
  });

  it('lets the planners delete an item put in by mistake, with its evidence, after a recent sign-in', async () => {
    const item = (await assessor.post(planUrl(), { roundId: reassessment, intervention: 'mfa-rollout' })).json;
    const file = await upload(member, item.id, 'note.txt', Buffer.from('done\n'), 'text/plain');
    expect(file.status).toBe(201);
    expect((await member.request('DELETE', `/api/v1/plan-items/${item.id}`)).status).toBe(403);
    h.clock.now += 6 * 60_000;
    expect((await assessor.request('DELETE', `/api/v1/plan-items/${item.id}`)).status).toBe(401);
    await stepUp(assessor);
    expect((await assessor.request('DELETE', `/api/v1/plan-items/${item.id}`)).status).toBe(204);
    expect((await storedFiles(h, 'evidence')).has(file.json.id)).toBe(false);
    expect((await assessor.get(planUrl())).json.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
  });
});

describe('the demo programme\u2019s plans', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sqlite');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('gives each of the ten organisations a plan from its baseline: most done by the reassessment, some dropped, some late', async () => {
    const admin = await h.admin();
    const adminId = (await admin.get('/api/v1/me')).json.id;
    const { programmeId } = await h.kalaja.services.demo.load([adminId]);
    const view = (await admin.get(`/api/v1/programmes/${programmeId}/plans`)).json;
    expect(view.byOrganisation).toHaveLength(10);
    expect(view.byOrganisation.every((o: { items: number }) => o.items >= 2)).toBe(true);
    const total = (k: 'items' | 'done' | 'dropped' | 'overdue' | 'inProgress' | 'planned') =>
      view.byOrganisation.reduce((sum: number, o: Record<string, number>) => sum + o[k]!, 0);
    expect(total('done')).toBeGreaterThan(total('items') / 2);
    expect(total('dropped')).toBeGreaterThan(0);
    expect(total('overdue')).toBeGreaterThan(0);
    // Every item answers the baseline's gaps, and the demand counts the reassessment's rankings.
    const rounds = await h.kalaja.database.db
      .selectFrom('plan_items')
      .innerJoin('rounds', 'rounds.id', 'plan_items.round_id')
      .select('rounds.name')
      .distinct()
      .execute();
    expect(rounds.map((r) => r.name)).toEqual(['baseline']);
    expect(view.organisations).toBe(10);
    expect(view.demand[0].needed).toBeGreaterThan(1);
  });
});
