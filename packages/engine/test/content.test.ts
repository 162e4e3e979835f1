import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCatalogue, loadCatalogue, loadFramework, type Framework } from '../src/index.js';

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

/** The 153 CIS Controls v8.0 safeguard ids (content/reference/cis-v8-safeguards.yaml). */
function cisSafeguards(): Set<string> {
  const doc = parse(read('content/reference/cis-v8-safeguards.yaml')) as { safeguards: Record<string, number> };
  return new Set(Object.keys(doc.safeguards));
}

function loadShipped(file: string): Framework {
  const r = loadFramework(read(`content/frameworks/${file}`), { file });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.value;
}

describe('the shipped frameworks', () => {
  const files = readdirSync(new URL('content/frameworks/', root)).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('finds the 106 current CSF 2.0 subcategories in the reference catalog', () => {
    const ids = csf2Subcategories();
    expect(ids.size).toBe(106);
    expect(ids.has('PR.AA-03')).toBe(true);
    expect(ids.has('ID.BE-01')).toBe(false);
  });

  it.each(files)(
    '%s loads without problems and cites only CIS v8.0 safeguards and current CSF 2.0 subcategories',
    (file) => {
      const fw = loadShipped(file);
      const valid = csf2Subcategories();
      const wrong = fw.domains.flatMap((d) =>
        d.questions.flatMap((q) =>
          (q.refs['nist-csf-2'] ?? []).filter((id) => !valid.has(id)).map((id) => `${q.id}: ${id}`),
        ),
      );
      expect(wrong).toEqual([]);
      const safeguards = cisSafeguards();
      const cis = fw.domains.flatMap((d) => d.questions.flatMap((q) => q.refs['cis-v8'] ?? []));
      expect(cis.filter((id) => !safeguards.has(id))).toEqual([]);
    },
  );
});

describe('the shipped interventions catalogue and handbook', () => {
  const fw = loadShipped('cso-media.yaml');
  const loaded = loadCatalogue(read('content/interventions/cso-media.yaml'), { file: 'cso-media.yaml' });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  const catalogue = loaded.value;
  const sections = readdirSync(new URL('content/handbook/en/', root))
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const text = read(`content/handbook/en/${f}`);
      const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
      if (!front) throw new Error(`${f}: no front matter`);
      const meta = parse(front[1]!) as { id: string; domains: string[]; interventions: string[] };
      return { file: f, text, ...meta };
    });
  const sectionIds = new Set(sections.map((s) => s.id));

  it('has an entry for every intervention the framework names, and none that no question names', () => {
    expect(checkCatalogue(fw, catalogue, 'cso-media.yaml')).toEqual([]);
    const named = new Set(fw.domains.flatMap((d) => d.questions.flatMap((q) => q.interventions)));
    expect(catalogue.interventions.filter((i) => !named.has(i.id)).map((i) => i.id)).toEqual([]);
  });

  it('points interventions only at handbook sections that exist', () => {
    const dead = catalogue.interventions.flatMap((i) =>
      i.handbook.filter((h) => !sectionIds.has(h)).map((h) => `${i.id} → ${h}`),
    );
    expect(dead).toEqual([]);
  });

  it('lists in each handbook section exactly the interventions that point at it', () => {
    for (const s of sections) {
      expect(s.file).toBe(`${s.id}.md`);
      const pointing = catalogue.interventions.filter((i) => i.handbook.includes(s.id)).map((i) => i.id);
      expect([...s.interventions].sort(), s.id).toEqual(pointing.sort());
      for (const d of s.domains)
        expect(
          fw.domains.map((x) => x.id),
          `${s.id} domain ${d}`,
        ).toContain(d);
    }
  });

  it('links from one section only to sections that exist', () => {
    for (const s of sections) {
      for (const m of s.text.matchAll(/\]\(handbook:([a-z0-9-]+)\)/g))
        expect(sectionIds, `${s.id} → ${m[1]}`).toContain(m[1]);
    }
  });
});
