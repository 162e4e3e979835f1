import fc from 'fast-check';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalesced, sessionStore } from '../src/modules/sessions/session-store.js';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.js';

/** A turn of the event loop: reads asked for before it are read together. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('reads asked for together, read in one', () => {
  it('gives every caller the row of its own id, in as few reads as the bound allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'missing'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (asked, max) => {
          const reads: string[][] = [];
          const read = coalesced(async (ids: string[]) => {
            reads.push(ids);
            return ids.filter((id) => id !== 'missing').map((id) => ({ id, owner: `owner of ${id}` }));
          }, max);
          const rows = await Promise.all(asked.map((id) => read.read(id)));
          rows.forEach((row, i) =>
            expect(row).toEqual(asked[i] === 'missing' ? undefined : { id: asked[i], owner: `owner of ${asked[i]}` }),
          );
          const distinct = new Set(asked);
          expect(reads.length).toBe(Math.ceil(distinct.size / max));
          for (const ids of reads) expect(ids.length).toBeLessThanOrEqual(max);
          expect(reads.flat().sort()).toEqual([...distinct].sort());
        },
      ),
    );
  });

  it('fails every caller of a read that failed, and reads again afterwards', async () => {
    let fail = true;
    const read = coalesced(async (ids: string[]) => {
      if (fail) throw new Error('the database is restarting');
      return ids.map((id) => ({ id }));
    }, 10);
    const outcomes = await Promise.allSettled(['x', 'y', 'x'].map((id) => read.read(id)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    fail = false;
    await turn();
    expect(await read.read('y')).toEqual({ id: 'y' });
  });
});

describe.each(DATABASES)('sessions resolved at once on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('resolves each request its own session and roles, on PostgreSQL in one query for those asked together', async () => {
    const db = t.database.db;
    const at = Date.now();
    const people = Array.from({ length: 12 }, (_, i) => ({ user: `u-${i}`, session: `s-${i}-`.padEnd(64, '0') }));
    await db
      .insertInto('users')
      .values(
        people.map((p, i) => ({
          id: p.user,
          email: `${p.user}@example.org`,
          display_name: p.user,
          password_hash: 'x',
          is_instance_admin: 0,
          created_at: at,
          disabled_at: i === 3 ? at : null,
        })),
      )
      .execute();
    await db
      .insertInto('sessions')
      .values(
        people.map((p) => ({
          id: p.session,
          user_id: p.user,
          created_at: at,
          last_seen_at: at,
          mfa_at: at,
          reauth_at: at,
          user_agent: 'test',
          handle: `h-${p.user}`,
        })),
      )
      .execute();
    await db
      .insertInto('memberships')
      .values(
        people.map((p, i) => ({
          id: `m-${i}`,
          user_id: p.user,
          role: i % 2 ? 'observer' : 'trainer',
          organisation_id: null,
          programme_id: null,
          created_at: at,
        })),
      )
      .execute();

    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => (queries++, args.node),
      transformResult: async (args) => args.result,
    };
    const store = sessionStore(db.withPlugin(counting), kind);
    const asked = [...people.map((p) => p.session), 'no-such-session'.padEnd(64, '0'), people[5]!.session];
    const resolved = await Promise.all(asked.map((id) => store.resolve(id)));

    people.forEach((p, i) => {
      const r = resolved[i]!;
      expect(r.id).toBe(p.session);
      expect(r.user_id).toBe(p.user);
      expect(r.disabled_at).toBe(i === 3 ? at : null);
      expect(r.roles.memberships).toEqual([
        { role: i % 2 ? 'observer' : 'trainer', programme_id: null, organisation_id: null },
      ]);
      expect(r.roles.assignments).toEqual([]);
    });
    expect(resolved[12]).toBeUndefined();
    expect(resolved[13]).toEqual(resolved[5]);
    // SQLite answers in-process, one query each; PostgreSQL: one round trip for all of them.
    expect(queries).toBe(kind === 'postgres' ? 1 : asked.length);
  });
});
