import { count } from './io.js';
import {
  csvLine,
  DECIMALS,
  formatScore,
  levelFor,
  subjectOf,
  textFor,
  type Framework,
  type ScoreReport,
  type Stats,
} from '@kalaja/engine/files';

const org = (x: number | null) => formatScore(x, DECIMALS.organisation);
const cohort = (x: number | null) => formatScore(x, DECIMALS.cohort);
const percent = (x: number) => `${Math.round(x * 100)}%`;
const signed = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${cohort(x)}`);

/** Left-aligns the first `left` columns and right-aligns the rest. */
export function table(rows: string[][], left = 1): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
          return i < left ? cell + pad : pad + cell;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function statsLine(s: Stats): string {
  return `mean ${cohort(s.mean)} · median ${cohort(s.median)} · min ${cohort(s.min)} · max ${cohort(s.max)} · sd ${cohort(s.sd)}`;
}

/**
 * The score table for people: per round, each organisation's overall score with its band,
 * completeness and domain scores (1 decimal), then the cohort figures and the change
 * between rounds (2 decimals).
 */
export function scoreTable(fw: Framework, report: ScoreReport): string {
  const domains = fw.domains.map((d) => d.id);
  const rounds = report.rounds;
  const organisations = new Set(report.results.map((r) => r.organisation));
  const out: string[] = [];
  out.push(
    `${textFor(fw.title)} (${fw.id} ${fw.version}) · ${count(organisations.size, 'organisation')} · rounds: ${rounds.join(', ') || 'none'}`,
  );
  out.push(
    `${subjectOf(fw) === 'institution' ? `Institutions; scores in ${fw.scale === 100 ? 'percent' : `0–${fw.scale}`}; principle columns:` : `Scores on 0–${fw.scale}; domain columns:`} ${fw.domains.map((d) => `${d.id} = ${textFor(d.title)}`).join('; ')}`,
  );
  for (const round of rounds) {
    const c = report.cohort[round]!;
    const rows = [
      [subjectOf(fw) === 'institution' ? 'Institution' : 'Organisation', 'Overall', 'Level', 'Done', ...domains],
    ];
    for (const r of report.results.filter((x) => x.round === round)) {
      rows.push([
        r.organisation,
        org(r.overall),
        r.level ?? '–',
        percent(r.completeness),
        ...domains.map((d) => org(r.domains[d] ?? null)),
      ]);
    }
    const level = levelFor(fw, c.overall.mean);
    rows.push([
      'Cohort mean',
      cohort(c.overall.mean),
      level ? textFor(level.label) : '–',
      '',
      ...domains.map((d) => cohort(c.domains[d]?.mean ?? null)),
    ]);
    out.push('', `Round ${round} — ${count(c.n, 'organisation')}`, table(rows, 1), `Overall: ${statsLine(c.overall)}`);
  }
  for (const ch of report.change) {
    out.push('', `Change ${ch.from} → ${ch.to} — ${count(ch.n, 'organisation')} in both rounds`);
    const rows = [['', 'Mean change', 'Improved', 'Declined', 'Unchanged']];
    rows.push([
      'Overall',
      signed(ch.overall.mean),
      String(ch.overall.improved),
      String(ch.overall.declined),
      String(ch.overall.unchanged),
    ]);
    for (const d of fw.domains) {
      const x = ch.domains[d.id]!;
      rows.push([textFor(d.title), signed(x.mean), String(x.improved), String(x.declined), String(x.unchanged)]);
    }
    out.push(table(rows, 1));
  }
  return `${out.join('\n')}\n`;
}

/** One row per organisation and round, rounded for display, ready for a spreadsheet. */
export function scoreCsv(fw: Framework, report: ScoreReport): string {
  const domains = fw.domains.map((d) => d.id);
  const lines = [csvLine(['organisation', 'round', 'overall', 'level', 'completeness', ...domains])];
  for (const r of report.results) {
    const cells = [
      r.organisation,
      r.round,
      org(r.overall),
      r.level ?? '',
      formatScore(r.completeness, 2),
      ...domains.map((d) => org(r.domains[d] ?? null)),
    ];
    lines.push(
      csvLine(
        cells.map((c) => (c === '–' ? '' : c)),
        true,
      ),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
