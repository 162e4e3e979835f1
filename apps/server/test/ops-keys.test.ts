import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { INSTANCE_SEALED_FIELDS } from '../src/crypto/rotate.js';
import { Vault } from '../src/crypto/vault.js';
import { openDatabase } from '../src/db/database.js';
import { DATABASES } from './support/databases.js';
import { CANARIES, newKey, opsInstance, readBack, seed, type OpsInstance, type Seeded } from './support/ops.js';

const noStore = { getWrappedKey: async () => undefined, putWrappedKey: async () => undefined };

async function keyCheck(instance: OpsInstance): Promise<string> {
  const database = openDatabase(loadConfig(instance.env).database);
  try {
    const row = await database.db
      .selectFrom('instance')
      .select('value')
      .where('key', '=', 'key_check')
      .executeTakeFirstOrThrow();
    return row.value;
  } finally {
    await database.close();
  }
}

describe.each(DATABASES)('kalaja keys rotate on %s', (kind) => {
  let instance: OpsInstance;
  let seeded: Seeded;
  let demoProgrammeId: string;

  beforeAll(async () => {
    instance = await opsInstance(kind);
    const running = await instance.start();
    seeded = await seed(running);
    demoProgrammeId = (
      await running.kalaja.database.db
        .selectFrom('programmes')
        .select('id')
        .where('id', '!=', seeded.programmeId)
        .where('name', 'like', 'Demo programme%')
        .executeTakeFirstOrThrow()
    ).id;
    await running.close();
  });

  afterAll(async () => {
    await instance?.destroy();
  });

  it('re-wraps every key under a new one; the server then reads everything with the new key and refuses the old', async () => {
    const oldKey = instance.env.KALAJA_KEY!;
    const file = join(instance.dataDir, 'new.key');
    const r = await instance.run(['keys', 'rotate', '--new-key-file', file, '--generate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 10 demo organisations, the demo index's 10 institutions and ours; the admin's TOTP secret, the demo's publication key and
    // the reporting team's key (the demo switches the channel on with one report).
    expect(r.stdout).toMatch(
      /^Re-wrapped 21 organisation keys and 3 instance secrets under the new key-encryption key/,
    );
    expect(r.stdout).toMatch(/set KALAJA_KEY to the contents of .*new\.key/);
    expect(r.stdout).toMatch(/Keep the old key, offline, until every backup made with it has\s+expired/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);

    const withNew = { KALAJA_KEY: '', KALAJA_KEY_FILE: file };
    const running = await instance.start(withNew);
    try {
      // Signing in proves the TOTP secret was re-sealed; reading back, that the data keys were.
      const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
      expect(await readBack(admin, seeded)).toEqual({
        own: CANARIES.own,
        validated: CANARIES.validated,
        interview: CANARIES.interview,
        evidenceName: `${CANARIES.evidenceName}.txt`,
        evidence: `Router password policy: ${CANARIES.evidence}\n`,
      });
      const results = await admin.get(`/api/v1/programmes/${demoProgrammeId}/results`);
      expect(results.status).toBe(200);
      expect(results.json.report.results.length).toBe(20);
      // The reporting team's key survived too: the demo's report still opens.
      const inbox = await admin.get('/api/v1/reporting/reports');
      expect(inbox.status).toBe(200);
      const [first] = inbox.json as { id: string }[];
      expect((await admin.get(`/api/v1/reporting/reports/${first!.id}`)).status).toBe(200);
    } finally {
      await running.close();
    }

    await expect(instance.start({ KALAJA_KEY: oldKey })).rejects.toThrow(/does not open this instance/);
    const old = await instance.run(['audit', 'verify']);
    expect(old.code).toBe(0); // needs no key
    const refused = await instance.run(['demo'], { KALAJA_KEY: oldKey });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/does not open this instance/) });

    // Run again with the same keys: nothing left to do.
    const again = await instance.run(['keys', 'rotate', '--new-key-file', file]);
    expect(again.code).toBe(0);
    // 21 data keys, the TOTP secret, the publications' key and the reporting team's key.
    expect(again.stdout).toMatch(/^Everything was already under the new key \(24 items\); the rotation is complete/);

    // A server still on the old key added an organisation meanwhile: a second run re-wraps it alone.
    const database = openDatabase(loadConfig(instance.env).database);
    try {
      await database.db
        .insertInto('organisations')
        .values({
          id: 'late-organisation-1',
          name: 'Late',
          kind: 'cso',
          size_band: '1-5',
          municipality: '',
          country: 'XK',
          focus: '',
          languages: '',
          created_at: Date.now(),
        })
        .execute();
      await database.db
        .insertInto('organisation_keys')
        .values({
          organisation_id: 'late-organisation-1',
          wrapped_key: new Vault(Buffer.from(oldKey, 'base64'), noStore).newWrappedKey('late-organisation-1'),
          created_at: Date.now(),
        })
        .execute();
    } finally {
      await database.close();
    }
    const finish = await instance.run(['keys', 'rotate', '--new-key-file', file]);
    expect(finish.stdout).toMatch(/^Re-wrapped 1 organisation key and 0 instance secrets .* \(24 already were\)/);
    instance.env.KALAJA_KEY = readFileSync(file, 'utf8').trim();
  });

  it('changes nothing when one key opens under neither key, and refuses a wrong current key', async () => {
    const before = await keyCheck(instance);
    const database = openDatabase(loadConfig(instance.env).database);
    let saved: Uint8Array;
    try {
      const row = await database.db
        .selectFrom('organisation_keys')
        .select('wrapped_key')
        .where('organisation_id', '=', seeded.organisationId)
        .executeTakeFirstOrThrow();
      saved = new Uint8Array(row.wrapped_key);
      const damaged = Buffer.from(saved);
      damaged[20] = damaged[20]! ^ 1;
      await database.db
        .updateTable('organisation_keys')
        .set({ wrapped_key: damaged })
        .where('organisation_id', '=', seeded.organisationId)
        .execute();
      const file = join(instance.dataDir, 'newer.key');
      const r = await instance.run(['keys', 'rotate', '--new-key-file', file, '--generate']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `the data key of organisation ${seeded.organisationId} opens under neither key; nothing was changed`,
        ),
      );
      expect(r.stderr).toMatch(/was not used; run again without --generate/);
      expect(await keyCheck(instance)).toBe(before);
      const keys = await database.db.selectFrom('organisation_keys').select('organisation_id').execute();
      // The seeded two, the demo programme's ten organisations and its openness index's ten institutions.
      expect(keys.length).toBe(22);
    } finally {
      await database.db
        .updateTable('organisation_keys')
        .set({ wrapped_key: saved! })
        .where('organisation_id', '=', seeded.organisationId)
        .execute();
      await database.close();
    }
    const wrong = await instance.run(
      ['keys', 'rotate', '--new-key-file', join(instance.dataDir, 'w.key'), '--generate'],
      {
        KALAJA_KEY: newKey(),
      },
    );
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/does not open this instance/) });
    expect(readdirSync(instance.dataDir)).not.toContain('w.key');
  });
});

