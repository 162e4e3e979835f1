import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inTaxonomy, loadHandbook, loadIncidentTaxonomy } from '../src/index.js';
import { readdirSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);
const shipped = readFileSync(new URL('content/taxonomies/incidents.yaml', root), 'utf8');

describe('the incident taxonomy', () => {
  const r = loadIncidentTaxonomy(shipped, { file: 'incidents.yaml' });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const t = r.value;

  it('ships the categories the programme counts, each with its RSIT class and handbook sections that exist', () => {
    expect(t.categories.map((c) => c.id)).toEqual([
      'account-takeover',
      'phishing',
      'malware',
      'ddos',
      'defacement',
      'data-leak',
      'device-seizure',
      'doxxing',
      'harassment',
      'smear-campaign',
      'surveillance',
      'legal-threat',
      'physical-threat',
      'other',
    ]);
    const dir = new URL('content/handbook/en/', root);
    const handbook = loadHandbook(
      readdirSync(dir).map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') })),
      { lang: 'en' },
    );
    if (!handbook.ok) throw new Error('handbook');
    for (const c of t.categories)
      for (const h of c.handbook) expect(handbook.value.byId.has(h), `${c.id}: ${h}`).toBe(true);
    expect(inTaxonomy(t, 'actors', 'state')).toBe(true);
    expect(inTaxonomy(t, 'effects.work', 'data-loss')).toBe(true);
    expect(inTaxonomy(t, 'categories', 'weather')).toBe(false);
  });

  it('names every problem of a broken taxonomy at its line: unknown keys, a duplicate id, a bad class', () => {
    const broken = shipped
      .replace('  - id: phishing\n    rsit: fraud', '  - id: account-takeover\n    rsit: fraud')
      .replace('    rsit: availability', '    rsit: weather')
      .replace('actors:\n  - id: state', 'actors:\n  - id: state\n    colour: red');
    const b = loadIncidentTaxonomy(broken, { file: 'incidents.yaml' });
    expect(b.ok).toBe(false);
    if (b.ok) return;
    const messages = b.problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages.some((m) => /account-takeover/.test(m))).toBe(true);
    expect(messages.some((m) => /rsit must be one of/.test(m))).toBe(true);
    expect(messages.some((m) => /colour/.test(m))).toBe(true);
    expect(b.problems.every((p) => typeof p.line === 'number')).toBe(true);
  });
});
