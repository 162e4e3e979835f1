import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  cleanText,
  formatProblem,
  importCisoAssistant,
  importOscal,
  importSamm,
  loadFramework,
  readAnswers,
  scoreAnswerSet,
  textFor,
  toId,
  type Framework,
  type ImportResult,
} from '@kalaja/engine';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const fixture = (name: string) => read(`packages/engine/test/fixtures/import/${name}`);

const CSF = read('content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
const ANSSI = fixture('anssi-guide-hygiene.yaml');
const SAMM = fixture('owasp-samm-2-model.yaml');

function ok(r: ImportResult) {
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r;
}

const questions = (fw: Framework) => fw.domains.flatMap((d) => d.questions);

/** An answers CSV for two organisations: one picks each question's options in turn, one the last. */
function answersFor(fw: Framework): { csv: string; picks: Map<string, Map<string, string>> } {
  const rows = ['organisation,round,question,answer'];
  const picks = new Map<string, Map<string, string>>([
    ['Rotating', new Map()],
    ['Best', new Map()],
  ]);
  questions(fw).forEach((q, i) => {
    const rotating = q.options[i % q.options.length]!.id;
    const best = q.options.at(-1)!.id;
    picks.get('Rotating')!.set(q.id, rotating);
    picks.get('Best')!.set(q.id, best);
    rows.push(`Rotating,baseline,${q.id},${rotating}`, `Best,baseline,${q.id},${best}`);
  });
  return { csv: `${rows.join('\n')}\n`, picks };
}

function scores(fw: Framework, csv: string) {
  const set = readAnswers(fw, csv, { file: 'answers.csv' });
  if (!set.ok) throw new Error(set.problems.map(formatProblem).join('\n'));
  return scoreAnswerSet(fw, set.value).results;
}

describe('importing the NIST CSF 2.0 OSCAL catalog', () => {
  const r = ok(importOscal(CSF, { file: 'NIST_CSF_v2.0_catalog.xml' }));

  it('gives the 22 categories as domains and the 106 current subcategories as questions', () => {
    expect(r.framework.domains).toHaveLength(22);
    expect(questions(r.framework)).toHaveLength(106);
    expect(r.report).toMatchObject({ format: 'oscal', domains: 22, questions: 106, language: 'en' });
    expect(r.framework.domains[0]).toMatchObject({ id: 'gv-oc', title: 'Organizational Context (GV.OC)' });
  });

  it('leaves out the CSF 1.1 subcategories the file also carries, and says so', () => {
    const superseded = r.report.notes.find((n) => n.code === 'superseded-controls');
    expect(superseded?.count).toBe(79);
    expect(questions(r.framework).map((q) => q.id)).not.toContain('id.be-01');
  });

  it('keeps each subcategory as a reference, its statement as the question and its examples as guidance', () => {
    const q = questions(r.framework).find((x) => x.id === 'gv.oc-01')!;
    expect(q.refs).toEqual({ 'nist-csf-2': ['GV.OC-01'] });
    expect(q.text).toBe('The organizational mission is understood and informs cybersecurity risk management');
    expect(textFor(q.guidance!)).toMatch(/^Example: Share the organization's mission/);
    expect(q.options.map((o) => o.id)).toEqual(['not-implemented', 'partly', 'largely', 'fully']);
    expect(textFor(q.options[1]!.label, 'sq')).toBe('Zbatuar pjesërisht');
  });

  it('records where the text comes from and its licence', () => {
    expect(r.framework.source).toMatch(/NIST Cybersecurity Framework 2.0/);
    expect(r.framework.licence).toMatch(/public domain/i);
  });

  it('offers the CSF tiers as the scale when asked', () => {
    const tiers = ok(importOscal(CSF, { file: 'csf.xml', scale: 'csf-tiers' }));
    expect(questions(tiers.framework)[0]!.options.map((o) => o.id)).toEqual(['tier-1', 'tier-2', 'tier-3', 'tier-4']);
  });

  it('scores a generated answers file', () => {
    const { csv } = answersFor(r.framework);
    const [best, rotating] = [...scores(r.framework, csv)].sort((a, b) => (b.overall ?? 0) - (a.overall ?? 0));
    expect(best!.overall).toBe(10);
    expect(rotating!.completeness).toBe(1);
    expect(rotating!.overall!).toBeGreaterThan(0);
    expect(rotating!.overall!).toBeLessThan(10);
  });
});

describe('importing any OSCAL catalog', () => {
  const r = ok(importOscal(fixture('oscal-small.json'), { file: 'oscal-small.json' }));

  it('makes groups and controls with controls into domains, and leaves withdrawn controls out', () => {
    expect(r.framework.domains.map((d) => d.id)).toEqual(['ac', 'ac-2', 'bk']);
    expect(r.framework.domains.map((d) => d.questions.map((q) => q.id))).toEqual([['ac-1'], ['ac-2.1'], ['bk-1']]);
    expect(r.report.notes.find((n) => n.code === 'withdrawn-controls')).toMatchObject({
      count: 2,
      examples: ['ac-2.2', 'ac-3'],
    });
    expect(r.report.notes.find((n) => n.code === 'empty-groups')?.examples).toEqual(['empty']);
  });

  it('asks a titled control by its title, with its statement and guidance part as guidance', () => {
    const q = questions(r.framework)[0]!;
    expect(q.text).toBe('Shared Accounts');
    expect(q.guidance).toBe(
      'Each person signs in with an account of their own.\n\nShared passwords hide who did what.',
    );
  });

  it("keeps a statement's items and normalises ids and references that do not fit", () => {
    const q = questions(r.framework).find((x) => x.id === 'bk-1')!;
    expect(q.text).toBe('Backups are kept away from the office:\n\nat least weekly;\n\nencrypted.');
    expect(q.refs).toEqual({ 'newsroom-baseline-controls': ['BK 1 - offsite'] });
    expect(r.report.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['ids-normalised', 'refs-normalised']));
  });

  it('refuses a file that is not an OSCAL catalog, saying where', () => {
    const html = importOscal('<?xml version="1.0"?>\n<html><body/></html>', { file: 'page.xml' });
    expect(html.ok).toBe(false);
    if (!html.ok) expect(formatProblem(html.problems[0]!)).toMatch(/^page\.xml:2:\d+: .*not an OSCAL catalog/);
    const broken = importOscal('<catalog>\n  <metadata>\n</catalog>', { file: 'broken.xml' });
    if (broken.ok) throw new Error('accepted');
    expect(formatProblem(broken.problems[0]!)).toMatch(/^broken\.xml:3:\d+: is not well-formed XML/);
    const json = importOscal('{"profile": {}}', { file: 'p.json' });
    if (json.ok) throw new Error('accepted');
    expect(formatProblem(json.problems[0]!)).toBe(
      'p.json:1:1: there is no `catalog` at the top: this is not an OSCAL catalog',
    );
  });
});

describe('importing a CISO Assistant library', () => {
  it('keeps a French library in French, with its English translations, as `language: fr`', () => {
    const r = ok(importCisoAssistant(ANSSI, { file: 'anssi-guide-hygiene.yaml' }));
    expect(r.framework.language).toBe('fr');
    expect(r.report).toMatchObject({ format: 'ciso-assistant', language: 'fr', domains: 10, questions: 61 });
    const q = questions(r.framework)[0]!;
    expect(textFor(q.text, 'fr')).toMatch(/^Former les équipes opérationnelles/);
    expect(textFor(q.text, 'en')).toBe('Train the operational teams in information system security');
    // Albanian has no text of its own: it falls back to English, then to French.
    expect(textFor(q.options[0]!.label, 'fr')).toBe('Non conforme');
    expect(r.framework.licence).toMatch(/Licence Ouverte/);
    expect(r.report.notes.find((n) => n.code === 'implementation-groups')?.examples).toEqual(['S', 'R']);
    const { csv } = answersFor(r.framework);
    expect(scores(r.framework, csv).every((s) => s.completeness === 1)).toBe(true);
  });

  it('flattens the tree at the chosen depth and turns the scores into options', () => {
    const small = fixture('ciso-small.yaml');
    const r = ok(importCisoAssistant(small, { file: 'ciso-small.yaml' }));
    expect(r.framework.language).toBe('de');
    expect(r.framework.domains.map((d) => d.id)).toEqual(['konten', 'requirements']);
    expect(r.framework.domains.map((d) => d.questions.map((q) => q.id))).toEqual([['k.a-1', 'k.a-2'], ['sicherung']]);
    const q = questions(r.framework)[0]!;
    expect(q.options.map((o) => [o.id, o.score])).toEqual([
      ['nicht-vorhanden', 0],
      ['teilweise', 0.5],
      ['vollstandig', 1],
    ]);
    expect(textFor(q.text, 'en')).toBe('Two-factor sign-in');
    expect(textFor(q.guidance!, 'de')).toBe(
      'Alle Postfächer nutzen einen zweiten Faktor.\n\nSicherheitsschlüssel sind am besten.\n\nGilt das auch für Social-Media-Konten?',
    );
    // Not every paragraph has English, so the guidance has no half-English version.
    expect(Object.keys(q.guidance as object)).toEqual(['de']);
    expect(q.refs).toEqual({ 'redaktion-basis': ['K.A-1'] });
    const codes = Object.fromEntries(r.report.notes.map((n) => [n.code, n.count]));
    expect(codes).toMatchObject({
      'embedded-questions': 1,
      'free-text-questions': 1,
      'depends-on': 1,
      'implementation-groups': 1,
      'empty-domains': 1,
      'translations-dropped': 1,
    });

    const deeper = ok(importCisoAssistant(small, { file: 'ciso-small.yaml', depth: 2 }));
    expect(deeper.framework.domains.map((d) => d.id)).toEqual(['k-a']);
    expect(deeper.report.notes.find((n) => n.code === 'nodes-above-depth')?.examples).toEqual(['SICHERUNG']);
  });

  it('gives a library without a scale the compliance scale in its own language', () => {
    const r = ok(importCisoAssistant(ANSSI, { file: 'a.yaml', scale: 'implementation' }));
    expect(questions(r.framework)[0]!.options[0]!.label).toMatchObject({
      fr: 'Non mis en œuvre',
      en: 'Not implemented',
    });
  });

  it('refuses wrong YAML and a file that is not a library, saying where', () => {
    const bad = importCisoAssistant('urn: x\nobjects:\n  framework: [\n', { file: 'bad.yaml' });
    if (bad.ok) throw new Error('accepted');
    expect(formatProblem(bad.problems[0]!)).toMatch(/^bad\.yaml:\d+:\d+: /);
    const other = importCisoAssistant('urn: x\nobjects:\n  risk_matrix: []\n', { file: 'matrix.yaml' });
    if (other.ok) throw new Error('accepted');
    expect(formatProblem(other.problems[0]!)).toMatch(/^matrix\.yaml:3:\d+: .*not a CISO Assistant framework library/);
  });
});

describe('importing the OWASP SAMM model', () => {
  const r = ok(importSamm(SAMM, { file: 'owasp-samm-2-model.yaml' }));

  it("gives the 15 practices as domains and the 90 questions, on SAMM's scale of 0 to 3", () => {
    expect(r.framework.domains).toHaveLength(15);
    expect(questions(r.framework)).toHaveLength(90);
    expect(r.framework.scale).toBe(3);
    expect(r.framework.domains[0]!.title).toBe('Governance: Strategy and Metrics');
    expect(r.framework.domains[0]!.questions.map((q) => q.id)).toEqual([
      'g-sm.a-1',
      'g-sm.a-2',
      'g-sm.a-3',
      'g-sm.b-1',
      'g-sm.b-2',
      'g-sm.b-3',
    ]);
    expect(r.framework.licence).toMatch(/CC BY-SA 4.0/);
    expect(r.report.notes.map((n) => n.code)).toContain('unanswered-counts-as-no');
  });

  it("scores each practice as SAMM does: the mean over its streams of the levels' answers", () => {
    const { csv, picks } = answersFor(r.framework);
    const model = sammModel(SAMM);
    for (const result of scores(r.framework, csv)) {
      const chosen = picks.get(result.organisation)!;
      for (const d of r.framework.domains) {
        // SAMM's own arithmetic, from the model's files: answer values summed per stream, averaged.
        const byStream = new Map<string, number>();
        for (const q of d.questions) {
          const option = q.options.find((o) => o.id === chosen.get(q.id))!;
          const value = model.valueOf(q.text, textFor(option.label));
          const stream = q.id.split('.')[1]!.split('-')[0]!;
          byStream.set(stream, (byStream.get(stream) ?? 0) + value);
        }
        const samm = [...byStream.values()].reduce((a, b) => a + b, 0) / byStream.size;
        expect(result.domains[d.id]).toBeCloseTo(samm, 10);
      }
    }
  });

  it('reads the model as separate files too', () => {
    const files = fixture('samm-small.yaml')
      .split(/^---$/m)
      .map((text, i) => ({ name: `model/${i}.yml`, text }));
    const r2 = ok(importSamm(files, { file: 'model' }));
    expect(r2.framework.domains.map((d) => d.questions.map((q) => q.id))).toEqual([['g-sm.a-1', 'g-sm.b-1']]);
    expect(r2.framework.domains[0]!.questions[0]!.guidance).toMatch(/Quality criteria: It is written down\./);
  });

  it('refuses a model that names what is not in it, and text that is not the model', () => {
    const broken = importSamm(
      fixture('samm-small.yaml').replace(
        'answerSet: yesno\ntext: Do you measure?',
        'answerSet: nope\ntext: Do you measure?',
      ),
      {
        file: 'samm.yaml',
      },
    );
    if (broken.ok) throw new Error('accepted');
    expect(formatProblem(broken.problems[0]!)).toMatch(
      /^samm\.yaml:\d+:1: the question `q2` names the answer set `nope`/,
    );
    const other = importSamm('kalaja: framework/1\nid: x\n', { file: 'x.yaml' });
    if (other.ok) throw new Error('accepted');
    expect(formatProblem(other.problems[0]!)).toMatch(/^x\.yaml:1:1: a SAMM model document needs a `type`/);
  });
});

describe('every import', () => {
  const runs: [string, () => ImportResult][] = [
    ['oscal', () => importOscal(CSF, { file: 'csf.xml' })],
    ['ciso-assistant', () => importCisoAssistant(ANSSI, { file: 'anssi.yaml' })],
    ['samm', () => importSamm(SAMM, { file: 'samm.yaml' })],
  ];

  it.each(runs)('%s: gives the same bytes for the same input, and a file the loader accepts', (_, run) => {
    const a = ok(run());
    const b = ok(run());
    expect(a.text).toBe(b.text);
    const again = loadFramework(a.text, { file: 'imported.yaml' });
    expect(again.ok && again.value).toEqual(a.framework);
  });

  it('turns any catalog texts and ids into a framework the loader accepts', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', 'é', ' ', '\n', '\t', '\u0007', '\u00a0', '-', '.', '#', '"', ':', '𝒳', '\ud800'),
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: text,
            title: text,
            prose: text,
            controls: fc.array(fc.record({ id: text, title: text, prose: text }), { maxLength: 3 }),
          }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        text,
        (groups, title) => {
          const catalog = {
            catalog: {
              metadata: { title: `T${title}`, version: '1' },
              groups: groups.map((g) => ({
                id: g.id,
                title: g.title,
                controls: [
                  { id: `c${g.id}`, title: g.title, parts: [{ name: 'statement', prose: g.prose }] },
                  ...g.controls.map((c) => ({
                    id: c.id,
                    title: c.title,
                    parts: [{ name: 'statement', prose: c.prose }],
                  })),
                ],
              })),
            },
          };
          const r = importOscal(JSON.stringify(catalog), { file: 'generated.json' });
          // An empty title or statement falls back to the control's id, an unusable id to a plain one.
          const imported = ok(r);
          expect(loadFramework(imported.text, { file: 'again.yaml' }).ok).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('cleans texts once for all: no control characters, no spaces at the ends, idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const c = cleanText(s);
        expect(c).toBe(cleanText(c));
        expect(c).toBe(c.trim());
        // eslint-disable-next-line no-control-regex -- control characters are what is checked
        expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(c)).toBe(false);
        expect(c.includes('\n\n\n')).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.boolean(), (s, dots) => {
        const id = toId(s, dots);
        expect(id === '' || (dots ? /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/ : /^[a-z0-9]+(?:-[a-z0-9]+)*$/).test(id)).toBe(
          true,
        );
      }),
    );
  });
});

/** SAMM's answer values, read straight from the model's files: question text + answer text → value. */
function sammModel(text: string) {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown> | null);
  const sets = new Map<string, { text: string; value: number }[]>();
  for (const d of docs)
    if (d?.type === 'AnswerSet') sets.set(String(d.id), d.values as { text: string; value: number }[]);
  const questionSet = new Map<string, string>();
  for (const d of docs) if (d?.type === 'Question') questionSet.set(String(d.text).trim(), String(d.answerSet));
  return {
    valueOf(question: string, answer: string): number {
      const set = sets.get(questionSet.get(question)!)!;
      return set.find((a) => String(a.text).trim() === answer)!.value;
    },
  };
}
