import { readFileSync } from 'node:fs';
import { loadFramework } from '@kalaja/engine';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { DEFAULT_FRAMEWORK } from '../../src/server.js';
import { startHarness, type Client, type Harness } from './kalaja.js';

/** The default framework's questions, each with its first option. */
export const QUESTIONS = (() => {
  const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'f' });
  if (!fw.ok) throw new Error('framework');
  return fw.value.domains.flatMap((d) => d.questions.map((q) => ({ id: q.id, option: q.options[0]!.id })));
})();

export interface Writer {
  member: Client;
  assessment: string;
}

/**
 * A server with a programme, for the tests of saves in batches (group commit): organisations
 * whose admins save, the server's batcher, and ways to read what was stored.
 */
export function savingInBatches(kind: Config['database']['kind']) {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  let orgs = 0;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programmeId = (await admin.post('/api/v1/programmes', { name: 'P', frameworkId, rounds: [{ name: 'baseline' }] }))
      .json.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A new organisation with its admin signed in, and its draft assessment. */
  async function organisation(): Promise<Writer> {
    const n = ++orgs;
    const org = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name: `Newsroom ${n}`,
        kind: 'media',
        sizeBand: '1-5',
        country: 'XK',
      })
    ).json.id;
    const member = await h.join(admin, { email: `m${n}@x.test`, role: 'org_admin', programmeId, organisationId: org });
    const assessment = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json.find(
      (r: { organisationId: string }) => r.organisationId === org,
    ).assessmentId;
    return { member, assessment };
  }

  const batcher = () => h.kalaja.context.batcher!;
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(what()).toBe(true);
  };

  return {
    harness: () => h,
    admin: () => admin,
    programmeId: () => programmeId,
    batcher,
    until,
    organisation,
    /** New organisations, one after the other (signing in moves the shared clock). */
    async organisations(n: number): Promise<Writer[]> {
      const list = [];
      for (let i = 0; i < n; i++) list.push(await organisation());
      return list;
    },

    /**
     * Keeps every batch slot busy until `release` is called, so that the saves started
     * meanwhile all wait and then run in one batch. PostgreSQL only: on SQLite a batch holds
     * the one connection, and the saves could not even read their session meanwhile (the
     * batcher's own tests cover a failure inside a SQLite batch).
     */
    async holdBatches() {
      const b = batcher();
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const blockers: Promise<unknown>[] = [];
      for (let i = 0; i < b.concurrency; i++) {
        blockers.push(b.run(() => gate, { group: true }));
        await until(() => b.running === i + 1);
      }
      return async () => {
        open();
        await Promise.all(blockers);
      };
    },

    /** The notes of an assessment's own answers, by question. */
    async answersOf(c: Client, id: string) {
      const answers = (await c.get(`/api/v1/assessments/${id}`)).json.answers as {
        question: string;
        own: { note: string } | null;
      }[];
      return new Map(answers.filter((a) => a.own).map((a) => [a.question, a.own!.note]));
    },

    /** How many audit rows record this action. */
    async auditRows(action: string) {
      const row = await h.kalaja.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
