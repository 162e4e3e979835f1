import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INDEX_NAME } from '../src/modules/demo/demo-openness.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

describe.each(DATABASES)('the demo openness index on %s', (kind) => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const me = (await admin.get('/api/v1/me')).json;
    await h.kalaja.services.demo.load([me.id]);
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  it('publishes ten fictional institutions over two waves, with the change since the first, on example domains only', async () => {
    const index = (await admin.get('/api/v1/programmes')).json.find(
      (p: { name: string }) => p.name === DEMO_INDEX_NAME,
    );
    expect(index).toBeDefined();
    const anon = h.client();
    const published = (await anon.get(`/api/v1/public/indexes/${index.id}`)).json;
    expect(published.waves.map((w: { name: string }) => w.name)).toEqual(['2026', '2025']);
    const wave = (await anon.get(`/api/v1/public/indexes/${index.id}/waves/${published.waves[0].id}`)).json;
    expect(wave.ranking).toHaveLength(10);
    expect(wave.ranking.every((r: { rank: number | null }) => r.rank !== null)).toBe(true);
    expect(wave.countries.map((c: { country: string }) => c.country)).toEqual(['AL', 'XK']);
    expect(wave.ranking.every((r: { change: unknown }) => r.change !== null)).toBe(true);
    const csv = (await anon.get(`/api/v1/public/indexes/${index.id}/waves/${published.waves[0].id}/indicators.csv`))
      .body;
    const urls = [...csv.matchAll(/https?:\/\/[^/,]+/g)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThan(600);
    expect(urls.every((u) => /^https:\/\/[a-z]+\.example$/.test(u))).toBe(true);
    // The demo's manager runs the index too.
    expect((await admin.get(`/api/v1/indexes/${index.id}/institutions`)).json).toHaveLength(10);
  });
});
