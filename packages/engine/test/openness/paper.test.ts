import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOpennessPaper,
  loadFramework,
  parseInstitutionsCsv,
  rankByScore,
  readAnswers,
  REPORT_CATALOGUES,
  scoreAnswerSet,
  formatProblem,
  isIsoDate,
  readEvidenceColumns,
  type AnswerSet,
  type Framework,
  type OpennessPaper,
} from '../../src/index.js';
import { INSTITUTIONS, opennessAnswers, opennessFramework, toCsv } from './fixture.js';

function framework(indicators: number): Framework {
  const r = loadFramework(opennessFramework(indicators), { file: 'oi.yaml' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
}

function answers(fw: Framework, rows: string[][]): AnswerSet {
  const r = readAnswers(fw, toCsv(rows), { file: 'answers.csv' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).slice(0, 3).join('\n'));
  return r.value;
}

const big = framework(72);
const bigSet = answers(big, opennessAnswers(72, 20));
const paper = buildOpennessPaper(big, bigSet, { institutions: INSTITUTIONS, generatedAt: '2026-06-01T10:00:00Z' });

describe('the ranking', () => {
  it('gives tied scores one rank and skips the next: 1, 2, 2, 4; no score last, unranked', () => {
    const r = rankByScore(['a', 'b', 'c', 'd', 'e'], (x) => ({ a: 90, b: 80, c: 80, d: 70, e: null })[x]!);
    expect(r.map((x) => [x.item, x.rank, x.tied])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['d', 4, false],
      ['e', null, false],
    ]);
  });

  it('ranks each item 1 + the number of items scoring more, at full precision, and keeps unscored items last', () => {
    const score = fc.oneof(
      fc.constant(null),
      fc.integer({ min: 0, max: 20 }).map((x) => x * 5),
      fc.double({ min: 0, max: 100, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(score, { maxLength: 30 }), (scores) => {
        const ranked = rankByScore(
          scores.map((s, i) => ({ s, i })),
          (x) => x.s,
        );
        expect(ranked.length).toBe(scores.length);
        const scoredCount = scores.filter((s) => s !== null).length;
        ranked.forEach((x, position) => {
          if (x.item.s === null) {
            expect(x.rank).toBeNull();
            expect(position).toBeGreaterThanOrEqual(scoredCount);
          } else {
            expect(x.rank).toBe(1 + scores.filter((s) => s !== null && s > x.item.s! + 1e-9).length);
            expect(position).toBeLessThan(scoredCount);
          }
        });
        // Ranks never decrease down the list.
        const ranks = ranked.filter((x) => x.rank !== null).map((x) => x.rank!);
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
    );
  });

  it('carries the engine’s overall score of every institution, unrounded, with one decimal shown', () => {
    const scored = scoreAnswerSet(big, bigSet).results.filter((r) => r.round === '2026');
    expect(paper.ranking.rows).toHaveLength(20);
    for (const row of paper.ranking.rows) {
      const r = scored.find((x) => x.organisation === row.institution)!;
      expect(row.overall.value).toBe(r.overall);
      expect(row.overall.decimals).toBe(1);
      expect(row.overall.text).toMatch(/^\d+\.\d$/);
    }
    const values = paper.ranking.rows.map((r) => r.overall.value!);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(paper.ranking.rows[0]!.rank).toBe(1);
  });

  it('ranks two institutions with the same answers together, and one with nothing applicable last', () => {
    const fw = framework(8);
    const rows = (name: string, answer: (i: number) => string) =>
      fw.domains.flatMap((d) => d.questions.map((q, i) => [name, 'w1', q.id, answer(i)]));
    const set = answers(fw, [
      ...rows('Low', () => 'p0'),
      ...rows('Twin A', (i) => (i % 2 ? 'p1' : 'p0')),
      ...rows('Nothing', () => 'na'),
      ...rows('Twin B', (i) => (i % 2 ? 'p1' : 'p0')),
    ]);
    const p = buildOpennessPaper(fw, set);
    expect(p.ranking.rows.map((r) => [r.institution, r.rank, r.rankText])).toEqual([
      ['Twin A', 1, '1 ='],
      ['Twin B', 1, '1 ='],
      ['Low', 3, '3'],
      ['Nothing', null, 'not ranked'],
    ]);
    expect(p.previous).toBeNull();
    expect(p.summary.paragraphs.join(' ')).toContain('1 institution has no score');
  });
});

/** An independent reading of the four rules on a small framework's two waves. */
function expectedIds(fw: Framework, set: AnswerSet): string[] {
  const scores = scoreAnswerSet(fw, set).results;
  const now = scores.filter((r) => r.round === 'w2');
  const ids: string[] = [];
  const value = new Map<string, number>(); // institution, question → option score
  for (const [name, rounds] of set.assessments) {
    const c = rounds.get('w2');
    if (!c) continue;
    let p = 0;
    for (const d of fw.domains)
      for (const q of d.questions) {
        const x = c[p++]!;
        if (x >= 0) value.set(`${name}|${q.id}`, q.options[x]!.score);
      }
  }
  for (const d of fw.domains)
    for (const q of d.questions) {
      const measured = now.filter((r) => value.has(`${r.organisation}|${q.id}`));
      const zero = measured.filter((r) => value.get(`${r.organisation}|${q.id}`) === 0);
      if (measured.length >= 2 && zero.length * 2 > measured.length) ids.push(`government-wide:${q.id}`);
    }
  for (const r of now) {
    for (const d of fw.domains)
      if (r.domains[d.id] !== null && r.domains[d.id]! < 50) ids.push(`principle-priority:${r.organisation}:${d.id}`);
    const before = scores.find((x) => x.round === 'w1' && x.organisation === r.organisation);
    if (before && before.overall !== null && r.overall !== null && r.overall - before.overall <= -1)
      ids.push(`decline:${r.organisation}`);
    for (const d of fw.domains)
      for (const q of d.questions)
        if (value.get(`${r.organisation}|${q.id}`) === 0) ids.push(`indicator-missing:${r.organisation}:${q.id}`);
  }
  return ids.sort();
}

describe('the rules', () => {
  const small = framework(8);
  const questions = small.domains.flatMap((d) => d.questions);
  const answer = (q: (typeof questions)[number]) =>
    fc.oneof(fc.constant('na'), fc.constant(''), ...q.options.map((o) => fc.constant(o.id)));
  const wave = fc.tuple(...questions.map(answer));
  const cohort = fc.array(fc.tuple(fc.option(wave, { nil: undefined }), wave), { minLength: 1, maxLength: 6 });

  it('fire exactly when their condition holds, once per subject', () => {
    fc.assert(
      fc.property(cohort, (institutions) => {
        const rows: string[][] = [];
        // Waves compare in order of first appearance: w1 first (an extra record when nobody has one).
        rows.push(['Institution 0', 'w1', questions[0]!.id, institutions[0]![0]?.[0] ?? '']);
        institutions.forEach(([w1], n) => {
          if (w1)
            questions.forEach((q, i) => {
              if (n > 0 || i > 0) rows.push([`Institution ${n}`, 'w1', q.id, w1[i]!]);
            });
        });
        institutions.forEach(([, w2], n) =>
          questions.forEach((q, i) => rows.push([`Institution ${n}`, 'w2', q.id, w2[i]!])),
        );
        const set = answers(small, rows);
        const p = buildOpennessPaper(small, set);
        const ids = p.recommendations.all.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(expectedIds(small, set));
        // High priority first.
        const ranks = p.recommendations.all.map((r) => (r.priority === 'high' ? 0 : 1));
        expect([...ranks].sort()).toEqual(ranks);
      }),
      { numRuns: 60 },
    );
  });

  it('say what earns the points from the indicator’s guidance, and name their rule and subject', () => {
    const missing = paper.recommendations.all.find((r) => r.rule === 'indicator-missing')!;
    expect(missing.subject.institution).toBeDefined();
    expect(missing.subject.question).toBeDefined();
    expect(missing.text).toContain('What earns them: Publish');
    const gov = paper.recommendations.items[0]!;
    expect(gov.rule).toBe('government-wide');
    expect(gov.subject.institution).toBeUndefined();
    expect(gov.text).toMatch(/^\d+ of \d+ institutions earned nothing/);
    expect(paper.recommendations.rules.map((r) => r.id)).toEqual([
      'indicator-missing',
      'principle-priority',
      'decline',
      'government-wide',
    ]);
  });

  it('take the research team’s edits: a reworded text, a dropped draft and an addition', () => {
    const inst = paper.institutionsSection.items[0]!;
    const zero = inst.zero[0]!;
    const gov = paper.recommendations.items[0]!;
    const edited = buildOpennessPaper(big, bigSet, {
      recommendationEdits: [
        { id: zero.recommendation!.id, texts: { en: { title: 'Own title', text: 'Publish it by June.' } } },
        { id: gov.id, dropped: true },
        { id: 'team:1', texts: { en: { title: 'A law on access', text: 'Amend the law.' } }, priority: 'high' },
        { id: 'indicator-missing:Nobody:x', dropped: true },
      ],
    });
    const e = edited.institutionsSection.items[0]!.zero[0]!;
    expect(e.recommendation).toMatchObject({ title: 'Own title', text: 'Publish it by June.', review: 'edited' });
    expect(edited.recommendations.items.map((r) => r.id)).not.toContain(gov.id);
    expect(edited.recommendations.items.find((r) => r.id === 'team:1')).toMatchObject({
      rule: 'team',
      review: 'added',
    });
    expect(edited.recommendations.stale).toEqual(['indicator-missing:Nobody:x']);
    expect(edited.methodology.paragraphs.join(' ')).toContain('edited 1');
    const dropped = buildOpennessPaper(big, bigSet, {
      recommendationEdits: [{ id: zero.recommendation!.id, dropped: true }],
    });
    expect(dropped.institutionsSection.items[0]!.zero[0]!.recommendation).toBeNull();
  });
});

describe('the paper', () => {
  it('has every section: methodology by source, findings per principle with the paired change, one section per institution', () => {
    expect(paper.kind).toBe('openness');
    expect(paper.wave).toBe('2026');
    expect(paper.previous).toBe('2025');
    const m = paper.methodology.principles;
    expect(m).toHaveLength(4);
    expect(m.reduce((a, p) => a + p.indicators, 0)).toBe(72);
    for (const p of m)
      expect(p.bySource['desk-research'] + p.bySource.questionnaire + p.bySource.interview).toBe(p.indicators);
    for (const p of paper.principles.items) {
      expect(p.stats.n).toBe(20);
      // 19 institutions were measured in both waves: the last one is new.
      expect(p.change!.n).toBe(19);
      expect(p.change!.wilcoxon).not.toBeNull();
      for (const x of p.missed) expect(x.count * 2).toBeGreaterThan(x.of);
    }
    expect(paper.institutionsSection.items).toHaveLength(20);
    const last = paper.institutionsSection.items.find((x) => x.name === INSTITUTIONS[19]!.name)!;
    expect(last.paragraphs.join(' ')).toContain('Not measured in 2025.');
    for (const x of paper.institutionsSection.items)
      for (const p of x.principles) {
        if (p.possible > 0) expect(p.score.value).toBeCloseTo((100 * p.earned) / p.possible, 9);
      }
    expect(paper.annex.rows).toHaveLength(72);
    expect(paper.annex.rows.every((r) => r.source !== null)).toBe(true);
  });

  it('compares regions only when institutions are in more than one country', () => {
    expect(paper.regional!.rows.map((r) => [r.country, r.institutions])).toEqual([
      ['Kosovo', 8],
      ['North Macedonia', 6],
      ['Montenegro', 6],
    ]);
    const one = buildOpennessPaper(big, bigSet, {
      institutions: INSTITUTIONS.map((i) => ({ ...i, country: 'Kosovo' })),
    });
    expect(one.regional).toBeNull();
    expect(buildOpennessPaper(big, bigSet).regional).toBeNull();
  });

  it('says how much of the wave has evidence, and shows it beside an indicator that earned nothing', () => {
    const inst = paper.institutionsSection.items[0]!;
    const z = inst.zero[0]!;
    const p = buildOpennessPaper(big, bigSet, {
      evidence: [
        {
          institution: inst.name,
          round: '2026',
          question: z.question,
          url: 'https://example.org/budget',
          checked: '2026-02-14',
        },
        {
          institution: inst.name,
          round: '2025',
          question: z.question,
          url: 'https://example.org/old',
          checked: '2025-02-14',
        },
      ],
    });
    expect(p.institutionsSection.items[0]!.zero[0]!.evidence).toEqual({
      url: 'https://example.org/budget',
      checked: '2026-02-14',
    });
    expect(p.methodology.paragraphs.join(' ')).toMatch(
      /answers in this wave, 1 carry the link .* all checked on February 14, 2026/,
    );
    expect(paper.methodology.paragraphs.join(' ')).toContain('made from the answers alone');
    const two = buildOpennessPaper(big, bigSet, {
      evidence: [
        {
          institution: inst.name,
          round: '2026',
          question: z.question,
          url: 'https://example.org/a',
          checked: '2026-03-01',
        },
        {
          institution: inst.name,
          round: '2026',
          question: inst.zero[1]!.question,
          url: 'https://example.org/b',
          checked: '2026-02-14',
        },
      ],
    });
    expect(two.methodology.paragraphs.join(' ')).toContain(
      '2 carry the link they were checked at, checked between February 14, 2026 and March 1, 2026',
    );
  });

  it('reports an earlier wave when asked, compared with the one before it', () => {
    const p = buildOpennessPaper(big, bigSet, { wave: '2025' });
    expect([p.wave, p.previous, p.institutions]).toEqual(['2025', null, 19]);
    expect(() => buildOpennessPaper(big, bigSet, { wave: '2030' })).toThrow('wave "2030"');
  });

  it.each(['sq', 'sr-Latn', 'sr-Cyrl'] as const)(
    'reads in %s throughout: no sentence of the English catalogue',
    (locale) => {
      const p = buildOpennessPaper(big, bigSet, { locale, institutions: INSTITUTIONS });
      const text = strings(p).join('\n');
      const english = Object.entries(REPORT_CATALOGUES.en)
        .filter(([k]) => k.startsWith('oi.'))
        .map(([, s]) =>
          s
            .split(/\{\w+\}/)
            .sort((a, b) => b.length - a.length)[0]!
            .trim(),
        )
        .filter((s) => s.split(/\s+/).length >= 4);
      expect(english.length).toBeGreaterThan(40);
      for (const s of english) expect(text, s).not.toContain(s);
      expect(text).not.toContain('Publish the');
    },
  );
});

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('the institutions file', () => {
  it('reads name, type, level and country in any order, other columns ignored', () => {
    const r = parseInstitutionsCsv('country;name;extra;level\nKosovo;Assembly;x;central\n;Office;;\n', 'i.csv');
    expect(r).toEqual({
      ok: true,
      value: [{ name: 'Assembly', country: 'Kosovo', level: 'central' }, { name: 'Office' }],
    });
  });

  it('reads back what was written, whatever the separator, column order and quoting', () => {
    const cell = fc.string({ maxLength: 12 }).map((x) =>
      x
        .replace(/[\r\n]/g, '')
        .split(String.fromCharCode(0))
        .join(''),
    );
    const row = fc.record({ name: cell.filter((x) => x.trim() !== ''), type: cell, level: cell, country: cell });
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => r.name.trim(), maxLength: 8 }),
        fc.shuffledSubarray(['name', 'type', 'level', 'country'] as const, { minLength: 4 }),
        fc.constantFrom(',', ';', '\t'),
        (rows, columns, sep) => {
          const field = (x: string) => `"${x.replace(/"/g, '""')}"`;
          const text = [columns.join(sep), ...rows.map((r) => columns.map((c) => field(r[c])).join(sep))].join('\n');
          const r = parseInstitutionsCsv(text, 'i.csv');
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.value).toEqual(
            rows.map((x) => {
              const out: Record<string, string> = { name: x.name.trim() };
              for (const c of ['type', 'level', 'country'] as const) if (x[c].trim() !== '') out[c] = x[c].trim();
              return out;
            }),
          );
        },
      ),
    );
  });

  it('names each problem at its line: no name column, an empty name, a name twice', () => {
    const problems = (text: string) => {
      const r = parseInstitutionsCsv(text, 'i.csv');
      return r.ok ? [] : r.problems.map(formatProblem);
    };
    expect(problems('title,country\nA,Kosovo\n')).toEqual([
      'i.csv:1: missing required column `name` in the header row (found: title, country)',
    ]);
    expect(problems('name,country\nA,Kosovo\n,Kosovo\nA,Serbia\n')).toEqual([
      'i.csv:3: empty `name`: every institution needs its name as the answers file writes it',
      'i.csv:4: institution "A" is listed twice (first at line 2)',
    ]);
    expect(problems('')).toEqual(['i.csv:1: the file is empty: it needs a header row naming `name`']);
  });
});

