import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { AUDIT_GENESIS, auditHash, verifyAuditChain, type AuditChainRow } from '../src/modules/audit/audit-chain.js';
import { DATABASES } from './support/databases.js';
import { opsInstance, seed, type OpsInstance } from './support/ops.js';

/** A valid chain of `n` rows, as appendAudit would write them. */
function chain(n: number): AuditChainRow[] {
  const rows: AuditChainRow[] = [];
  let prev = AUDIT_GENESIS;
  for (let i = 1; i <= n; i++) {
    const content = {
      at: 1_700_000_000_000 + i,
      actor_id: `user-${i % 3}`,
      actor_role: 'programme_manager',
      organisation_id: i % 2 ? 'org-a' : null,
      action: `action.${i}`,
      object_type: 'assessment',
      object_id: `obj-${i}`,
      request_id: `req-${i}`,
    };
    const hash = auditHash(prev, content);
    rows.push({ seq: i * 2, ...content, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('the audit chain verifier', () => {
  it('finds nothing wrong in an intact chain, whatever gaps its sequence numbers have', () => {
    const r = verifyAuditChain(chain(10));
    expect(r).toMatchObject({ rows: 10, problems: [], head: { seq: 20 } });
    expect(verifyAuditChain([])).toEqual({ rows: 0, problems: [], head: null });
  });

  it('names an edited row, and only that row, when its hash was left as it was', () => {
    const rows = chain(6);
    rows[2] = { ...rows[2]!, action: 'assessment.delete' };
    expect(verifyAuditChain(rows).problems).toEqual([
      { seq: 6, kind: 'edited', message: expect.stringMatching(/edited/) },
    ]);
  });

  it('names the row after a removed one, also when the first row is removed', () => {
    const rows = chain(6);
    expect(verifyAuditChain(rows.filter((_, i) => i !== 3)).problems).toEqual([
      { seq: 10, kind: 'removed', message: expect.stringMatching(/between seq 6 and it/) },
    ]);
    expect(verifyAuditChain(rows.slice(1)).problems).toEqual([
      { seq: 4, kind: 'removed', message: expect.any(String) },
    ]);
  });

  it('shows an edit whose hash was recomputed at the next row, which no longer chains to it', () => {
    const rows = chain(5);
    const edited = { ...rows[1]!, action: 'forged' };
    rows[1] = { ...edited, hash: auditHash(edited.prev_hash, edited) };
    expect(verifyAuditChain(rows).problems.map((p) => [p.seq, p.kind])).toEqual([[6, 'removed']]);
  });

  it('names swapped rows as out of order, not as edited', () => {
    const rows = chain(6);
    const [a, b] = [rows[2]!, rows[3]!];
    rows[2] = { ...b, seq: a.seq };
    rows[3] = { ...a, seq: b.seq };
    const problems = verifyAuditChain(rows).problems;
    expect(problems.every((p) => p.kind === 'reordered')).toBe(true);
    expect(problems.map((p) => p.seq)).toEqual([6, 8, 10]);
    expect(problems[0]!.message).toMatch(/chains to the row at seq 8, but it follows seq 4/);
  });

  it('finds rows removed from the end only against a recorded head', () => {
    const rows = chain(6);
    const head = rows[5]!.hash;
    expect(verifyAuditChain(rows.slice(0, 4)).problems).toEqual([]);
    expect(verifyAuditChain(rows.slice(0, 4), { expectHead: head }).problems).toEqual([
      { seq: 8, kind: 'head_missing', message: expect.stringMatching(/removed from its end/) },
    ]);
    expect(verifyAuditChain(rows, { expectHead: head }).problems).toEqual([]);
  });

  it('refuses rows out of seq order rather than misreading them', () => {
    const rows = chain(3);
    expect(() => verifyAuditChain([rows[1]!, rows[0]!])).toThrow(/ascending seq order/);
  });
});

describe.each(DATABASES)('kalaja audit verify on %s', (kind) => {
  let instance: OpsInstance;
  let database: Database;
  let seqs: number[];

  beforeAll(async () => {
    instance = await opsInstance(kind);
    const running = await instance.start();
    await seed(running);
    await running.close();
    database = openDatabase(loadConfig(instance.env).database);
    seqs = (await database.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
  });

  afterAll(async () => {
    await database?.close();
    await instance?.destroy();
  });

  /** Runs `change` on the audit log, verifies, and puts the log back as it was. */
  async function tampered(change: (db: Database['db']) => Promise<void>, argv = ['audit', 'verify']) {
    const saved = await database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    await change(database.db);
    try {
      return await instance.run(argv);
    } finally {
      await database.db.deleteFrom('audit_log').execute();
      for (const row of saved) await database.db.insertInto('audit_log').values(row).execute();
    }
  }

  it('finds the chain written by real actions intact', async () => {
    expect(seqs.length).toBeGreaterThan(20);
    const r = await instance.run(['audit', 'verify']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(
      new RegExp(`^audit chain intact: ${seqs.length} rows\\nhead: seq ${seqs.at(-1)}, hash [0-9a-f]{64}\\n$`),
    );
    const head = /hash ([0-9a-f]{64})/.exec(r.stdout)![1]!;
    expect((await instance.run(['audit', 'verify', '--head', head])).code).toBe(0);
  });

  it('finds a row whose action was edited', async () => {
    const target = seqs[5]!;
    const r = await tampered((db) =>
      db
        .updateTable('audit_log')
        .set({ action: 'nothing.happened' })
        .where('seq', '=', target)
        .execute()
        .then(() => undefined),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `seq ${target}: edited: its content does not match its hash\nkalaja audit: audit chain broken: 1 problem in 1 row of ${seqs.length}\n`,
    );
  });

  it('finds a deleted row in the middle', async () => {
    const target = seqs[7]!;
    const r = await tampered((db) =>
      db
        .deleteFrom('audit_log')
        .where('seq', '=', target)
        .execute()
        .then(() => undefined),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^seq ${seqs[8]}: removed rows between seq ${seqs[6]} and it`));
  });

  it('finds two swapped rows', async () => {
    const [a, b] = [seqs[3]!, seqs[4]!];
    const r = await tampered(async (db) => {
      await db.updateTable('audit_log').set({ seq: -1 }).where('seq', '=', a).execute();
      await db.updateTable('audit_log').set({ seq: a }).where('seq', '=', b).execute();
      await db.updateTable('audit_log').set({ seq: b }).where('seq', '=', -1).execute();
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^seq ${a}: reordered: it chains to the row at seq ${b}`, 'm'));
    expect(r.stderr).not.toMatch(/edited|removed/);
  });

  it('finds rows cut from the end against the head recorded before', async () => {
    const before = await instance.run(['audit', 'verify']);
    const head = /hash ([0-9a-f]{64})/.exec(before.stdout)![1]!;
    const last = seqs.at(-1)!;
    const cutOff = (db: Database['db']) =>
      db
        .deleteFrom('audit_log')
        .where('seq', '=', last)
        .execute()
        .then(() => undefined);
    // The chain alone cannot show it…
    expect((await tampered(cutOff)).code).toBe(0);
    // …the recorded head does.
    const cut = await tampered(cutOff, ['audit', 'verify', '--head', head]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/removed from its end/);
  });

  it('is strict about its arguments', async () => {
    expect((await instance.run(['audit'])).code).toBe(2);
    expect((await instance.run(['audit', 'check'])).code).toBe(2);
    expect((await instance.run(['audit', 'verify', '--head', 'abc'])).code).toBe(2);
    expect((await instance.run(['audit', 'verify', '--bogus'])).code).toBe(2);
    expect(
      (await instance.run(['audit', 'verify'], { KALAJA_DATA_DIR: '/nonexistent/kalaja', DATABASE_URL: '' })).stderr,
    ).toMatch(/no Kalaja instance/);
  });
});
