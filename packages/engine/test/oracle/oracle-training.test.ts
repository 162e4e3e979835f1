import { describe, it, expect } from 'vitest';
import { oracleParseCsv, oracleTraining } from './oracle-training.js';
import type { OracleTrainingModule } from './oracle-training.js';

/** Four items, each with options a (correct), b and c. */
const MODULE: OracleTrainingModule = {
  id: 'phishing-basics',
  version: '1.2.0',
  items: ['i1', 'i2', 'i3', 'i4'].map((id) => ({
    id,
    options: [
      { id: 'a', correct: true },
      { id: 'b', correct: false },
      { id: 'c', correct: false },
    ],
  })),
};

const lines = (...rows: string[]): string => rows.join('\n') + '\n';

describe('oracle: knowledge-check scores from a responses CSV', () => {
  it('scores 100 × correct / items, counting skipped and missing items as not correct, null for a phase with no row', () => {
    const out = oracleTraining(
      MODULE,
      lines(
        'participant,phase,item,answer',
        'p1,pre,i1,a', // correct
        'p1,pre,i2,b', // wrong
        'p1,pre,i3,', // skipped; i4 has no row
        'p3,pre,i1,a', // p3 has only a pre
        'p1,post,i1,a',
        'p1,post,i2,a',
        'p1,post,i3,a',
        'p1,post,i4,b',
        'p4,post,i2,a', // p4 has only a post
      ),
    );
    expect(out.module).toEqual({ id: 'phishing-basics', version: '1.2.0' });
    expect(out.participants).toEqual([
      { participant: 'p1', pre: 25, post: 75 },
      { participant: 'p3', pre: 25, post: null },
      { participant: 'p4', pre: null, post: 25 },
    ]);
    // Only p1 has both: Δ = 50.
    expect(out.impact).toMatchObject({ n: 1, mean: 50, improved: 1, declined: 0, unchanged: 0, ci95: null, dz: null });
    expect(out.impact.wilcoxon).toEqual({ n: 1, wPlus: 1, wMinus: 0, p: 1 });
  });

  it('gives 0, not null, to a phase whose rows are all skipped', () => {
    const out = oracleTraining(MODULE, lines('participant,phase,item,answer', 'p,pre,i1,', 'p,pre,i2,', 'p,post,i1,a'));
    expect(out.participants).toEqual([{ participant: 'p', pre: 0, post: 25 }]);
  });

  it('computes the impact over participants with both, in order of first appearance (hand)', () => {
    const out = oracleTraining(
      MODULE,
      lines(
        'participant,phase,item,answer',
        'p1,pre,i1,a',
        'p2,pre,i1,b',
        'p5,pre,i1,a',
        'p1,post,i1,a',
        'p1,post,i2,a',
        'p1,post,i3,a',
        'p2,post,i1,a',
        'p2,post,i2,a',
        'p5,post,i1,a',
      ),
    );
    expect(out.participants.map((p) => [p.participant, p.pre, p.post])).toEqual([
      ['p1', 25, 75],
      ['p2', 0, 50],
      ['p5', 25, 25],
    ]);
    // Δ = 50, 50, 0: mean 100/3, improved 2, unchanged 1; Wilcoxon drops the 0, ties the two 50s (ranks 1.5, 1.5).
    expect(out.impact.n).toBe(3);
    expect(out.impact.mean).toBeCloseTo(100 / 3, 12);
    expect([out.impact.improved, out.impact.declined, out.impact.unchanged]).toEqual([2, 0, 1]);
    expect(out.impact.wilcoxon).toEqual({ n: 2, wPlus: 3, wMinus: 0, p: 0.5 });
    expect(out.impact.rankBiserial).toBe(1);
    // scipy.stats.t.interval(0.95, 2, loc=33.33, scale=28.8675/√3).
    expect(out.impact.ci95?.[0]).toBeCloseTo(-38.37754549582437, 8);
    expect(out.impact.dz).toBeCloseTo(2 / Math.sqrt(3), 12);
  });

  it('reads a BOM, CRLF, columns in any order, extra columns, and quoted fields with commas, quotes and line breaks', () => {
    const text =
      '\uFEFFanswer,item,phase,participant,note\r\n' +
      'a,i1,pre,"Doe, Jane","first, ""warm-up"""\r\n' +
      'b,i2,pre,"Doe, Jane","two\r\nlines"\r\n' +
      'a,i1,post,"Doe, Jane",\r\n' +
      'a,i2,post,"Doe, Jane",';
    const out = oracleTraining(MODULE, text);
    expect(out.participants).toEqual([{ participant: 'Doe, Jane', pre: 25, post: 50 }]);
  });

  it('has no participants and an empty impact for a header alone', () => {
    const out = oracleTraining(MODULE, 'participant,phase,item,answer\n');
    expect(out.participants).toEqual([]);
    expect(out.impact).toEqual({
      n: 0,
      mean: null,
      improved: 0,
      declined: 0,
      unchanged: 0,
      ci95: null,
      dz: null,
      wilcoxon: null,
      rankBiserial: null,
    });
  });

  it('rejects invalid rows, naming the line', () => {
    const header = 'participant,phase,item,answer';
    const bad = (text: string, line: number): void => {
      expect(() => oracleTraining(MODULE, text)).toThrow(new RegExp(`line ${line}\\b`));
    };
    bad(lines(header, 'p,pre,i1,a', 'p,pre,i9,a'), 3); // unknown item
    bad(lines(header, 'p,pre,i1,d'), 2); // unknown option
    bad(lines(header, 'p,Pre,i1,a'), 2); // phase is case-sensitive
    bad(lines(header, 'p,during,i1,a'), 2);
    bad(lines(header, ',pre,i1,a'), 2); // empty participant
    bad(lines(header, 'p,pre,i1,a', 'q,pre,i1,a', 'p,pre,i1,b'), 4); // duplicate of line 2
    bad(lines(header, 'p,pre,i1,a', 'p,pre,i1,b'), 2); // …and the message names both lines
    bad(lines(header, 'p,pre,i1'), 2); // too few fields
    bad(lines('participant,phase,answer', 'p,pre,a'), 1); // missing column
    bad(lines('participant,phase,item,answer,item', 'p,pre,i1,a,i1'), 1); // a required column twice
    bad(lines(header, '"p,pre,i1,a'), 2); // unterminated quote
    bad(lines(header, 'p"x,pre,i1,a'), 2); // quote inside an unquoted field
    bad(lines(header, '"p"x,pre,i1,a'), 2); // text after a closing quote
    bad(lines(header, '"multi\nline",pre,i1,a', 'p,pre,i9,a'), 4); // a quoted line break moves later lines down
    bad('', 1); // no header
  });

  it('accepts a skipped answer and a final line without a line end; skips empty lines', () => {
    const out = oracleTraining(MODULE, 'participant,phase,item,answer\n\np,pre,i1,\n\np,post,i1,a');
    expect(out.participants).toEqual([{ participant: 'p', pre: 0, post: 25 }]);
  });

  it('rejects a module that is not a valid knowledge check', () => {
    const text = lines('participant,phase,item,answer');
    expect(() => oracleTraining({ id: 'm', version: '1', items: [] }, text)).toThrow();
    expect(() =>
      oracleTraining(
        {
          id: 'm',
          version: '1',
          items: [
            {
              id: 'i',
              options: [
                { id: 'a', correct: true },
                { id: 'b', correct: true },
              ],
            },
          ],
        },
        text,
      ),
    ).toThrow();
  });
});

describe('oracle: RFC 4180 reader', () => {
  it('gives each record the line it starts on', () => {
    expect(oracleParseCsv('a,b\r\n"x\ny",z\n\nlast,"q""uote"')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', 'z'] },
      { line: 5, fields: ['last', 'q"uote'] },
    ]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(oracleParseCsv('a,,\n"",b\n')).toEqual([
      { line: 1, fields: ['a', '', ''] },
      { line: 2, fields: ['', 'b'] },
    ]);
  });

  it('rejects a lone carriage return', () => {
    expect(() => oracleParseCsv('a,b\rc,d\n')).toThrow(/line 1/);
  });
});
