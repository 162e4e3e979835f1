import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandsOf,
  formatNumber,
  formatPercent,
  formatSigned,
  levelIndex,
  pickText,
  roundHalfUp,
  shortLabel,
  textFor,
  toneOf,
  wrapLabel,
} from '../src/display.js';

/**
 * The display helpers that the web app and the reports both print with: what a person reads
 * must follow the scoring contract's rounding (half up on the decimal form) everywhere, and
 * never show a sign on a figure that rounds to zero.
 */

// Scores and changes: on a scale of at most 100, so no digit grouping comes in.
const finite = fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const decimals = fc.integer({ min: 0, max: 3 });

describe('numbers for display', () => {
  it('round half up on the decimal form, as the scoring contract says', () => {
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(formatNumber(8.325, 2)).toBe('8.33');
    expect(formatNumber(1.45, 1)).toBe('1.5');
    expect(formatNumber(null, 1)).toBe('–');
    expect(formatNumber(Number.NaN, 1)).toBe('–');
  });

  it('print the same digits as the rounded value, in English', () => {
    fc.assert(
      fc.property(finite, decimals, (x, d) => {
        expect(formatNumber(x, d)).toBe(
          roundHalfUp(x, d)
            .toFixed(d)
            .replace(/^-(0\.?0*)$/, '$1'),
        );
      }),
    );
  });

  it('never print "-0": a value that rounds to zero reads as zero, unsigned', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.00499, max: 0.00499, noNaN: true }), (x) => {
        expect(formatNumber(x, 2)).toBe('0.00');
        expect(formatSigned(x, 2)).toBe('0.00');
      }),
    );
    expect(formatNumber(-0, 1)).toBe('0.0');
  });

  it('sign a change by its rounded value, with the magnitude printed as a number', () => {
    fc.assert(
      fc.property(finite, decimals, (x, d) => {
        const r = roundHalfUp(x, d);
        const text = formatSigned(x, d);
        const magnitude = formatNumber(Math.abs(x), d);
        expect(text).toBe(r > 0 ? `+${magnitude}` : r < 0 ? `-${magnitude}` : magnitude);
      }),
    );
    expect(formatSigned(-0.355, 2)).toBe('-0.36');
    expect(formatSigned(0.61, 2)).toBe('+0.61');
  });

  it('write numbers in the reader’s language', () => {
    expect(formatNumber(3.44, 2, 'sq')).toBe('3,44');
    expect(formatSigned(-0.5, 1, 'sr-Latn')).toBe('-0,5');
    expect(formatPercent(0.5, 'en')).toBe('50%');
  });

  it('round shares to whole percentages half up on the decimal form of the share', () => {
    // 0.285 × 100 is 28.499999999999996 in binary: rounding that would give 28%.
    expect(formatPercent(0.285)).toBe('29%');
    expect(formatPercent(0.995)).toBe('100%');
    expect(formatPercent(undefined)).toBe('–');
  });
});

describe('levels and tones', () => {
  const levels = [
    { min: 0, label: 'Initial' },
    { min: 2.5, label: 'Developing' },
    { min: 5, label: 'Defined' },
    { min: 7.5, label: 'Managed' },
  ];

  it('put a score in the last level whose lower bound it reaches', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 11, noNaN: true }), (score) => {
        const i = levelIndex(levels, score);
        const expected = levels.map((l) => score >= l.min).lastIndexOf(true);
        expect(i).toBe(expected);
      }),
    );
    expect(levelIndex(levels, 2.5)).toBe(1);
    expect(levelIndex(levels, null)).toBe(-1);
    expect(levelIndex([], 3)).toBe(-1);
  });

  it('spread the bands over five tones, the weakest and the strongest at the ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (count) => {
        const tones = Array.from({ length: count }, (_, i) => toneOf(i, count));
        expect(tones.at(-1)).toBe(4);
        if (count > 1) expect(tones[0]).toBe(0);
        for (let i = 1; i < count; i++) expect(tones[i]!).toBeGreaterThanOrEqual(tones[i - 1]!);
        for (const t of tones) expect(t).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(toneOf(-1, 4)).toBe(-1);
  });

  it('cut the scale into bands that meet end to end, from the levels or in five parts', () => {
    const withLevels = bandsOf(levels, 10);
    expect(withLevels.map((b) => [b.from, b.to, b.label, b.tone])).toEqual([
      [0, 2.5, 'Initial', 0],
      [2.5, 5, 'Developing', 1],
      [5, 7.5, 'Defined', 3],
      [7.5, 10, 'Managed', 4],
    ]);
    const plain = bandsOf([], 100);
    expect(plain.map((b) => [b.from, b.to])).toEqual([
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 100],
    ]);
    expect(plain.every((b) => b.label === null)).toBe(true);
  });
});

describe('texts in the reader’s language', () => {
  const title = { en: 'Backups', sq: 'Kopjet rezervë', sr: 'Rezervne kopije' };

  it('fall back through the language to English, and say which language they are in', () => {
    expect(pickText(title, 'sq')).toEqual({ text: 'Kopjet rezervë', lang: 'sq' });
    expect(pickText(title, 'sr-Latn')).toEqual({ text: 'Rezervne kopije', lang: 'sr' });
    expect(pickText({ en: 'Backups' }, 'sr-Cyrl')).toEqual({ text: 'Backups', lang: 'en' });
    expect(pickText('Backups', 'sq')).toEqual({ text: 'Backups', lang: 'en' });
    expect(pickText(undefined, 'sq')).toEqual({ text: '', lang: 'sq' });
    expect(textFor(title, 'sr-Latn')).toBe('Rezervne kopije');
  });
});

describe('chart labels', () => {
  const words = fc.array(fc.stringMatching(/^[A-Za-zëçšđž]{1,16}$/), { minLength: 1, maxLength: 8 });

  it('wrap at spaces without losing or reordering a word, each line as full as the width allows', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 4, max: 30 }), (ws, width) => {
        const lines = wrapLabel(ws.join(' '), width).split('\n');
        expect(lines.join(' ')).toBe(ws.join(' '));
        for (const [i, line] of lines.entries()) {
          // A line is over the width only when it is one long word.
          if (line.length > width) expect(line).not.toContain(' ');
          // And no line could have taken the next line's first word.
          const next = lines[i + 1]?.split(' ')[0];
          if (next !== undefined) expect(line.length + 1 + next.length).toBeGreaterThan(width);
        }
      }),
    );
    expect(wrapLabel('Identity and access management', 14)).toBe('Identity and\naccess\nmanagement');
  });

  it('shorten a title to its first word, marking the cut', () => {
    expect(shortLabel('Devices and software')).toBe('Devices…');
    expect(shortLabel('Governance, roles and policy')).toBe('Governance…');
    expect(shortLabel('Backups')).toBe('Backups');
  });
});
