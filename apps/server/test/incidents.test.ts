import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = { kind: 'media', sizeBand: '1-5', country: 'XK' } as const;
const WHAT = 'CANARY-incident-description-7f3a a fake donor portal asked for bank details';
const DONE = 'CANARY-incident-actions-c21e called the donor on the known number';
const EDITED = 'CANARY-incident-edit-55b0 and the same portal wrote again a week later';
const CANARIES = [WHAT, DONE, EDITED];

describe.each(DATABASES)('the incident log on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let orgAdmin: Client & { userId: string };
  let member: Client & { userId: string };
  let assessor: Client & { userId: string };
  let manager: Client & { userId: string };
  let observer: Client & { userId: string };
  let outsider: Client & { userId: string };
  let programme: string;
  let a: string;
  let incident: string;

  const log = (c: Client, org = a) => c.get(`/api/v1/programmes/${programme}/organisations/${org}/incidents`);
  const record = (c: Client, body: Record<string, unknown>, org = a) =>
    c.post(`/api/v1/programmes/${programme}/organisations/${org}/incidents`, body);
  const day = (daysAgo: number) => new Date(h.clock.now - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const base = (over: Record<string, unknown> = {}) => ({
    occurredOn: day(20),
    category: 'phishing',
    actor: 'criminal',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'A fake login page',
    ...over,
  });
  const count = async (table: 'incidents' | 'incident_versions' | 'audit_log') =>
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
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programme = (
      await admin.post('/api/v1/programmes', { name: 'Threats', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const other = (
      await admin.post('/api/v1/programmes', { name: 'Other', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    a = (await admin.post(`/api/v1/programmes/${programme}/organisations`, { ...ORG, name: 'Drita' })).json.id;
    const foreignOrg = (await admin.post(`/api/v1/programmes/${other}/organisations`, { ...ORG, name: 'Zëri' })).json
      .id;
    orgAdmin = await h.join(admin, {
      email: 'admin@drita.test',
      role: 'org_admin',
      programmeId: programme,
      organisationId: a,
    });
    member = await h.join(admin, {
      email: 'member@drita.test',
      role: 'org_member',
      programmeId: programme,
      organisationId: a,
    });
    assessor = await h.join(admin, { email: 'assessor@x.test', role: 'assessor', programmeId: programme });
    await admin.post(`/api/v1/programmes/${programme}/assessors`, { userId: assessor.userId, organisationId: a });
    manager = await h.join(admin, { email: 'manager@x.test', role: 'programme_manager', programmeId: programme });
    observer = await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId: programme });
    outsider = await h.join(admin, {
      email: 'zeri@x.test',
      role: 'org_admin',
      programmeId: other,
      organisationId: foreignOrg,
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lets the organisation record an incident in its words, linked to the category\u2019s handbook sections', async () => {
    const created = await record(
      member,
      base({
        occurredOn: day(30),
        endedOn: day(28),
        description: WHAT,
        actions: DONE,
        effectsPeople: ['fear'],
        effectsWork: ['disruption'],
        responses: ['helpline'],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    incident = created.json.id;
    expect(created.json).toMatchObject({
      version: 1,
      category: 'phishing',
      description: WHAT,
      actions: DONE,
      endedOn: day(28),
      handbook: ['phishing', 'clicked-suspicious-link'],
      recordedBy: { id: member.userId },
    });
    expect(created.json.history).toHaveLength(1);
    const listed = (await log(orgAdmin)).json;
    expect(listed).toMatchObject({
      organisation: 'Drita',
      canRecord: true,
      canDelete: true,
      canConsent: true,
      assessorConsent: false,
    });
    expect(listed.incidents.map((i: { id: string }) => i.id)).toEqual([incident]);
  });

  it('keeps every edit as a version, and refuses a stale one with 412', async () => {
    const edited = await member.request(
      'PATCH',
      `/api/v1/incidents/${incident}`,
      { description: EDITED, certainty: 'suspected' },
      { 'if-match': '"1"' },
    );
    expect(edited.status).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(
      edited.json.history.map((v: { version: number; content: { description: string } }) => [
        v.version,
        v.content.description,
      ]),
    ).toEqual([
      [1, WHAT],
      [2, EDITED],
    ]);
    const before = await count('incident_versions');
    const stale = await orgAdmin.request(
      'PATCH',
      `/api/v1/incidents/${incident}`,
      { certainty: 'near-miss' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(await count('incident_versions')).toBe(before);
    expect((await member.get(`/api/v1/incidents/${incident}`)).json).toMatchObject({
      version: 2,
      certainty: 'suspected',
    });
  });

  it('refuses bad input with the field named, and stores nothing', async () => {
    const before = [await count('incidents'), await count('incident_versions'), await count('audit_log')];
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'alien-invasion' }, 'category'],
      [{ actor: 'martians' }, 'actor'],
      [{ occurredOn: day(5), endedOn: day(10) }, 'endedOn'],
      [{ occurredOn: day(-3) }, 'occurredOn'],
      [{ effectsPeople: ['fear', 'boredom'] }, 'effectsPeople.1'],
      [{ responses: ['wizard'] }, 'responses.0'],
      [{ handbook: ['no-such-section'] }, 'handbook.0'],
    ];
    for (const [over, where] of cases) {
      const r = await record(member, base(over));
      expect(r.status, where).toBe(400);
      expect(
        r.json.error.details.map((d: { where: string }) => d.where),
        where,
      ).toContain(where);
      expect(r.body).not.toMatch(/at \w+ \(|node_modules/);
    }
    const patched = await member.request('PATCH', `/api/v1/incidents/${incident}`, { category: 'nope' });
    expect(patched.status).toBe(400);
    expect(await Promise.all([count('incidents'), count('incident_versions'), count('audit_log')])).toEqual(before);
  });

  it('lets the assessor in only with the organisation\u2019s consent, which its admin alone switches', async () => {
    expect((await log(assessor)).status).toBe(404);
    expect((await record(assessor, base())).status).toBe(404);
    const url = `/api/v1/programmes/${programme}/organisations/${a}/incidents/consent`;
    expect((await member.put(url, { assessor: true })).status).toBe(403);
    expect((await orgAdmin.put(url, { assessor: true })).json.assessorConsent).toBe(true);
    expect((await log(assessor)).json.canRecord).toBe(true);
    const byAssessor = await record(
      assessor,
      base({ category: 'ddos', actor: 'political', description: 'Site down on election night' }),
    );
    expect(byAssessor.status).toBe(201);
    expect((await orgAdmin.put(url, { assessor: false })).json.assessorConsent).toBe(false);
    expect((await assessor.get(`/api/v1/incidents/${byAssessor.json.id}`)).status).toBe(404);
  });

  it('shows managers the log without letting them write; observers and other tenants see nothing', async () => {
    const seen = await log(manager);
    expect(seen.status).toBe(200);
    expect(seen.json.canRecord).toBe(false);
    expect((await record(manager, base())).status).toBe(403);
    for (const c of [observer, outsider]) {
      expect((await log(c)).status).toBe(404);
      expect((await c.get(`/api/v1/incidents/${incident}`)).status).toBe(404);
      expect((await c.request('PATCH', `/api/v1/incidents/${incident}`, { certainty: 'confirmed' })).status).toBe(404);
      expect((await c.request('DELETE', `/api/v1/incidents/${incident}`)).status).toBe(404);
      expect((await c.get(`/api/v1/programmes/${programme}/threats`)).status).toBe(404);
    }
  });

  it('counts the programme\u2019s incidents in its threat landscape for managers', async () => {
    const l = await manager.get(`/api/v1/programmes/${programme}/threats?from=${day(180)}&to=${day(0)}`);
    expect(l.status).toBe(200);
    expect(l.json).toMatchObject({ audience: 'programme', organisations: 1, affected: 1, incidents: 2 });
    expect(l.json.categories.find((c: { id: string }) => c.id === 'phishing')).toMatchObject({
      incidents: 1,
      organisations: 1,
      share: 1,
    });
    expect(l.json.certainty.find((c: { id: string }) => c.id === 'suspected')).toMatchObject({ incidents: 1 });
    expect(l.json.baseline.length).toBeGreaterThan(0);
    const bad = await manager.get(`/api/v1/programmes/${programme}/threats?from=${day(0)}&to=${day(10)}`);
    expect(bad.status).toBe(400);
  });

  it('lets the organisation\u2019s admin alone delete an incident, audited without its content', async () => {
    expect((await member.request('DELETE', `/api/v1/incidents/${incident}`)).status).toBe(403);
    expect((await manager.request('DELETE', `/api/v1/incidents/${incident}`)).status).toBe(403);
    const gone = await orgAdmin.request('DELETE', `/api/v1/incidents/${incident}`);
    expect(gone.status).toBe(204);
    expect((await member.get(`/api/v1/incidents/${incident}`)).status).toBe(404);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_id', '=', incident)
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => r.action)).toEqual(['incident.create', 'incident.update', 'incident.delete']);
  });

  it('keeps every incident text out of the database and the logs in clear', async () => {
    const kept = await record(member, base({ description: WHAT, actions: DONE }));
    await member.request('PATCH', `/api/v1/incidents/${kept.json.id}`, { actions: EDITED });
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
    const logs = h.logs.join('\n');
    for (const canary of CANARIES) {
      expect(stored.includes(Buffer.from(canary)), canary).toBe(false);
      expect(logs, canary).not.toContain(canary);
    }
    const read = (await member.get(`/api/v1/incidents/${kept.json.id}`)).body;
    for (const canary of CANARIES) expect(read).toContain(canary);
  });
});

describe('the demo programme\u2019s incidents', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sqlite');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('fills the threat landscape with six months of its organisations\u2019 incidents', async () => {
    const admin = await h.admin();
    const adminId = (await admin.get('/api/v1/me')).json.id;
    const { programmeId } = await h.kalaja.services.demo.load([adminId]);
    const l = (await admin.get(`/api/v1/programmes/${programmeId}/threats`)).json;
    expect(l.incidents).toBeGreaterThanOrEqual(15);
    expect(l.affected).toBeGreaterThanOrEqual(8);
    const phishing = l.categories.find((c: { id: string }) => c.id === 'phishing');
    expect(phishing.incidents).toBeGreaterThanOrEqual(5);
    expect(l.baseline.every((d: { score: number | null }) => d.score !== null)).toBe(true);
    expect(l.publishedAt).toBeNull();
    // Observers see the landscape frozen with the demo's publication, k-anonymous: phishing
    // (six organisations) shows, a category from fewer than five organisations does not.
    const observer = await h.join(admin, { email: 'observer@demo.test', role: 'observer', programmeId });
    const seen = await observer.get(`/api/v1/programmes/${programmeId}/threats`);
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ audience: 'observers', baseline: [] });
    expect(seen.json.publishedAt).not.toBeNull();
    expect(seen.json.categories.find((c: { id: string }) => c.id === 'phishing')).toMatchObject({ withheld: false });
    expect(seen.json.categories.find((c: { id: string }) => c.id === 'doxxing')).toMatchObject({
      incidents: null,
      withheld: true,
    });
    for (const c of seen.json.categories as { organisations: number | null }[])
      if (c.organisations !== null && c.organisations > 0) expect(c.organisations).toBeGreaterThanOrEqual(5);
    // Nor does it hold a word of what anyone wrote.
    const stored = await h.kalaja.database.db.selectFrom('threat_publications').select('landscape').execute();
    expect(stored.length).toBeGreaterThan(0);
    for (const r of stored) expect(r.landscape).not.toMatch(/donor|border|forum/);
    // The team's programme report has the landscape as a section of its own.
    const job = (
      await admin.post(`/api/v1/programmes/${programmeId}/reports`, {
        kind: 'programme',
        format: 'html',
        language: 'en',
        audience: 'programme',
      })
    ).json;
    let status = job.status;
    for (let i = 0; i < 1500 && status !== 'done' && status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await admin.get(`/api/v1/reports/${job.id}`)).json.status;
    }
    expect(status).toBe('done');
    const preview = (await admin.get(`/api/v1/reports/${job.id}/preview`)).body.replace(/\s+/g, ' ');
    expect(preview).toContain('Digital threats');
    expect(preview).toContain('Phishing or a fraudulent request');
    // And a report of its own, the team's edition only.
    const refused = await admin.post(`/api/v1/programmes/${programmeId}/reports`, {
      kind: 'threats',
      format: 'docx',
      audience: 'observers',
    });
    expect(refused.status).toBe(400);
    const own = (await admin.post(`/api/v1/programmes/${programmeId}/reports`, { kind: 'threats', format: 'html' }))
      .json;
    let done = own.status;
    for (let i = 0; i < 1500 && done !== 'done' && done !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = (await admin.get(`/api/v1/reports/${own.id}`)).json.status;
    }
    expect(done).toBe('done');
    const alone = (await admin.get(`/api/v1/reports/${own.id}/preview`)).body.replace(/\s+/g, ' ');
    expect(alone).toContain('Digital threats');
    expect(alone).not.toContain('Technical findings');
  });

  it('leaves a crypto-shredded organisation\u2019s incidents out of the landscape, which still answers', async () => {
    const admin = await h.admin();
    const programmeId = (await admin.get('/api/v1/programmes')).json.find((p: { name: string }) =>
      p.name.startsWith('Demo programme'),
    ).id;
    const before = (await admin.get(`/api/v1/programmes/${programmeId}/threats`)).json.incidents as number;
    const organisations = (await admin.get(`/api/v1/programmes/${programmeId}/organisations`)).json as {
      id: string;
      name: string;
    }[];
    const { shredOrganisation } = await import('../src/ops/shred.js');
    const { systemActor } = await import('../src/modules/access/access-types.js');
    const victim = organisations[0]!;
    const mine = (await admin.get(`/api/v1/programmes/${programmeId}/organisations/${victim.id}/incidents`)).json
      .incidents.length as number;
    expect(mine).toBeGreaterThan(0);
    await shredOrganisation(h.kalaja.context, h.kalaja.stores, systemActor('test'), {
      organisationId: victim.id,
      confirmName: victim.name,
    });
    const after = await admin.get(`/api/v1/programmes/${programmeId}/threats`);
    expect(after.status).toBe(200);
    expect(after.json.incidents).toBe(before - mine);
    expect((await admin.get(`/api/v1/programmes/${programmeId}/organisations/${victim.id}/incidents`)).status).toBe(
      410,
    );
  });
});