describe('kalaja keys rotate refuses', () => {
  let instance: OpsInstance;

  beforeAll(async () => {
    instance = await opsInstance('sqlite');
    await (await instance.start()).close();
  });

  afterAll(async () => {
    await instance?.destroy();
  });

  it('to overwrite a key file, to rotate to the same key, and a key file others can read', async () => {
    const existing = join(instance.dataDir, 'existing.key');
    writeFileSync(existing, `${newKey()}\n`, { mode: 0o600 });
    const overwrite = await instance.run(['keys', 'rotate', '--new-key-file', existing, '--generate']);
    expect(overwrite).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already exists; a key file is never overwritten/),
    });

    const same = join(instance.dataDir, 'same.key');
    writeFileSync(same, `${instance.env.KALAJA_KEY}\n`, { mode: 0o600 });
    expect(await instance.run(['keys', 'rotate', '--new-key-file', same])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/the new key is the key already in use/),
    });

    chmodSync(existing, 0o644);
    expect(await instance.run(['keys', 'rotate', '--new-key-file', existing])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/readable by other users/),
    });
    expect(
      await instance.run(['keys', 'rotate', '--new-key-file', join(instance.dataDir, 'missing.key')]),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/does not exist/),
    });
  });

  it('wrong usage with exit code 2', async () => {
    expect((await instance.run(['keys', 'rotate'])).code).toBe(2);
    expect((await instance.run(['keys', '--new-key-file', 'x'])).code).toBe(2);
    expect((await instance.run(['keys', 'spin', '--new-key-file', 'x'])).code).toBe(2);
    expect((await instance.run(['keys', 'rotate', '--new-key-file', 'x', '--force'])).code).toBe(2);
  });
});