export type { OpennessPaper };

describe('evidence in the answers file', () => {
  const head = 'organisation,round,question,answer,evidence_url,checked';
  it('reads a link and a date per answer, and nothing when the file has neither column', () => {
    const r = readEvidenceColumns(
      `${head}\nA,2026,t.i1,p1,https://example.org/budget.pdf,2026-02-14\nA,2026,t.i2,p0,,\nB,2026,t.i1,p0,http://gov.example/x?y=1,\n`,
      'a.csv',
      '2026-06-01',
    );
    expect(r).toEqual({
      ok: true,
      value: [
        {
          institution: 'A',
          round: '2026',
          question: 't.i1',
          url: 'https://example.org/budget.pdf',
          checked: '2026-02-14',
        },
        { institution: 'B', round: '2026', question: 't.i1', url: 'http://gov.example/x?y=1' },
      ],
    });
    expect(readEvidenceColumns('organisation;round;question;answer\nA;1;q;p0\n', 'a.csv', '2026-06-01')).toEqual({
      ok: true,
      value: null,
    });
  });

  it('names each problem at its line: not a web address, not a date, a date in the future, a date without a link', () => {
    const r = readEvidenceColumns(
      `${head}\nA,1,q,p0,www.example.org,\nA,1,r,p0,https://example.org,14.02.2026\nA,1,s,p0,https://example.org,2026-02-30\nA,1,t,p0,https://example.org,2026-06-02\nA,1,u,p0,,2026-01-01\n`,
      'a.csv',
      '2026-06-01',
    );
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'a.csv:2: evidence_url "www.example.org" is not a web address: it needs to start with http:// or https://',
      'a.csv:3: checked "14.02.2026" is not a date: write it as YYYY-MM-DD',
      'a.csv:4: checked "2026-02-30" is not a date: write it as YYYY-MM-DD',
      'a.csv:5: checked 2026-06-02 is in the future (today is 2026-06-01)',
      'a.csv:6: `checked` is given without `evidence_url`: a date checked needs the link it was checked at',
    ]);
  });

  it('takes a date exactly when it is a real calendar day written YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(isIsoDate(iso)).toBe(true);
        expect(isIsoDate(iso.replace(/-/g, '/'))).toBe(false);
      }),
    );
    expect(['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01'].map(isIsoDate)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });
});
