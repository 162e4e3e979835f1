import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePgTool } from '../src/ops/postgres.js';
import { DATABASES } from './support/databases.js';
import {
  CANARIES,
  contentHashes,
  newKey,
  opsInstance,
  readBack,
  seed,
  tablesWithRows,
  type Client,
  type OpsInstance,
  type Seeded,
} from './support/ops.js';

/** Removes everything the instance holds: the data directory's contents, and the PostgreSQL schema. */
async function wipe(instance: OpsInstance): Promise<void> {
  for (const entry of readdirSync(instance.dataDir)) rmSync(join(instance.dataDir, entry), { recursive: true });
  if (instance.test) {
    await sql`drop schema public cascade`.execute(instance.test.database.db);
    await sql`create schema public`.execute(instance.test.database.db);
  }
}

const pgDumpWorks = (() => {
  try {
    requirePgTool('pg_dump');
    requirePgTool('pg_restore');
    return true;
  } catch {
    return false;
  }
})();

describe.each(DATABASES.filter((kind) => kind === 'sqlite' || pgDumpWorks))(
  'kalaja backup and restore on %s',
  (kind) => {
    let instance: OpsInstance;
    let seeded: Seeded;
    let original: Record<string, string>;
    const out = mkdtempSync(join(tmpdir(), 'kalaja-backups-'));
    const backupFile = join(out, 'kalaja.backup');

    beforeAll(async () => {
      instance = await opsInstance(kind);
      const running = await instance.start();
      seeded = await seed(running);
      // Online: the server keeps running while the backup is made.
      const r = await instance.run(['backup', '--out', backupFile]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `^Backed up the ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database \\(.*\\) and 1 evidence file to ${backupFile}: .*, encrypted, in [0-9.]+ m?s\\.\\n$`,
        ),
      );
      await running.close();
      original = await contentHashes(instance);
    });

    afterAll(async () => {
      await instance?.destroy();
      rmSync(out, { recursive: true, force: true });
    });

    it('restores a wiped instance to the same content: every table and every evidence file', async () => {
      expect(Object.keys(original).filter((k) => k.startsWith('evidence:'))).toHaveLength(1);
      expect(original['table:answers']).toMatch(/^16\d\d:/); // the demo cohort and ours
      await wipe(instance);
      expect(readdirSync(instance.dataDir)).toEqual([]);

      const r = await instance.run(['restore', '--from', backupFile]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Restored the .* database and 1 evidence file from the backup made at \d{4}-.*Z, in/);
      // Everything as it was, but the sessions: a restore ends every one of them.
      const { 'table:sessions': sessions, ...restored } = await contentHashes(instance);
      const { 'table:sessions': sessionsBefore, ...rest } = original;
      expect(restored).toEqual(rest);
      expect(sessionsBefore).toMatch(/^[1-9]\d*:/);
      expect(sessions).toMatch(/^0:/);
      expect(r.stdout).toContain(`Ended every session the backup held (${sessionsBefore!.split(':')[0]} session`);

      const running = await instance.start();
      try {
        const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
        expect(await readBack(admin, seeded)).toEqual({
          own: CANARIES.own,
          validated: CANARIES.validated,
          interview: CANARIES.interview,
          evidenceName: `${CANARIES.evidenceName}.txt`,
          evidence: `Router password policy: ${CANARIES.evidence}\n`,
        });
      } finally {
        await running.close();
      }
      expect((await instance.run(['audit', 'verify'])).code).toBe(0);
    });

    it('holds nothing in clear: no planted note, name, address or database header', () => {
      const bytes = readFileSync(backupFile);
      expect(bytes.subarray(0, 8).toString()).toBe('KALAJABK');
      for (const text of [
        ...Object.values(CANARIES),
        seeded.organisationName,
        'Kumbona',
        seeded.adminEmail,
        'SQLite format 3',
        'PGDMP',
        'organisation_keys',
        'manifest.json',
      ])
        expect(bytes.includes(Buffer.from(text)), text).toBe(false);
    });

    it('cannot be restored with another key-encryption key, and then changes nothing', async () => {
      const other = await opsInstance(kind);
      try {
        const r = await other.run(['restore', '--from', backupFile], { KALAJA_KEY: newKey() });
        expect(r).toMatchObject({
          code: 1,
          stderr: expect.stringMatching(/this backup was made with another key-encryption key/),
        });
        // Nothing was written: no file in the data directory, no row in the database (on
        // PostgreSQL a fresh, migrated and empty one; on SQLite no database file at all).
        expect(readdirSync(other.dataDir)).toEqual([]);
        expect(await tablesWithRows(other)).toEqual([]);
      } finally {
        await other.destroy();
      }
    });

    it('refuses a backup cut short anywhere, altered, or extended, and leaves the instance as it was', async () => {
      const before = await contentHashes(instance);
      const bytes = readFileSync(backupFile);
      const damaged = join(out, 'damaged.backup');
      const attempt = async (content: Buffer) => {
        rmSync(damaged, { force: true });
        writeFileSync(damaged, content);
        return instance.run(['restore', '--from', damaged, '--force']);
      };
      // The final record is the last 5 + 29 + its JSON; cutting there leaves whole chunks only.
      const lastRecord = bytes.lastIndexOf(Buffer.from([2, 0, 0, 0]));
      for (const [what, cut] of [
        ['in the header', 20],
        ['in the first chunk', 200],
        ['at the end of the last data chunk', lastRecord],
        ['one byte short', bytes.length - 1],
      ] as const) {
        const r = await attempt(bytes.subarray(0, cut));
        expect([what, r.code]).toEqual([what, 1]);
        expect(r.stderr).toMatch(/truncated/);
      }
      const flipped = Buffer.from(bytes);
      flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
      expect((await attempt(flipped)).stderr).toMatch(/damaged or altered at chunk 0/);
      expect((await attempt(Buffer.concat([bytes, Buffer.from('x')]))).stderr).toMatch(/data after its end/);
      expect((await attempt(Buffer.alloc(0))).stderr).toMatch(/empty: not a Kalaja backup/);
      expect((await attempt(Buffer.from('SQLite format 3\0'))).stderr).toMatch(/not a Kalaja backup/);
      expect(await contentHashes(instance)).toEqual(before);
      expect(readdirSync(instance.dataDir).filter((n) => n.startsWith('.'))).toEqual([]);
    });

    it('replaces an instance that holds data only with --force, and keeps shredded organisations shredded', async () => {
      const refused = await instance.run(['restore', '--from', backupFile]);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/add --force/) });

      const shred = await instance.run([
        'organisations',
        'shred',
        '--id',
        seeded.organisationId,
        '--confirm',
        seeded.organisationName,
      ]);
      expect(shred.code).toBe(0);
      // The backup was made before the shred, and still holds the key…
      const r = await instance.run(['restore', '--from', backupFile, '--force']);
      expect(r.code).toBe(0);
      // …but restoring it over this instance shreds the organisation again.
      expect(r.stdout).toContain(`Shredded again, as in the instance replaced: ${seeded.organisationName}.`);
      const running = await instance.start();
      try {
        const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
        const res = await admin.get(`/api/v1/assessments/${seeded.assessmentId}`);
        expect([res.status, res.json.error.code]).toEqual([410, 'gone']);
      } finally {
        await running.close();
      }
      expect((await instance.run(['audit', 'verify'])).code).toBe(0);
    });

    it('ends every session, so one ended after the backup (and its passkey challenge) does not come back', async () => {
      const later = join(out, 'with-session.backup');
      // Passkeys need a host name (not the default 127.0.0.1).
      const running = await instance.start({ KALAJA_PUBLIC_URL: 'http://localhost:3000' });
      let cookie: string;
      try {
        const admin = (await running.signIn(seeded.adminEmail, seeded.totpSecret)) as Client & { cookie?: string };
        // A passkey ceremony under way: its challenge is kept on the session row.
        expect((await admin.request('POST', '/api/v1/passkeys/options')).status).toBe(200);
        cookie = admin.cookie!;
        expect((await instance.run(['backup', '--out', later])).code).toBe(0);
        // Signed out after the backup was made (or a password changed, an account disabled…).
        expect((await admin.request('DELETE', '/api/v1/session')).status).toBe(204);
      } finally {
        await running.close();
      }
      const r = await instance.run(['restore', '--from', later, '--force']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const again = await instance.start();
      try {
        const me = await again.kalaja.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
        expect([me.statusCode, me.json().error.code]).toEqual([401, 'unauthenticated']);
        // Signing in again works as ever.
        const admin = await again.signIn(seeded.adminEmail, seeded.totpSecret);
        expect((await admin.get('/api/v1/me')).status).toBe(200);
      } finally {
        await again.close();
      }
      expect(r.stdout).toMatch(/Ended every session the backup held \(\d+ sessions?\): everyone signs in again\./);
    });

    it('never replaces an existing file, and is strict about its arguments', async () => {
      expect(await instance.run(['backup', '--out', backupFile])).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/already exists; a backup never replaces a file/),
      });
      expect(await instance.run(['backup', '--out', join(out, 'no-such-folder', 'b')])).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/does not exist/),
      });
      expect(await instance.run(['restore', '--from', join(out, 'missing')])).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/no such backup file/),
      });
      expect((await instance.run(['backup'])).code).toBe(2);
      expect((await instance.run(['restore'])).code).toBe(2);
      expect((await instance.run(['backup', '--out', 'x', '--force'])).code).toBe(2);
      expect(existsSync(join(out, 'x'))).toBe(false);
    });
  },
);

describe('the PostgreSQL tools', () => {
  it('are named with what to install when missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => requirePgTool('pg_dump')).toThrow(/pg_dump was not found: install the PostgreSQL client tools/);
    } finally {
      process.env.PATH = path;
    }
  });
});