describe('the rotation', () => {
  it('keeps the setup token of an instance that has no account yet', async () => {
    const instance = await opsInstance('sqlite');
    try {
      const before = await instance.start();
      const token = before.kalaja.setupToken;
      await before.close();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const file = join(instance.dataDir, 'new.key');
      expect((await instance.run(['keys', 'rotate', '--new-key-file', file, '--generate'])).code).toBe(0);
      const after = await instance.start({ KALAJA_KEY: '', KALAJA_KEY_FILE: file });
      expect(after.kalaja.setupToken).toBe(token);
      await after.close();
    } finally {
      await instance.destroy();
    }
  });

  it('re-seals every field sealed under the instance key', () => {
    const src = new URL('../src/', import.meta.url).pathname;
    const fields = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(/sealInstance\(\s*'([^']+)'/g)) fields.add(m[1]!);
      }
    };
    walk(src);
    expect(fields.size).toBeGreaterThan(0);
    expect([...fields].sort()).toEqual([...INSTANCE_SEALED_FIELDS].sort());
  });
});

describe.each(DATABASES)('kalaja keys rotate beside a running server on %s', (kind) => {
  it('rotates while the server saves answers: no save fails, and after a restart with the new key all are there', async () => {
    const instance = await opsInstance(kind);
    try {
      const running = await instance.start();
      const seeded = await seed(running);
      const admin = await running.signIn(seeded.adminEmail, seeded.totpSecret);
      const file = join(instance.dataDir, 'online.key');
      // The command in its own process, as an operator runs it (the build from `tsc -b`).
      const bin = new URL('../../../bin/kalaja.js', import.meta.url).pathname;
      const child = spawn(process.execPath, [bin, 'keys', 'rotate', '--new-key-file', file, '--generate'], {
        env: { ...process.env, ...instance.env },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += String(d)));
      child.stderr.on('data', (d) => (output += String(d)));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let done = false;
      void exited.then(() => (done = true));
      const statuses: number[] = [];
      let last = '';
      for (let i = 0; !done || i < 5; i++) {
        last = `saved while rotating #${i}`;
        const r = await admin.request('PUT', `/api/v1/assessments/${seeded.assessmentId}/validated/access.mfa-email`, {
          answer: i % 2 ? 'some' : 'phishing-resistant',
          note: last,
        });
        statuses.push(r.status);
      }
      expect(await exited, output).toBe(0);
      expect(new Set(statuses)).toEqual(new Set([200]));
      // Still running on the old key: the organisation's key is in its memory.
      expect((await admin.get(`/api/v1/assessments/${seeded.assessmentId}`)).status).toBe(200);
      await running.close();

      const restarted = await instance.start({ KALAJA_KEY: '', KALAJA_KEY_FILE: file });
      try {
        const again = await restarted.signIn(seeded.adminEmail, seeded.totpSecret);
        expect((await readBack(again, seeded)).validated).toBe(last);
      } finally {
        await restarted.close();
      }
    } finally {
      await instance.destroy();
    }
  });
});
