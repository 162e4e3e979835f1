import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFramework, loadFramework, textFor, type Framework } from '../src/index.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** CSF 2.0 subcategories: the subcategory controls of the OSCAL catalog that carry examples. */
function csf2Subcategories(): Set<string> {
  const xml = read('content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
  const ids = new Set<string>();
  for (const m of xml.matchAll(/<control id="([^"]+)" class="subcategory">([\s\S]*?)<\/control>/g)) {
    if (m[2]!.includes('name="example"')) ids.add(m[1]!);
  }
  return ids;
}

function loadShipped(file: string): Framework {
  const r = loadFramework(read(`content/frameworks/${file}`), { file });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.value;
}

const DOMAINS = [
  'governance',
  'access',
  'devices',
  'updates',
  'data',
  'backup',
  'network',
  'awareness',
  'incident',
  'disinfo',
  'physical',
];

describe('the shipped frameworks', () => {
  const files = readdirSync(new URL('content/frameworks/', root)).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('finds the 106 current CSF 2.0 subcategories in the reference catalog', () => {
    const ids = csf2Subcategories();
    expect(ids.size).toBe(106);
    expect(ids.has('PR.AA-03')).toBe(true);
    expect(ids.has('ID.BE-01')).toBe(false);
  });

  it.each(files)('%s loads without problems and cites only current CSF 2.0 subcategories', (file) => {
    const fw = loadShipped(file);
    const valid = csf2Subcategories();
    const wrong = fw.domains.flatMap((d) =>
      d.questions.flatMap((q) =>
        (q.refs['nist-csf-2'] ?? []).filter((id) => !valid.has(id)).map((id) => `${q.id}: ${id}`),
      ),
    );
    expect(wrong).toEqual([]);
    const cis = fw.domains.flatMap((d) => d.questions.flatMap((q) => q.refs['cis-v8'] ?? []));
    expect(cis.filter((id) => !/^([1-9]|1[0-8])\.\d{1,2}$/.test(id))).toEqual([]);
  });
});

describe('the cso-media framework', () => {
  const fw = loadShipped('cso-media.yaml');
  const questions = fw.domains.flatMap((d) => d.questions);

  it('covers the eleven domains of the programme', () => {
    expect(fw.domains.map((d) => d.id)).toEqual(DOMAINS);
    expect(fw.scale).toBe(10);
  });

  it('asks 6 to 8 questions a domain, each with guidance and 3 to 5 ordered options from 0 to 1', () => {
    for (const d of fw.domains) expect(d.questions.length, d.id).toBeGreaterThanOrEqual(6);
    for (const d of fw.domains) expect(d.questions.length, d.id).toBeLessThanOrEqual(8);
    for (const q of questions) {
      expect(textFor(q.guidance ?? '').length, q.id).toBeGreaterThan(80);
      expect(q.options.length, q.id).toBeGreaterThanOrEqual(3);
      expect(q.options.length, q.id).toBeLessThanOrEqual(5);
      const known = q.options.filter((o) => !o.unknown).map((o) => o.score);
      expect(known, q.id).toEqual([...known].sort((a, b) => a - b));
      expect(Math.min(...known), q.id).toBe(0);
      expect(Math.max(...known), q.id).toBe(1);
      expect(q.id.startsWith(`${fw.domains.find((d) => d.questions.includes(q))!.id}.`), q.id).toBe(true);
    }
  });

  it('offers "Don\u2019t know" scoring 0 where staff may not know, and N/A only on a minority of questions', () => {
    const unknown = questions.filter((q) => q.options.some((o) => o.unknown));
    expect(unknown.length).toBeGreaterThan(10);
    for (const q of unknown) expect(q.options.filter((o) => o.unknown).map((o) => o.score)).toEqual([0]);
    const na = questions.filter((q) => q.na);
    expect(na.length).toBeGreaterThan(0);
    expect(na.length).toBeLessThan(questions.length / 4);
  });

  it('caps the few controls a domain cannot be sound without, email MFA and an offline backup among them', () => {
    const capped = questions.filter((q) => q.cap !== undefined);
    expect(capped.length).toBeGreaterThanOrEqual(3);
    expect(capped.length).toBeLessThanOrEqual(fw.domains.length);
    expect(capped.map((q) => q.id)).toEqual(expect.arrayContaining(['access.mfa-email', 'backup.offline-copy']));
    for (const q of capped)
      expect(
        q.options.some((o) => o.score === 0),
        q.id,
      ).toBe(true);
  });

  it('links every question to CSF 2.0 and to at least one intervention', () => {
    for (const q of questions) {
      expect(q.refs['nist-csf-2']?.length, q.id).toBeGreaterThan(0);
      expect(q.interventions.length, q.id).toBeGreaterThan(0);
    }
    expect(indexFramework(fw).questionCount).toBe(questions.length);
  });
});
