/**
 * What a rendered report's text must hold whole, to show that no table cell broke a number or
 * a header word across lines: every number of every table cell, and every word of every
 * column header, as often as the layout has it. A number broken in one cell ("10" / ".0")
 * leaves one fewer whole "10.0" in the text than the layout put there.
 */
import type { Report } from '@kalaja/engine';
import { layoutReport, type Block } from '../../src/reports/blocks.js';

const NUMBER = /^[+-]?\d+(?:[.,]\d+)*%?$/;
/** Header words long enough that a break inside them would show (not "n", "SD", "#"). */
const WORD = /^\p{L}{4,}$/u;

function tables(blocks: Block[]): Extract<Block, { type: 'table' }>[] {
  return blocks.flatMap((b) => (b.type === 'table' ? [b] : b.type === 'group' ? tables(b.blocks) : []));
}

/** How many times each number and header word appears in the report's tables. */
export function tableTokens(report: Report): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (token: string) => counts.set(token, (counts.get(token) ?? 0) + 1);
  for (const t of tables(layoutReport(report).blocks)) {
    for (const c of t.columns) for (const w of c.label.split(/\s+/)) if (WORD.test(w)) add(w);
    for (const row of t.rows)
      for (const cell of row) {
        const text = typeof cell === 'string' ? cell : cell.text;
        if (NUMBER.test(text)) add(text);
      }
  }
  return counts;
}

/** The tokens the text holds fewer times than the tables do, with both counts; empty when all are whole. */
export function brokenTokens(text: string, expected: Map<string, number>): string[] {
  const found = new Map<string, number>();
  for (const token of text.split(/\s+/)) found.set(token, (found.get(token) ?? 0) + 1);
  return [...expected]
    .filter(([token, n]) => (found.get(token) ?? 0) < n)
    .map(([token, n]) => `${token} (${found.get(token) ?? 0} of ${n})`);
}
