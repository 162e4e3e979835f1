import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFramework, type Framework } from '../src/index.js';

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
