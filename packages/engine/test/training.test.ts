import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadTrainingModule, readResponses, scoreResponses, type TrainingModule } from '../src/index.js';
import { oracleTraining } from './oracle/oracle-training.js';

const MODULE = `kalaja: training/1
id: phishing-basics
version: "1.0.0"
title: Spotting phishing
domains: [access, awareness]
interventions: [phishing-training]
agenda:
  - {minutes: 20, title: What phishing looks like now}
  - {minutes: 40, title: Practice with real examples}
check:
  items:
    - id: link
      text: A message from "Google" asks you to sign in through its link. What do you do?
      options:
        - {id: click, label: Click and check the page looks right}
        - {id: direct, label: "Open the site yourself, not through the link", correct: true}
        - {id: reply, label: Reply and ask if it is real}
      explanation: A look-alike page can be perfect; typing the address yourself cannot be faked.
    - id: code
      text: Someone who says they are from Meta asks for the code you just received. What do you do?
      options:
        - {id: give, label: Give it so they can help}
        - {id: refuse, label: Never give it to anyone, correct: true}
    - id: sms
      text: Which second factor resists a look-alike sign-in page?
      options:
        - {id: sms, label: A code by SMS}
        - {id: app, label: A code from an app}
        - {id: key, label: A passkey or security key, correct: true}
practices:
  - {id: typed-address, text: I open sign-in pages myself rather than through links}
`;

const module = (text = MODULE): TrainingModule => {
  const r = loadTrainingModule(text, { file: 'm.yaml' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
};
const problems = (text: string) => {
  const r = loadTrainingModule(text, { file: 'm.yaml' });
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('loading a training module', () => {
  it('reads the agenda, the knowledge check and the practices a follow-up asks about', () => {
    const m = module();
    expect(m.check.items.map((i) => i.id)).toEqual(['link', 'code', 'sms']);
    expect(m.check.items[1]!.options.map((o) => o.correct)).toEqual([false, true]);
    expect(m.agenda.reduce((s, a) => s + a.minutes, 0)).toBe(60);
    expect(m.practices).toEqual([
      { id: 'typed-address', text: 'I open sign-in pages myself rather than through links' },
    ]);
  });

  it('refuses an item with no correct option, or with two, at the item', () => {
    const none = MODULE.replace(
      '{id: refuse, label: Never give it to anyone, correct: true}',
      '{id: refuse, label: Never give it to anyone}',
    );
    expect(problems(none)).toEqual([
      'm.yaml:19:7: item `code`: no option is marked `correct: true`; exactly one must be',
    ]);
    const two = MODULE.replace(
      '{id: app, label: A code from an app}',
      '{id: app, label: A code from an app, correct: true}',
    );
    expect(problems(two)).toEqual([
      'm.yaml:24:7: item `sms`: 2 options are marked correct (`app`, `key`); exactly one must be',
    ]);
  });

  it('refuses duplicate item ids, unknown keys and a check with no items', () => {
    expect(problems(MODULE.replace('- id: code', '- id: link').replace('explanation:', 'explaination:'))).toEqual([
      'm.yaml:18:7: item `link`: unknown key `explaination` (did you mean `explanation`?)',
      'm.yaml:19:11: item `link`: duplicate item id `link` (also item 1)',
    ]);
    expect(problems('kalaja: training/1\nid: x\nversion: "1"\ntitle: X\ncheck: {items: []}\n')).toEqual([
      'm.yaml:5:16: a knowledge check needs at least 1 item',
    ]);
  });
});

describe('scoring knowledge checks from a responses file', () => {
  const m = module();
  const read = (csv: string) => {
    const r = readResponses(m, csv, { file: 'r.csv' });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    return scoreResponses(m, r.value);
  };

  it('gives each participant 100 × correct / items before and after, in order of first appearance', () => {
    const report = read(
      'participant,phase,item,answer\nArta,pre,link,click\nArta,pre,code,refuse\nArta,post,link,direct\nArta,post,code,refuse\nArta,post,sms,key\nMilan,pre,link,direct\n',
    );
    expect(report.module).toEqual({ id: 'phishing-basics', version: '1.0.0' });
    expect(report.participants).toEqual([
      { participant: 'Arta', pre: 100 / 3, post: 100 },
      { participant: 'Milan', pre: 100 / 3, post: null },
    ]);
    expect(report.impact).toMatchObject({ n: 1, improved: 1, wilcoxon: { n: 1 } });
    expect(report.impact.mean).toBeCloseTo(200 / 3, 12);
  });

  it('counts a skipped or missing item as not correct, and reads other columns as nothing', () => {
    const report = read('name,participant,phase,item,answer\nx,P1,pre,link,\ny,P1,post,link,direct\n');
    expect(report.participants).toEqual([{ participant: 'P1', pre: 0, post: 100 / 3 }]);
  });

  it('reports every problem of a responses file on its line', () => {
    const r = readResponses(
      m,
      'participant,phase,item,answer\nArta,pre,link,clik\nArta,during,code,refuse\nArta,pre,Link,direct\nArta,pre,code,give\nArta,pre,code,refuse\n,pre,sms,key\n',
      { file: 'r.csv' },
    );
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'r.csv:2: item `link` has no option `clik`; choose one of: click, direct, reply, or leave it empty',
      'r.csv:3: phase `during` is neither `pre` nor `post`',
      'r.csv:4: unknown item `Link`: module phishing-basics 1.0.0 has no such item (did you mean `link`?)',
      'r.csv:6: duplicate response for participant "Arta", phase pre, item `code`: line 6 repeats line 5',
      'r.csv:7: participant is empty',
    ]);
  });

  it('needs the four columns', () => {
    const r = readResponses(m, 'participant,stage,item,answer\n', { file: 'r.csv' });
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'r.csv:1: missing required column `phase` in the header row (found: participant, stage, item, answer)',
    ]);
  });
});

