import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { shredOrganisation } from '../src/ops/shred.js';
import { DATABASES } from './support/databases.js';
import { opsInstance, seed, type OpsInstance, type Seeded } from './support/ops.js';

async function wrappedKey(instance: OpsInstance, organisationId: string): Promise<Buffer | undefined> {
  const database = openDatabase(loadConfig(instance.env).database);
  try {
    const row = await database.db
      .selectFrom('organisation_keys')
      .select('wrapped_key')
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    return row && Buffer.from(row.wrapped_key);
  } finally {
    await database.close();
  }
}

describe.each(DATABASES)('kalaja organisations shred on %s', (kind) => {
  let instance: OpsInstance;
  let seeded: Seeded;
  let other: { assessmentId: string; organisationId: string; name: string };

  beforeAll(async () => {
    instance = await opsInstance(kind);
    const running = await instance.start();
    seeded = await seed(running);
    const db = running.kalaja.database.db;
    const a = await db
      .selectFrom('assessments')
      .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
      .select(['assessments.id', 'assessments.organisation_id', 'organisations.name'])
      .where('assessments.organisation_id', '!=', seeded.organisationId)
      .orderBy('organisations.name')
      .executeTakeFirstOrThrow();
    other = { assessmentId: a.id, organisationId: a.organisation_id, name: a.name };
    await running.close();
  });

  afterAll(async () => {
    await instance?.destroy();
  });

  it('needs the organisation\u2019s exact name and changes nothing without it', async () => {
    const wrong = await instance.run([
      'organisations',
      'shred',
      '--id',
      seeded.organisationId,
      '--confirm',
      seeded.organisationName.toUpperCase(),
    ]);
    expect(wrong).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--confirm must be the organisation's exact name/),
    });
    expect(await wrappedKey(instance, seeded.organisationId)).toBeDefined();
    expect((await instance.run(['organisations', 'shred', '--id', seeded.organisationId])).code).toBe(2);
    expect((await instance.run(['organisations', 'shred', '--confirm', 'x'])).code).toBe(2);
    expect((await instance.run(['organisations', '--id', 'x', '--confirm', 'x'])).code).toBe(2);
    expect(
      await instance.run(['organisations', 'shred', '--id', 'no-such-organisation', '--confirm', 'x']),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no organisation with id no-such-organisation/),
    });
  });

  it('destroys the key: the organisation\u2019s answers, notes and files answer 410 gone, others read as before', async () => {
    const r = await instance.run([
      'organisations',
      'shred',
      '--id',
      seeded.organisationId,
      '--confirm',
      seeded.organisationName,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Shredded Kumbona e Drenicës \(test\) \(.*\): its data key is destroyed/);
    expect(r.stdout).not.toMatch(/write-ahead log/);
    expect(await wrappedKey(instance, seeded.organisationId)).toBeUndefined();

    const again = await instance.run([
      'organisations',
      'shred',
      '--id',
      seeded.organisationId,
      '--confirm',
      seeded.organisationName,
    ]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/was already shredded/) });

    const running = await instance.start();
    try {
      const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
      for (const url of [
        `/api/v1/assessments/${seeded.assessmentId}`,
        `/api/v1/assessments/${seeded.assessmentId}/interview-notes`,
        `/api/v1/assessments/${seeded.assessmentId}/evidence`,
        `/api/v1/assessments/${seeded.assessmentId}/results`,
        `/api/v1/evidence/${seeded.evidenceId}`,
      ]) {
        const res = await admin.get(url);
        expect([url, res.status, res.json?.error?.code]).toEqual([url, 410, 'gone']);
        expect(res.json.error.message).toMatch(/erased/);
      }
      // Writing for it answers the same way, not with a server error.
      const write = await admin.request(
        'PUT',
        `/api/v1/assessments/${seeded.assessmentId}/validated/access.mfa-email`,
        {
          answer: 'none',
        },
      );
      expect([write.status, write.json.error.code]).toEqual([410, 'gone']);
      // The organisation itself and the rest of the programme are untouched; the cohort
      // figures leave the shredded organisation out.
      expect((await admin.get(`/api/v1/assessments/${other.assessmentId}`)).status).toBe(200);
      const cohort = await admin.get(`/api/v1/programmes/${seeded.programmeId}/results`);
      expect(cohort.status).toBe(200);
      expect(JSON.stringify(cohort.json)).not.toContain(seeded.organisationName);
      const audit = await admin.get('/api/v1/audit');
      expect(audit.json[0]).toMatchObject({
        action: 'organisation.shred',
        objectType: 'organisation',
        objectId: seeded.organisationId,
        organisationId: seeded.organisationId,
        actorRole: 'system',
      });
    } finally {
      await running.close();
    }
    expect((await instance.run(['audit', 'verify'])).code).toBe(0);
  });

  it('takes effect at once in the process that shreds, whose cached key is forgotten', async () => {
    const running = await instance.start();
    try {
      const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
      expect((await admin.get(`/api/v1/assessments/${other.assessmentId}`)).status).toBe(200); // key now cached
      const r = await shredOrganisation(running.kalaja.context, running.kalaja.stores, systemActor('test'), {
        organisationId: other.organisationId,
        confirmName: other.name,
      });
      expect(r.name).toBe(other.name);
      const res = await admin.get(`/api/v1/assessments/${other.assessmentId}`);
      expect([res.status, res.json.error.code]).toEqual([410, 'gone']);
    } finally {
      await running.close();
    }
  });
  // Files on disk are SQLite's; PostgreSQL's storage is outside the test's reach.
  if (kind === 'sqlite')
    it('leaves no copy of the key in the database file or its write-ahead log, while a server keeps it open', async () => {
      const running = await instance.start();
      try {
        // An organisation created by the running server: its key's page is in the write-ahead log.
        const added = await running.kalaja.services.programmes.addOrganisation(
          systemActor('test'),
          seeded.programmeId,
          {
            name: 'Short-lived',
            kind: 'cso',
            sizeBand: '1-5',
            municipality: '',
            country: 'XK',
            focus: '',
            languages: [],
          },
        );
        const key = (await wrappedKey(instance, added.id))!;
        const { file } = loadConfig(instance.env).database as { file: string };
        expect(readFileSync(`${file}-wal`).includes(key)).toBe(true);
        const r = await instance.run(['organisations', 'shred', '--id', added.id, '--confirm', 'Short-lived']);
        expect(r.code).toBe(0);
        expect(r.stdout).not.toMatch(/write-ahead log/);
        for (const f of [file, `${file}-wal`].filter(existsSync))
          expect(readFileSync(f).includes(key), `${f} still holds the wrapped key`).toBe(false);
      } finally {
        await running.close();
      }
    });
});
