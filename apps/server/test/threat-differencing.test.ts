import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvLine, parseAnswersCsv, parseCsv, type AnswerRecord } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/modules/access/access-types.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

/**
 * The observers' threat landscape between publications (contracts §10, "Differencing between
 * publications"). Each frozen landscape is k-anonymous on its own; the attack this closes is
 * setting two side by side: malware 5 → 6 incidents over the same five organisations says one
 * of them logged another. The count that changed is withheld with reason `differencing`.
 */

const repo = new URL('../../../', import.meta.url).pathname;
const organisations = parseCsv(readFileSync(join(repo, 'content/samples/organisations.csv'), 'utf8'), 'o.csv')
  .records.slice(1)
  .map(({ fields: [name, kind, sizeBand, municipality, country, focus, languages] }) => ({
    ...{ name: name!, kind, sizeBand, municipality, country, focus },
    languages: languages!.split(';'),
  }));
const baseline = parseAnswersCsv(
  readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'),
  'a.csv',
).records.filter((r) => r.round === 'baseline');
const csvOf = (rs: AnswerRecord[]) =>
  [
    'organisation,round,question,answer,note',
    ...rs.map((r) => csvLine([r.organisation, r.round, r.question, r.answer, r.note ?? ''])),
  ].join('\n');

type Row = { id: string; incidents: number | null; organisations: number | null; withheld: boolean };

describe.each(DATABASES)('the threat landscape between publications on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let observer: Client;
  let programmeId: string;
  let roundId: string;
  const ids = new Map<string, string>();
  const names = organisations.map((o) => o.name);

  const importBaseline = async (some: string[]) => {
    const r = await admin.post(`/api/v1/programmes/${programmeId}/rounds/${roundId}/answers`, {
      csv: csvOf(baseline.filter((x) => some.includes(x.organisation))),
    });
    expect(r.status, r.body).toBe(200);
    // The organisations submit (a fixture shortcut for each one's POST /submit).
    await h.kalaja.database.db
      .updateTable('assessments')
      .set({ status: 'submitted', submitted_at: h.clock.now })
      .where('round_id', '=', roundId)
      .where(
        'organisation_id',
        'in',
        some.map((n) => ids.get(n)!),
      )
      .execute();
  };
  const day = (daysAgo: number) => new Date(h.clock.now - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const log = (name: string, category: string, daysAgo = 20) =>
    h.kalaja.services.incidents.create(systemActor('test'), programmeId, ids.get(name)!, {
      occurredOn: day(daysAgo),
      category,
      actor: 'criminal',
      targeting: 'targeted',
      certainty: 'confirmed',
      description: 'A fake login page',
      endedOn: null,
      effectsPeople: [],
      effectsWork: [],
      actions: '',
      responses: [],
    });
  const publish = async () => {
    h.clock.now += 60_000;
    const r = await admin.post(`/api/v1/programmes/${programmeId}/publications`, { round: 'baseline' });
    expect(r.status, r.body).toBe(201);
  };
  const seen = async () => {
    const r = await observer.get(`/api/v1/programmes/${programmeId}/threats`);
    expect(r.status, r.body).toBe(200);
    return r.json as {
      categories: Row[];
      incidents: number | null;
      withheldCells: { cell: string; reason: string; differing?: number }[];
    };
  };
  const category = (l: { categories: Row[] }, id: string) => l.categories.find((c) => c.id === id)!;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'Resilient newsrooms',
        frameworkId,
        rounds: [{ name: 'baseline' }],
      })
    ).json;
    programmeId = p.id;
    roundId = p.rounds[0].id;
    for (const o of organisations) {
      const r = await admin.post(`/api/v1/programmes/${programmeId}/organisations`, o);
      expect(r.status, r.body).toBe(201);
      ids.set(o.name, r.json.id);
    }
    observer = await h.join(admin, { email: 'funder@x.test', role: 'observer', programmeId });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('withholds the count one organisation changed since the last landscape, and keeps one that did not change', async () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
    // Six organisations phished, five hit by DDoS, five by malware.
    for (const n of names.slice(0, 6)) await log(n, 'phishing');
    for (const n of names.slice(0, 5)) await log(n, 'ddos');
    for (const n of names.slice(5, 10)) await log(n, 'malware');
    await importBaseline(names.slice(0, 5));
    await publish();
    const first = await seen();
    expect(category(first, 'malware')).toMatchObject({ incidents: 5, organisations: 5, withheld: false });
    expect(category(first, 'phishing')).toMatchObject({ incidents: 6, withheld: false });
    expect(first.withheldCells).toEqual([]);

    // One organisation logs one more malware incident; five others submit, so the results allow a version.
    await log(names[7]!, 'malware', 3);
    await importBaseline(names.slice(5, 10));
    await publish();
    const second = await seen();
    expect(category(second, 'malware')).toMatchObject({ incidents: null, organisations: null, withheld: true });
    expect(second.withheldCells).toContainEqual({ cell: 'categories:malware', reason: 'differencing', differing: 1 });
    // DDoS, the next smallest, goes with it (malware alone would be the rest's remainder); phishing stays.
    expect(category(second, 'ddos')).toMatchObject({ withheld: true });
    expect(category(second, 'phishing')).toMatchObject({ incidents: 6, organisations: 6, withheld: false });
    // The total moved by that one incident too.
    expect(second.incidents).toBeNull();
    expect(second.withheldCells).toContainEqual({ cell: 'totals', reason: 'differencing', differing: 1 });
    // Observers get the counts, never the sets they were decided with.
    expect(JSON.stringify(second)).not.toMatch(/contributors|landscape:category/);
  });

  it('stores the sets with the landscape, naming no organisation in clear', async () => {
    const rows = await h.kalaja.database.db
      .selectFrom('threat_publications')
      .select(['sets', 'landscape'])
      .where('programme_id', '=', programmeId)
      .execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.sets).not.toBeNull();
      const sets = JSON.parse(r.sets!) as { variable: string; contributors: Record<string, string> }[];
      expect(sets.map((s) => s.variable)).toContain('landscape:category:phishing');
      for (const [id, name] of [...ids].map(([n, i]) => [i, n] as const)) {
        expect(r.sets).not.toContain(id);
        expect(r.sets).not.toContain(name);
        expect(r.landscape).not.toContain(id);
      }
      // The contributors are keyed pseudonyms, their contributions keyed fingerprints: no count in clear.
      for (const s of sets)
        for (const [who, fp] of Object.entries(s.contributors)) {
          expect(who).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect(fp).toMatch(/^[A-Za-z0-9_-]{22}$/);
        }
    }
  });
});