/** A generated module and responses file: participants × phases × items, some skipped, some absent. */
const generated = fc
  .record({
    items: fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 10 }),
    correctSeed: fc.nat(),
    participants: fc.integer({ min: 0, max: 25 }),
    cells: fc.array(fc.integer({ min: -2, max: 3 }), { minLength: 500, maxLength: 500 }),
  })
  .map(({ items, correctSeed, participants, cells }) => {
    const mod: TrainingModule = {
      id: 'gen',
      version: '1',
      title: 'Generated',
      domains: [],
      interventions: [],
      agenda: [],
      practices: [],
      check: {
        items: items.map((count, i) => ({
          id: `i${i}`,
          text: `Item ${i}`,
          options: Array.from({ length: count }, (_, k) => ({
            id: `o${k}`,
            label: `Option ${k}`,
            correct: k === (correctSeed + i) % count,
          })),
        })),
      },
    };
    const lines = ['participant,phase,item,answer'];
    let c = 0;
    for (let p = 0; p < participants; p++) {
      for (const phase of ['pre', 'post']) {
        items.forEach((count, i) => {
          const v = cells[c++ % cells.length]!;
          if (v === -2) return; // the row is absent
          lines.push(`P${p},${phase},i${i},${v === -1 ? '' : `o${v % count}`}`);
        });
      }
    }
    return { mod, csv: lines.join('\n') + '\n' };
  });

describe('kalaja training, whatever the responses', () => {
  it('agrees with an independent implementation of the contract', () => {
    fc.assert(
      fc.property(generated, ({ mod, csv }) => {
        const r = readResponses(mod, csv, { file: 'r.csv' });
        if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
        const ours = scoreResponses(mod, r.value);
        const theirs = oracleTraining(
          { id: mod.id, version: mod.version, items: mod.check.items.map((i) => ({ id: i.id, options: i.options })) },
          csv,
        );
        expect(ours.module).toEqual(theirs.module);
        expect(ours.participants.map((p) => p.participant)).toEqual(theirs.participants.map((p) => p.participant));
        ours.participants.forEach((p, i) => {
          for (const k of ['pre', 'post'] as const) {
            const t = theirs.participants[i]![k];
            if (p[k] === null || t === null) expect(p[k]).toBe(t);
            else expect(Math.abs(p[k]! - t)).toBeLessThanOrEqual(1e-9);
          }
        });
        const [a, b] = [ours.impact, theirs.impact];
        expect([a.n, a.improved, a.declined, a.unchanged]).toEqual([b.n, b.improved, b.declined, b.unchanged]);
        expect(a.wilcoxon?.n ?? null).toBe(b.wilcoxon?.n ?? null);
        if (a.wilcoxon && b.wilcoxon) expect(Math.abs(a.wilcoxon.p - b.wilcoxon.p)).toBeLessThanOrEqual(1e-9);
        if (a.mean !== null && b.mean !== null) expect(Math.abs(a.mean - b.mean)).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
