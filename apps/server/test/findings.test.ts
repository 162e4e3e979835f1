import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';
import { form } from './support/multipart.js';

const ORG = { kind: 'media', sizeBand: '1-5', country: 'XK' } as const;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TITLE = 'CANARY-finding-title-6d1e outdated gallery plugin';
const DESCRIPTION = 'CANARY-finding-description-0b7a';
const COMMENT = 'CANARY-review-comment-93fd: say which version';
const RETEST = 'CANARY-retest-notes-a4c2';
const CANARIES = [TITLE, DESCRIPTION, COMMENT, RETEST];
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe.each(DATABASES)('technical findings on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let junior: Client & { userId: string };
  let senior: Client & { userId: string };
  let member: Client & { userId: string };
  let otherMember: Client & { userId: string };
  let observer: Client & { userId: string };
  let outsider: Client & { userId: string };
  let programme: string;
  let round: string;
  let a: string;
  let b: string;
  let finding: string;

  const list = (c: Client, org = a) => c.get(`/api/v1/programmes/${programme}/organisations/${org}/findings`);
  const record = (c: Client, body: Record<string, unknown>, org = a) =>
    c.post(`/api/v1/programmes/${programme}/organisations/${org}/findings`, body);
  const write = (c: Client, method: string, url: string, body: unknown, version?: number) =>
    c.request(method, url, body, version === undefined ? {} : { 'if-match': `"${version}"` });
  const count = async (table: 'findings' | 'finding_events' | 'audit_log' | 'plan_items') =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audited = async (id: string) =>
    (
      await h.kalaja.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('object_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => r.action);
  const today = () => new Date(h.clock.now).toISOString().slice(0, 10);
  const base = (over: Record<string, unknown> = {}) => ({
    roundId: round,
    title: 'Exposed admin panel',
    target: 'website',
    severity: 'high',
    foundOn: '2026-01-12',
    ...over,
  });

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', { name: 'Findings', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json;
    programme = p.id;
    round = p.rounds[0].id;
    const other = (
      await admin.post('/api/v1/programmes', { name: 'Other', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json;
    a = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Drita' })).json.id;
    b = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Vatra' })).json.id;
    const foreignOrg = (await admin.post(`/api/v1/programmes/${other.id}/organisations`, { ...ORG, name: 'Zëri' })).json
      .id;
    junior = await h.join(admin, { email: 'junior@x.test', role: 'assessor', programmeId: programme });
    await admin.post(`/api/v1/programmes/${programme}/assessors`, { userId: junior.userId, organisationId: a });
    senior = await h.join(admin, { email: 'senior@x.test', role: 'programme_manager', programmeId: programme });
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
    outsider = await h.join(admin, {
      email: 'zeri@x.test',
      role: 'org_admin',
      programmeId: other.id,
      organisationId: foreignOrg,
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('takes a junior\u2019s finding through review, into the organisation\u2019s view and plan, and closes it on a retest', async () => {
    const created = await record(
      junior,
      base({
        title: TITLE,
        description: DESCRIPTION,
        method: 'Version banner read with an HTTP client',
        recommendation: 'Update the gallery plugin and remove it if unused',
        target: 'website',
        severity: 'critical',
        cvss: V31,
        questions: ['updates.website'],
        interventions: ['website-maintenance'],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    finding = created.json.id;
    expect(created.json).toMatchObject({
      status: 'draft',
      title: TITLE,
      cvss: { version: '3.1', score: 9.8, severity: 'critical', vector: V31 },
      questions: ['updates.website'],
      interventions: ['website-maintenance'],
      author: { id: junior.userId },
      reviewer: null,
    });
    // Not yet the organisation's to see.
    expect((await list(member)).json.findings).toEqual([]);
    expect((await member.get(`/api/v1/findings/${finding}`)).status).toBe(404);

    const submitted = await write(junior, 'POST', `/api/v1/findings/${finding}/submit`, undefined, 1);
    expect(submitted.status).toBe(200);
    expect(submitted.json.status).toBe('in_review');
    // Asking for changes needs a comment; the senior gives one.
    const bare = await write(senior, 'POST', `/api/v1/findings/${finding}/review`, { decision: 'request_changes' });
    expect(bare.status).toBe(400);
    expect(bare.json.error.details).toEqual([expect.objectContaining({ where: 'comment' })]);
    const sentBack = await write(senior, 'POST', `/api/v1/findings/${finding}/review`, {
      decision: 'request_changes',
      comment: COMMENT,
    });
    expect(sentBack.status).toBe(200);
    expect(sentBack.json.status).toBe('changes_requested');
    const seen = (await junior.get(`/api/v1/findings/${finding}`)).json;
    expect(seen.history.find((e: { action: string }) => e.action === 'request_changes')).toMatchObject({
      by: { id: senior.userId },
      comment: COMMENT,
    });

    // The junior edits against the version seen; a stale version is refused.
    expect((await write(junior, 'PATCH', `/api/v1/findings/${finding}`, { method: 'x' }, 1)).status).toBe(412);
    const edited = await write(
      junior,
      'PATCH',
      `/api/v1/findings/${finding}`,
      { method: 'Plugin 2.3.1 read from the readme.txt it serves' },
      seen.version,
    );
    expect(edited.status).toBe(200);
    expect((await write(junior, 'POST', `/api/v1/findings/${finding}/submit`, undefined)).json.status).toBe(
      'in_review',
    );
    // In review, nobody edits.
    expect((await write(junior, 'PATCH', `/api/v1/findings/${finding}`, { severity: 'high' })).status).toBe(409);
    const approved = await write(senior, 'POST', `/api/v1/findings/${finding}/review`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', reviewer: { id: senior.userId } });

    // The organisation now sees it, without the review's comments.
    const theirs = (await list(member)).json;
    expect(theirs.canRecord).toBe(false);
    expect(theirs.findings).toHaveLength(1);
    expect(theirs.findings[0]).toMatchObject({ title: TITLE, status: 'approved', severity: 'critical' });
    expect(JSON.stringify(theirs)).not.toContain(COMMENT);
    expect(
      (await write(member, 'POST', `/api/v1/findings/${finding}/retest`, { on: today(), outcome: 'fixed' })).status,
    ).toBe(403);

    // It becomes an item of the plan, which the plan shows, linked both ways.
    const planned = await write(junior, 'POST', `/api/v1/findings/${finding}/plan`, {});
    expect(planned.status).toBe(200);
    const itemId = planned.json.planItemId as string;
    expect(itemId).toBeTruthy();
    const plan = (await member.get(`/api/v1/programmes/${programme}/organisations/${a}/plan`)).json;
    const item = plan.items.find((i: { id: string }) => i.id === itemId);
    expect(item).toMatchObject({
      title: TITLE,
      kind: 'technical',
      notes: 'Update the gallery plugin and remove it if unused',
    });
    expect(item.findings).toEqual([{ id: finding, severity: 'critical', status: 'approved' }]);
    expect((await write(junior, 'POST', `/api/v1/findings/${finding}/plan`, {})).status).toBe(409);

    // A retest before the finding is refused, naming the field; then it is fixed, with its evidence.
    const early = await write(junior, 'POST', `/api/v1/findings/${finding}/retest`, {
      on: '2026-01-11',
      outcome: 'fixed',
    });
    expect(early.status).toBe(400);
    expect(early.json.error.details).toEqual([expect.objectContaining({ where: 'on' })]);
    const retested = await write(junior, 'POST', `/api/v1/findings/${finding}/retest`, {
      on: today(),
      outcome: 'fixed',
      notes: RETEST,
    });
    expect(retested.status).toBe(200);
    expect(retested.json).toMatchObject({
      status: 'fixed',
      retest: { on: today(), outcome: 'fixed', notes: RETEST, by: { id: junior.userId } },
    });
    const body = form([{ name: 'file', filename: 'retest.pdf', type: 'application/pdf', bytes: PDF }]);
    const uploaded = await h.kalaja.app.inject({
      method: 'POST',
      url: `/api/v1/findings/${finding}/evidence`,
      headers: { ...body.headers, cookie: junior.cookie! },
      payload: body.payload,
    });
    expect(uploaded.statusCode).toBe(201);
    const file = await member.get(`/api/v1/finding-evidence/${uploaded.json().id}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain('retest.pdf');
    expect((await otherMember.get(`/api/v1/finding-evidence/${uploaded.json().id}`)).status).toBe(404);

    // Every change is audited, in order.
    expect(await audited(finding)).toEqual([
      'finding.create',
      'finding.submit',
      'finding.review',
      'finding.update',
      'finding.submit',
      'finding.review',
      'finding.plan',
      'finding.retest',
    ]);
    expect(await audited(itemId)).toEqual(['plan_item.create']);
  });

  it('never lets an author approve their own finding, nor a junior approve at all', async () => {
    const own = (await record(senior, base({ title: 'Router admin on the internet', target: 'network' }))).json;
    expect((await senior.post(`/api/v1/findings/${own.id}/submit`)).status).toBe(200);
    const self = await senior.post(`/api/v1/findings/${own.id}/review`, { decision: 'approve' });
    expect(self.status).toBe(403);
    expect(self.json.error.message).toMatch(/another senior/);
    expect((await junior.post(`/api/v1/findings/${own.id}/submit`)).status).toBe(403);
    expect((await junior.post(`/api/v1/findings/${own.id}/review`, { decision: 'approve' })).status).toBe(403);
    // Another senior (the admin manages the programme too) can.
    expect((await admin.post(`/api/v1/findings/${own.id}/review`, { decision: 'approve' })).json.status).toBe(
      'approved',
    );
  });

  it('shows the organisation only its approved findings, and nobody else anything', async () => {
    const draft = (await record(junior, base({ title: 'Shared router password', target: 'device' }))).json;
    const seen = (await list(member)).json.findings.map((f: { status: string }) => f.status);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s: string) => ['approved', 'fixed', 'partly_fixed', 'accepted_risk'].includes(s))).toBe(true);
    expect((await list(junior)).json.findings.map((f: { id: string }) => f.id)).toContain(draft.id);
    // Most severe first.
    const severities = (await list(junior)).json.findings.map((f: { severity: string }) => f.severity);
    expect(severities[0]).toBe('critical');
    for (const c of [observer, otherMember, outsider]) {
      expect((await c.get(`/api/v1/findings/${finding}`)).status).toBe(404);
      expect((await list(c)).status).toBe(404);
      expect((await c.request('PATCH', `/api/v1/findings/${draft.id}`, { title: 'x' })).status).toBe(404);
    }
    // Another organisation's assessor-less list: the junior is not assigned to Vatra.
    expect((await list(junior, b)).status).toBe(404);
    expect((await record(junior, base(), b)).status).toBe(404);
  });

  it('discards a draft that turned out noise, by its recorders only, and never a finding past draft', async () => {
    const noise = (await record(junior, base({ title: 'Scanner noise: a test page' }))).json;
    expect((await member.request('DELETE', `/api/v1/findings/${noise.id}`)).status).toBe(404);
    expect((await observer.request('DELETE', `/api/v1/findings/${noise.id}`)).status).toBe(404);
    const stale = await junior.request('DELETE', `/api/v1/findings/${noise.id}`, undefined, {
      'if-match': `"${noise.version + 1}"`,
    });
    expect(stale.status).toBe(412);
    const before = await count('audit_log');
    expect((await junior.request('DELETE', `/api/v1/findings/${noise.id}`)).status).toBe(204);
    expect((await junior.get(`/api/v1/findings/${noise.id}`)).status).toBe(404);
    expect(await count('audit_log')).toBe(before + 1);
    const discarded = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'finding.discard')
      .execute();
    expect(discarded).toEqual([{ action: 'finding.discard', object_id: noise.id }]);
    // The organisation may have seen an approved finding: it stays, to be retested or closed.
    const refused = await senior.request('DELETE', `/api/v1/findings/${finding}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/only a draft can/);
    expect((await senior.get(`/api/v1/findings/${finding}`)).status).toBe(200);
  });

  it('refuses a bad CVSS vector, a question outside the framework and an unknown intervention, naming each, writing nothing', async () => {
    const before = await Promise.all([count('findings'), count('finding_events'), count('audit_log')]);
    const badCvss = await record(junior, base({ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' }));
    expect(badCvss.status).toBe(400);
    expect(badCvss.json.error.message).toMatch(/CVSS vector/);
    expect(badCvss.json.error.details).toEqual([{ where: 'cvss', message: 'lacks A' }]);
    const badValue = await record(junior, base({ cvss: 'CVSS:4.0/AV:Q' }));
    expect(badValue.json.error.details[0]).toMatchObject({ where: 'cvss', message: expect.stringContaining('AV:Q') });
    const v2 = await record(junior, base({ cvss: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }));
    expect(v2.json.error.details[0].where).toBe('cvss');
    const question = await record(junior, base({ questions: ['updates.website', 'nowhere.question'] }));
    expect(question.status).toBe(400);
    expect(question.json.error.details).toEqual([
      { where: 'questions.1', message: expect.stringContaining('nowhere.question') },
    ]);
    const intervention = await record(junior, base({ interventions: ['no-such-thing'] }));
    expect(intervention.json.error.details).toEqual([
      { where: 'interventions.0', message: expect.stringContaining('no-such-thing') },
    ]);
    const target = await record(junior, base({ target: 'satellite' }));
    expect(target.status).toBe(400);
    const date = await record(junior, base({ foundOn: '12/01/2026' }));
    expect(date.json.error.details[0].where).toBe('foundOn');
    const foreignRound = await record(junior, base({ roundId: 'NoSuchRound0000000' }));
    expect(foreignRound.json.error.details[0].where).toBe('roundId');
    // A CVSS 4.0 vector is scored too.
    const v4 = await record(
      junior,
      base({ cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', severity: 'critical' }),
    );
    expect(v4.json.cvss).toMatchObject({ version: '4.0', score: 9.3, severity: 'critical' });
    const after = await Promise.all([count('findings'), count('finding_events'), count('audit_log')]);
    expect(after).toEqual(before.map((n) => n + 1));
  });

  it('refuses a retest before approval, and plan items of another organisation', async () => {
    const draft = (await record(junior, base({ title: 'Guessable Wi-Fi key', target: 'network' }))).json;
    expect((await junior.post(`/api/v1/findings/${draft.id}/retest`, { on: today(), outcome: 'fixed' })).status).toBe(
      409,
    );
    expect((await junior.post(`/api/v1/findings/${draft.id}/plan`, {})).status).toBe(409);
    await junior.post(`/api/v1/findings/${draft.id}/submit`);
    await senior.post(`/api/v1/findings/${draft.id}/review`, { decision: 'approve' });
    const vatraItem = (
      await admin.post(`/api/v1/programmes/${programme}/organisations/${b}/plan`, {
        roundId: round,
        intervention: 'router-and-wifi',
      })
    ).json.id;
    const wrong = await junior.post(`/api/v1/findings/${draft.id}/plan`, { planItemId: vatraItem });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details[0].where).toBe('planItemId');
    // Joining an existing item of its own plan.
    const dritaItem = (
      await admin.post(`/api/v1/programmes/${programme}/organisations/${a}/plan`, {
        roundId: round,
        intervention: 'router-and-wifi',
      })
    ).json.id;
    const plans = await count('plan_items');
    const joined = await junior.post(`/api/v1/findings/${draft.id}/plan`, { planItemId: dritaItem });
    expect(joined.json.planItemId).toBe(dritaItem);
    expect(await count('plan_items')).toBe(plans);
  });

  it('counts the cohort\u2019s approved findings for managers, and withholds small cells from observers', async () => {
    const named = await senior.get(`/api/v1/programmes/${programme}/findings/summary`);
    expect(named.status).toBe(200);
    expect(named.json).toMatchObject({ organisations: 1, minCell: 0, medianDaysToFix: expect.any(Number) });
    expect(named.json.bySeverity.critical).toBe(1);
    expect(named.json.byStatus.fixed).toBe(1);
    expect(named.json.byStatus.draft).toBe(0);
    // Who found and reviewed what, drafts counted: the junior's findings, the senior's reviews.
    const who = (id: string) => named.json.people.find((p: { person: { id: string } }) => p.person.id === id);
    expect(who(junior.userId)).toMatchObject({ person: { displayName: expect.any(String) }, approvals: 0 });
    expect(who(junior.userId).found).toBeGreaterThan(who(junior.userId).approved);
    expect(who(junior.userId).sentBack).toBeGreaterThanOrEqual(1);
    expect(who(senior.userId).approvals).toBeGreaterThanOrEqual(1);
    expect(who(senior.userId).changesAsked).toBeGreaterThanOrEqual(1);
    // Observers: nothing before a version of the results is published, never a live count.
    const before = await observer.get(`/api/v1/programmes/${programme}/findings/summary`);
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ organisations: 0, minCell: 5 });
    expect(before.json.bySeverity.critical).toBe(0);
    expect(before.json).not.toHaveProperty('people');
    // A published version freezes the counts over its organisations, small cells withheld
    // (the row as the publication service writes it, for one organisation of the cohort).
    const frozen = await h.kalaja.services.findings.summaryForReport(programme, new Set([a]), 5);
    await h.kalaja.database.db
      .insertInto('publications')
      .values({
        id: 'published-for-observers',
        programme_id: programme,
        round_id: round,
        version: 1,
        organisations: 1,
        figures: '{}',
        sets: '[]',
        members: JSON.stringify({ [a]: 'fingerprint' }),
        published_by: 'system',
        published_at: Date.now(),
        findings: JSON.stringify(frozen),
      })
      .execute();
    const anonymised = await observer.get(`/api/v1/programmes/${programme}/findings/summary`);
    expect(anonymised.status).toBe(200);
    expect(anonymised.json.minCell).toBe(5);
    expect(anonymised.json.bySeverity.critical).toBeNull();
    expect(anonymised.json.bySeverity.low).toBe(0);
    expect(anonymised.json.medianDaysToFix).toBeNull();
    expect(anonymised.json).not.toHaveProperty('people');
    await h.kalaja.database.db.deleteFrom('publications').where('id', '=', 'published-for-observers').execute();
    expect((await junior.get(`/api/v1/programmes/${programme}/findings/summary`)).status).toBe(404);
    expect((await member.get(`/api/v1/programmes/${programme}/findings/summary`)).status).toBe(404);
  });

  it('imports a scanner\u2019s output as drafts, each result once, and refuses a broken file naming its line, writing nothing', async () => {
    const url = `/api/v1/programmes/${programme}/organisations/${a}/findings/import`;
    const nuclei = readFileSync(new URL('./fixtures/scans/nuclei.jsonl', import.meta.url), 'utf8');
    const before = await Promise.all([count('findings'), count('finding_events'), count('audit_log')]);
    const broken = await junior.post(url, { roundId: round, format: 'nuclei', content: `${nuclei}\n{"template-id": ` });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toMatch(/Nuclei file could not be read/);
    expect(broken.json.error.details).toEqual([{ where: 'line 7', message: 'is not a JSON object' }]);
    expect(await Promise.all([count('findings'), count('finding_events'), count('audit_log')])).toEqual(before);
    expect((await member.post(url, { roundId: round, format: 'nuclei', content: nuclei })).status).toBe(403);
    expect((await outsider.post(url, { roundId: round, format: 'nuclei', content: nuclei })).status).toBe(404);

    const imported = await junior.post(url, { roundId: round, format: 'nuclei', content: nuclei });
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({ duplicates: 0 });
    expect(imported.json.created).toHaveLength(3);
    const drafts = (await list(junior)).json.findings.filter((f: { id: string }) =>
      imported.json.created.includes(f.id),
    );
    expect(drafts.map((f: { status: string }) => f.status)).toEqual(['draft', 'draft', 'draft']);
    expect(drafts[0]).toMatchObject({ severity: 'critical', author: { id: junior.userId } });
    expect(await audited(imported.json.created[0])).toEqual(['finding.import']);
    // Importing the same file again adds nothing: the organisation has those findings already.
    const again = await junior.post(url, { roundId: round, format: 'nuclei', content: nuclei });
    expect(again.json).toEqual({ created: [], duplicates: 3 });
    // The organisation sees none of the drafts.
    expect(
      (await list(member)).json.findings.filter((f: { id: string }) => imported.json.created.includes(f.id)),
    ).toEqual([]);
  });

  it('keeps every finding text, comment and retest note out of the database in clear', async () => {
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
    for (const canary of CANARIES) expect(stored.includes(Buffer.from(canary)), canary).toBe(false);
    // And the API still reads them back.
    const read = (await junior.get(`/api/v1/findings/${finding}`)).body;
    for (const canary of CANARIES) expect(read).toContain(canary);
  });
});

describe('the demo programme\u2019s findings', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sqlite');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('carries realistic findings, reviewed, planned and some retested, and one still in review', async () => {
    const admin = await h.admin();
    const adminId = (await admin.get('/api/v1/me')).json.id;
    const { programmeId } = await h.kalaja.services.demo.load([adminId]);
    const organisations = (await admin.get(`/api/v1/programmes/${programmeId}/organisations`)).json as {
      id: string;
    }[];
    const all = (
      await Promise.all(
        organisations.map(
          async (o) => (await admin.get(`/api/v1/programmes/${programmeId}/organisations/${o.id}/findings`)).json,
        ),
      )
    ).flatMap((l) => l.findings) as {
      title: string;
      status: string;
      planItemId: string | null;
      retest: unknown;
      cvss: unknown;
    }[];
    const titles = all.map((f) => f.title).join(' | ');
    for (const words of ['gallery plugin', 'DMARC', 'administration panel', 'router']) expect(titles).toContain(words);
    expect(all.map((f) => f.status).sort()).toEqual([
      'accepted_risk',
      'approved',
      'fixed',
      'in_review',
      'partly_fixed',
    ]);
    expect(all.filter((f) => f.planItemId !== null)).toHaveLength(3);
    expect(all.filter((f) => f.retest !== null)).toHaveLength(3);
    expect(all.some((f) => f.cvss !== null)).toBe(true);
    const summary = (await admin.get(`/api/v1/programmes/${programmeId}/findings/summary`)).json;
    expect(summary.medianDaysToFix).toBe(55);
  });
});
