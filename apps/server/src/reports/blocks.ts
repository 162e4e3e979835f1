/**
 * The layout shared by every format: a report model becomes a list of blocks (cover,
 * headings, paragraphs, key figures, tables, charts, recommendation cards), and each renderer
 * (HTML, PDF, DOCX) only maps blocks to its own format. What a report says and in which order
 * is decided here once.
 */
import {
  capitalise,
  reportText,
  type ChangeFigures,
  type Figure,
  type PairedFigures,
  type OrganisationReport,
  type ProgrammeReport,
  type Report,
} from '@kalaja/engine';
import type { ChartSpec } from './charts.js';
import { opennessLayout } from './openness-layout.js';

export type Align = 'left' | 'right' | 'center';

export interface Column {
  label: string;
  align?: Align;
  /** Relative width; columns without one share what is left. */
  width?: number;
  /** Columns with the same band stay in the same table when a wide table is split. */
  band?: string;
}

export type Cell = string | { text: string; bold?: boolean; muted?: boolean; tone?: 'up' | 'down' };

export type Block =
  | {
      type: 'cover';
      eyebrow: string;
      title: string;
      facts: { label: string; value: string }[];
      note: string;
      confidential: boolean;
    }
  | { type: 'heading'; level: 1 | 2 | 3; text: string; pageBreak?: boolean }
  | { type: 'paragraph'; text: string; tone?: 'lead' | 'muted' }
  | { type: 'figures'; items: { label: string; value: string; detail?: string }[] }
  | { type: 'table'; columns: Column[]; rows: Cell[][]; size?: 'normal' | 'small'; emphasiseFirstRow?: boolean }
  | { type: 'chart'; chart: ChartSpec; caption?: string }
  | { type: 'card'; eyebrow: string; title: string; text: string; footer: string }
  | { type: 'list'; items: string[] }
  /** Blocks kept together on one page where the format can (a heading with its short table). */
  | { type: 'group'; blocks: Block[] };

/** The running header text and the document title, for renderers that have them. */
export interface Layout {
  title: string;
  running: string;
  confidential: boolean;
  /** A mark for every page of a confidential report ("Confidential"). */
  badge?: string;
  /** "Page {page} of {pages}" in the report's language. */
  pageLabel: string;
  lang: string;
  blocks: Block[];
}

/** The threat landscape's blocks: the counts per breakdown, then the baseline beside them. */
function threatsBlocks(
  b: Block[],
  t: ReturnType<typeof reportText>,
  x: NonNullable<ProgrammeReport['threats']>,
  pageBreak = true,
): void {
  b.push({ type: 'heading', level: 1, text: x.title, pageBreak });
  b.push({ type: 'paragraph', text: x.intro, tone: 'muted' });
  b.push({ type: 'paragraph', text: x.summary, tone: 'lead' });
  for (const g of x.groups)
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: g.label, width: 4 },
        { label: t.t('label.incidents'), align: 'right', width: 1.3 },
        { label: t.t('label.organisations'), align: 'right', width: 1.3 },
        ...(g.share ? [{ label: t.t('label.shareOfOrganisations'), align: 'right' as const, width: 1.5 }] : []),
      ],
      rows: g.rows.map((row) => [row.label, row.incidents, row.organisations, ...(g.share ? [row.share] : [])]),
    });
  b.push({ type: 'paragraph', text: x.baselineIntro, tone: 'muted' });
  if (x.baseline.length > 0)
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.domain'), width: 4 },
        { label: t.t('label.mean'), align: 'right', width: 1.3 },
        { label: t.t('label.organisations'), align: 'right', width: 1.3 },
      ],
      rows: x.baseline.map((d) => [d.label, d.score, d.n]),
    });
  if (x.survey) {
    b.push({ type: 'heading', level: 2, text: x.survey.title });
    b.push({ type: 'paragraph', text: x.survey.intro, tone: 'muted' });
    for (const q of x.survey.questions) {
      b.push({ type: 'heading', level: 3, text: q.text });
      b.push({ type: 'paragraph', text: q.answered, tone: 'muted' });
      if (q.rows.length > 0)
        b.push({
          type: 'table',
          size: 'small',
          columns: [
            { label: t.t('label.surveyAnswer'), width: 4 },
            { label: t.t('label.organisations'), align: 'right', width: 1.3 },
            { label: t.t('label.shareOfOrganisations'), align: 'right', width: 1.5 },
          ],
          rows: q.rows.map((r) => [r.label, r.count, r.share]),
        });
      if (q.summary) b.push({ type: 'paragraph', text: q.summary });
      // A copy: a renderer may rework a list's items in place.
      if (q.texts.length > 0) b.push({ type: 'list', items: [...q.texts] });
    }
  }
}

/** The `threats` report: the programme's cover under the section's title, then the landscape. */
function threatsLayout(r: ProgrammeReport, x: NonNullable<ProgrammeReport['threats']>): Layout {
  const t = reportText(r.locale);
  const b: Block[] = [
    { type: 'cover', eyebrow: r.title, title: x.title, facts: r.cover.facts, note: r.cover.note, confidential: false },
  ];
  threatsBlocks(b, t, x);
  return {
    title: `${r.title} · ${x.title}`,
    running: `${r.title} · ${x.title}`,
    confidential: false,
    pageLabel: t.t('report.page'),
    lang: r.locale,
    blocks: b,
  };
}

/** An organisation report lists this many of its gaps, largest first; the model holds them all. */
export const GAPS_SHOWN = 25;

export function layoutReport(report: Report): Layout {
  const layout =
    report.kind === 'programme'
      ? programmeLayout(report)
      : report.kind === 'openness'
        ? opennessLayout(report)
        : organisationLayout(report);
  return { ...layout, blocks: fitTables(layout.blocks) };
}

/**
 * Table geometry shared by the PDF and DOCX renderers, in points: the text column of an A4
 * page with its side margins (PDF 479 pt, DOCX 482 pt), the largest cell and header font sizes
 * either renderer uses, and the padding of a cell (left and right together).
 */
export const TABLE = { width: 479, cell: { normal: 9.5, small: 8.5 }, header: 7.5, padding: 10 } as const;

/**
 * The advance width of text in em, estimated on the wide side: close to DejaVu Sans, the
 * sans-serif a plain Linux box falls back to, which is wider than Noto Sans (the PDF's font)
 * and Arial or Liberation Sans (the DOCX's). A column measured with it is wide enough for its
 * words in every one of them.
 */
export function textEm(text: string, bold = false): number {
  let em = 0;
  for (const c of text) {
    if (/[ilj.,:;'’|!I ]/.test(c)) em += 0.34;
    else if (/[ftr()[\]-]/.test(c)) em += 0.43;
    else if (/[mwMWшщжюмфыЖШЩЮМФЫ]/.test(c)) em += 1;
    else if (/[0-9]/.test(c)) em += 0.64;
    else if (/[+−–—#%]/.test(c)) em += 0.84;
    else if (c !== c.toLowerCase()) em += 0.74;
    else em += 0.63;
  }
  return bold ? em * 1.08 : em;
}

const cellText = (c: Cell) => (typeof c === 'string' ? c : c.text);
const cellBold = (c: Cell) => typeof c !== 'string' && c.bold === true;

/**
 * The narrowest each column may be, in points, so that no header word and no word or number
 * of a cell is broken inside: headers wrap only at spaces, and a cell's text wraps only at
 * spaces (a number has none). A single word wider than 40% of the page may still break.
 */
export function minimumWidths(b: Extract<Block, { type: 'table' }>): number[] {
  const size = TABLE.cell[b.size === 'small' ? 'small' : 'normal'];
  const longest = (text: string, fontSize: number, bold: boolean) =>
    Math.max(0, ...text.split(/\s+/).map((w) => textEm(w, bold) * fontSize));
  return b.columns.map((c, j) => {
    let w = longest(c.label, TABLE.header, true);
    for (const row of b.rows) {
      const cell = row[j];
      if (cell !== undefined)
        w = Math.max(w, longest(cellText(cell), size, cellBold(cell) || (b.emphasiseFirstRow ?? false)));
    }
    return Math.min(w, TABLE.width * 0.4) + TABLE.padding;
  });
}

/**
 * Column widths in points that add up to `TABLE.width`: each column its relative share, but
 * never less than its minimum (the others give up what that takes, in proportion); null when
 * the minimums alone do not fit, and the table must be split (`fitTables`).
 */
export function columnWidths(b: Extract<Block, { type: 'table' }>, total: number = TABLE.width): number[] | null {
  const mins = minimumWidths(b);
  if (mins.reduce((a, x) => a + x, 0) > total + 0.01) return null;
  const weights = b.columns.map((c) => c.width ?? 1);
  const fixed = new Set<number>();
  for (;;) {
    const rest = total - [...fixed].reduce((a, i) => a + mins[i]!, 0);
    const weight = weights.reduce((a, w, i) => (fixed.has(i) ? a : a + w), 0);
    const widths = weights.map((w, i) => (fixed.has(i) ? mins[i]! : (rest * w) / weight));
    const short = widths.findIndex((w, i) => !fixed.has(i) && w < mins[i]!);
    if (short < 0) return widths;
    fixed.add(short);
  }
}

/**
 * Tables too wide for the page — a framework with many domains gives one column per domain —
 * become several tables one under the other, each repeating the first column (what a row is)
 * and taking as many of the other columns, in order and keeping bands together, as fit.
 */
export function fitTables(blocks: Block[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b.type === 'group') return [{ ...b, blocks: fitTables(b.blocks) }];
    if (b.type !== 'table' || b.columns.length < 3 || columnWidths(b) !== null) return [b];
    const mins = minimumWidths(b);
    const bands: number[][] = [];
    b.columns.forEach((c, j) => {
      if (j === 0) return;
      const last = bands[bands.length - 1];
      if (last && c.band !== undefined && b.columns[last[0]!]!.band === c.band) last.push(j);
      else bands.push([j]);
    });
    const parts: number[][] = [];
    let part: number[] = [];
    let used = mins[0]!;
    for (const band of bands) {
      const need = band.reduce((a, j) => a + mins[j]!, 0);
      if (part.length > 0 && used + need > TABLE.width) {
        parts.push(part);
        part = [];
        used = mins[0]!;
      }
      part.push(...band);
      used += need;
    }
    if (part.length > 0) parts.push(part);
    return parts.map((cols) => ({
      ...b,
      columns: [0, ...cols].map((j) => b.columns[j]!),
      rows: b.rows.map((row) => [0, ...cols].map((j) => row[j] ?? '')),
    }));
  });
}

export const cellOf = (f: Figure, opts: { bold?: boolean } = {}): Cell => {
  if (f.withheld) return { text: f.text, muted: true };
  const tone =
    f.kind === 'change' && f.rounded !== null ? (f.rounded > 0 ? 'up' : f.rounded < 0 ? 'down' : undefined) : undefined;
  return { text: f.text, ...(opts.bold ? { bold: true } : {}), ...(tone ? { tone } : {}) };
};
const count = (n: number | null, withheldText: string): Cell =>
  n === null ? { text: withheldText, muted: true } : String(n);

function programmeLayout(r: ProgrammeReport): Layout {
  if (r.focus === 'threats' && r.threats) return threatsLayout(r, r.threats);
  const t = reportText(r.locale);
  const b: Block[] = [];
  const observers = r.audience === 'observers';
  const scale = r.framework.scale;
  const withheldText = t.t('label.withheld');

  b.push({
    type: 'cover',
    eyebrow: r.cover.subtitle,
    title: r.cover.title,
    facts: r.cover.facts,
    note: r.cover.note,
    confidential: false,
  });

  // Summary
  b.push({ type: 'heading', level: 1, text: r.summary.title, pageBreak: true });
  const firstRound = r.summary.rounds[0];
  const lastRound = r.summary.rounds[r.summary.rounds.length - 1];
  const lastChange = r.summary.changes[r.summary.changes.length - 1];
  const figures: { label: string; value: string; detail?: string }[] = [];
  for (const round of r.summary.rounds.length > 2 ? [firstRound!, lastRound!] : r.summary.rounds) {
    figures.push({
      label: `${t.t('label.cohortMean')} · ${round.round}`,
      value: round.overall.mean.text,
      detail: t.count('organisations', round.overall.n),
    });
  }
  if (lastChange) {
    const c = lastChange.overall;
    figures.push({
      label: t.t('label.meanChange'),
      value: c.mean.text,
      detail:
        c.improved === null
          ? withheldText
          : `${c.improved} ${t.t('label.improved').toLowerCase()}, ${c.declined} ${t.t('label.declined').toLowerCase()}, ${c.unchanged} ${t.t('label.unchanged').toLowerCase()}`,
    });
  }
  b.push({ type: 'figures', items: figures });
  r.summary.paragraphs.forEach((text, i) =>
    b.push({ type: 'paragraph', text, ...(i === 0 ? { tone: 'lead' as const } : {}) }),
  );
  b.push({
    type: 'table',
    columns: [
      { label: t.t('label.round'), width: 2.2 },
      { label: t.t('label.n'), align: 'right' },
      { label: t.t('label.mean'), align: 'right' },
      { label: t.t('label.median'), align: 'right' },
      { label: t.t('label.min'), align: 'right' },
      { label: t.t('label.max'), align: 'right' },
      { label: t.t('label.sd'), align: 'right' },
    ],
    rows: r.summary.rounds.map((x) => [
      capitalise(x.round),
      String(x.overall.n),
      cellOf(x.overall.mean, { bold: true }),
      cellOf(x.overall.median),
      cellOf(x.overall.min),
      cellOf(x.overall.max),
      cellOf(x.overall.sd),
    ]),
  });
  if (r.summary.changes.length > 0) {
    b.push({
      type: 'table',
      columns: [
        { label: t.t('label.change'), width: 2.2 },
        { label: t.t('label.n'), align: 'right' },
        { label: t.t('label.meanChange'), align: 'right' },
        { label: t.t('label.improved'), align: 'right' },
        { label: t.t('label.declined'), align: 'right' },
        { label: t.t('label.unchanged'), align: 'right' },
      ],
      rows: r.summary.changes.map((c) => [
        `${capitalise(c.from)} – ${c.to}`,
        String(c.overall.n),
        cellOf(c.overall.mean, { bold: true }),
        count(c.overall.improved, withheldText),
        count(c.overall.declined, withheldText),
        count(c.overall.unchanged, withheldText),
      ]),
    });
  }

  // Methodology
  b.push({ type: 'heading', level: 1, text: r.methodology.title, pageBreak: true });
  for (const text of r.methodology.paragraphs) b.push({ type: 'paragraph', text });
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      { label: t.t('label.domain'), width: 4 },
      { label: t.t('label.questions'), align: 'right' },
      { label: t.t('label.weight'), align: 'right' },
      { label: t.t('label.critical'), width: 4 },
    ],
    rows: r.framework.domains.map((d) => {
      const caps = r.methodology.critical.filter((c) => c.domain === d.id);
      return [
        d.title,
        String(d.questions),
        t.number(d.weight, Number.isInteger(d.weight) ? 0 : 1),
        caps.length > 0
          ? caps
              .map((c) => `${capitalise(c.name)} (${t.t('label.cap').toLowerCase()} ${t.number(c.cap, 0)})`)
              .join('; ')
          : { text: '–', muted: true },
      ];
    }),
  });

  // Findings
  b.push({ type: 'heading', level: 1, text: r.findings.title, pageBreak: true });
  for (const text of r.findings.paragraphs) b.push({ type: 'paragraph', text });
  const latestIndex = r.rounds.length - 1;
  if (latestIndex >= 0) {
    b.push({
      type: 'chart',
      chart: {
        kind: 'range',
        categories: r.findings.domains.map((d) => d.title),
        rows: r.findings.domains.map((d) => {
          const s = d.rounds[latestIndex]!.stats;
          return {
            min: s.min.value,
            max: s.max.value,
            mean: s.mean.value,
            median: s.median.value,
            meanText: s.mean.text,
          };
        }),
        max: scale,
        labels: { range: t.t('label.range'), mean: t.t('label.mean'), median: t.t('label.median') },
      },
      caption: t.t('findings.chartCaption', { round: r.findings.round }),
    });
  }
  if (latestIndex >= 0) {
    const firstName = r.rounds[0]!;
    const latestName = r.rounds[latestIndex]!;
    const both = latestIndex > 0;
    b.push({ type: 'heading', level: 3, text: `${t.t('section.distribution')} · ${latestName}` });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.domain'), width: 4.2 },
        { label: t.t('label.n'), align: 'right', width: 0.6 },
        ...(both ? [{ label: `${t.t('label.mean')} · ${firstName}`, align: 'right' as const, width: 1.5 }] : []),
        { label: `${t.t('label.mean')} · ${latestName}`, align: 'right', width: 1.5 },
        { label: t.t('label.median'), align: 'right' },
        { label: t.t('label.min'), align: 'right' },
        { label: t.t('label.max'), align: 'right' },
        { label: t.t('label.sd'), align: 'right', width: 0.7 },
      ],
      rows: r.findings.domains.map((d) => {
        const s = d.rounds[latestIndex]!.stats;
        return [
          d.title,
          String(s.n),
          ...(both ? [cellOf(d.rounds[0]!.stats.mean)] : []),
          cellOf(s.mean, { bold: true }),
          cellOf(s.median),
          cellOf(s.min),
          cellOf(s.max),
          cellOf(s.sd),
        ];
      }),
    });
  }
  b.push({ type: 'heading', level: 2, text: r.findings.gapsTitle });
  b.push({ type: 'paragraph', text: r.findings.gapsIntro, tone: 'muted' });
  if (r.findings.gaps.length > 0) {
    const firstName = r.rounds[0]!;
    const showFirst = r.rounds.length > 1;
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.question'), width: 6 },
        { label: t.t('label.domain'), width: 2.4 },
        { label: capitalise(r.findings.round), align: 'right', width: 1.8 },
        ...(showFirst ? [{ label: capitalise(firstName), align: 'right' as const, width: 1.8 }] : []),
      ],
      rows: r.findings.gaps.map((g) => {
        const firstR = g.rounds[0]!;
        return [
          g.critical ? `${g.text} *` : g.text,
          { text: g.domainTitle, muted: true },
          { text: g.latestText, bold: true },
          ...(showFirst
            ? [
                firstR.count === null
                  ? { text: withheldText, muted: true }
                  : t.t('findings.gapCount', { count: firstR.count, of: firstR.of }),
              ]
            : []),
        ];
      }),
    });
    if (r.findings.gaps.some((g) => g.critical))
      b.push({ type: 'paragraph', text: t.t('findings.criticalLegend'), tone: 'muted' });
  }

  // Change
  b.push({ type: 'heading', level: 1, text: r.change.title, pageBreak: true });
  for (const text of r.change.paragraphs) b.push({ type: 'paragraph', text });
  for (const c of r.change.sections) {
    if (r.change.sections.length > 1) b.push({ type: 'heading', level: 2, text: `${capitalise(c.from)} – ${c.to}` });
    b.push({
      type: 'chart',
      chart: {
        kind: 'bars',
        categories: c.domains.map((d) => d.title),
        series: [
          { name: c.from, values: c.domains.map((d) => d.before.value), texts: c.domains.map((d) => d.before.text) },
          { name: c.to, values: c.domains.map((d) => d.after.value), texts: c.domains.map((d) => d.after.text) },
        ],
        max: scale,
      },
      caption: t.t('change.chartCaption', { from: c.from, to: c.to }),
    });
    b.push({
      type: 'table',
      size: 'small',
      emphasiseFirstRow: true,
      columns: [
        { label: t.t('label.domain'), width: 3.4 },
        { label: capitalise(c.from), align: 'right', width: 1.5 },
        { label: capitalise(c.to), align: 'right', width: 1.5 },
        { label: t.t('label.meanChange'), align: 'right', width: 1.5 },
        { label: t.t('label.improved'), align: 'right', width: 1.2 },
        { label: t.t('label.declined'), align: 'right', width: 1.2 },
        { label: t.t('label.unchanged'), align: 'right', width: 1.3 },
      ],
      rows: [c.overall, ...c.domains].map((d, i) => [
        i === 0 ? { text: d.title, bold: true } : d.title,
        cellOf(d.before),
        cellOf(d.after),
        cellOf(d.change.mean, { bold: true }),
        count(d.change.improved, withheldText),
        count(d.change.declined, withheldText),
        count(d.change.unchanged, withheldText),
      ]),
    });
    // The overall change in plain words, and what it can and cannot show, beside the figures.
    for (const text of c.paragraphs) b.push({ type: 'paragraph', text });
    if (c.limits.length > 0) {
      b.push({ type: 'paragraph', text: t.t('change.limits'), tone: 'muted' });
      // A copy: pdfmake writes into the arrays it lays out, and the HTML preview renders the same model after it.
      b.push({ type: 'list', items: [...c.limits] });
    }
  }

  // Training impact
  trainingBlocks(b, r);

  // Technical findings across the cohort: counts by severity, target and status; the time to fix.
  if (r.technicalFindings) {
    const f = r.technicalFindings;
    b.push({ type: 'heading', level: 1, text: f.title, pageBreak: true });
    b.push({ type: 'paragraph', text: f.intro, tone: 'muted' });
    for (const g of f.groups)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: g.label, width: 4 },
          { label: t.t('label.findings'), align: 'right', width: 1.5 },
        ],
        rows: g.rows.map((row) => [row.label, row.count]),
      });
    b.push({ type: 'paragraph', text: f.fix, tone: 'lead' });
  }

  // Digital threats: the incident logs counted over the period, beside the baseline (issue 17).
  if (r.threats) threatsBlocks(b, t, r.threats);

  // Plans: what the organisations' plans delivered, and the gaps left (the team's edition only).
  if (r.plans) {
    const p = r.plans;
    b.push({ type: 'heading', level: 1, text: p.title, pageBreak: true });
    b.push({ type: 'paragraph', text: p.intro, tone: 'muted' });
    for (const text of p.paragraphs) b.push({ type: 'paragraph', text });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.kind'), width: 3 },
        { label: t.t('label.status.done'), align: 'right', width: 1.3 },
        { label: t.t('label.status.in_progress'), align: 'right', width: 1.3 },
        { label: t.t('label.status.planned'), align: 'right', width: 1.3 },
        { label: t.t('label.status.dropped'), align: 'right', width: 1.3 },
      ],
      rows: p.byKind.map((k) => [
        k.label,
        { text: String(k.done), bold: true },
        String(k.inProgress),
        String(k.planned),
        { text: String(k.dropped), muted: true },
      ]),
    });
    b.push({ type: 'paragraph', text: t.t('plans.byDomainIntro'), tone: 'muted' });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.domain'), width: 4 },
        { label: t.t('label.status.done'), align: 'right', width: 1.3 },
        { label: t.t('label.status.in_progress'), align: 'right', width: 1.3 },
        { label: t.t('label.organisationsDone'), align: 'right', width: 2 },
      ],
      rows: p.byDomain.map((d) => [
        d.title,
        { text: String(d.done), bold: true },
        String(d.inProgress),
        String(d.organisations),
      ]),
    });
    b.push({ type: 'heading', level: 2, text: p.unaddressedTitle });
    b.push({ type: 'paragraph', text: p.unaddressedIntro, tone: p.unaddressed.length > 0 ? undefined : 'muted' });
    if (p.unaddressed.length > 0)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('label.question'), width: 5.5 },
          { label: t.t('label.domain'), width: 2.5 },
          { label: t.t('label.withoutPlan'), align: 'right', width: 2 },
        ],
        rows: p.unaddressed.map((g) => [
          g.text,
          { text: g.domainTitle, muted: true },
          { text: String(g.organisations), bold: true },
        ]),
      });
  }

  // Recommendations
  b.push({ type: 'heading', level: 1, text: r.recommendations.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.recommendations.intro });
  r.recommendations.items.forEach((rec, i) => {
    b.push({
      type: 'card',
      eyebrow: `${i + 1} · ${t.t(`label.priority.${rec.priority}`)}`,
      title: rec.title,
      text: rec.text,
      footer:
        rec.review === 'added'
          ? t.t('rec.added')
          : `${t.t('label.rule')}: ${rec.rule}${rec.review === 'edited' ? ` · ${t.t('rec.edited')}` : ''}`,
    });
  });
  b.push({
    type: 'group',
    blocks: [
      { type: 'heading', level: 2, text: r.recommendations.rulesTitle },
      {
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('label.rule'), width: 1.6 },
          { label: t.t('label.trigger'), width: 6 },
        ],
        rows: r.recommendations.rules.map((rule) => [{ text: rule.id, bold: true }, rule.text]),
      },
    ],
  });

  // Annex
  b.push({ type: 'heading', level: 1, text: r.annex.title, pageBreak: true });
  for (const text of r.annex.paragraphs)
    b.push({ type: 'paragraph', text, ...(observers ? { tone: 'muted' as const } : {}) });
  for (const note of r.notes)
    if (!r.annex.paragraphs.includes(note)) b.push({ type: 'paragraph', text: note, tone: 'muted' });
  if (r.annex.rows.length > 0) {
    const multi = r.rounds.length > 1;
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.organisation'), width: 2.2 },
        ...r.rounds.flatMap((round) => [
          { label: capitalise(round), align: 'right' as const, width: 1.6, band: round },
          { label: t.t('label.level'), width: 1.3, band: round },
          { label: t.t('label.completeness'), align: 'right' as const, width: 1.1, band: round },
        ]),
        ...(multi ? [{ label: t.t('label.change'), align: 'right' as const, width: 1.1 }] : []),
      ],
      rows: r.annex.rows.map((row) => [
        row.pseudonym,
        ...row.rounds.flatMap((x) =>
          x === null
            ? ['–', '–', '–']
            : [cellOf(x.overall, { bold: true }), { text: x.level ?? '–', muted: true }, cellOf(x.completeness)],
        ),
        ...(multi ? [cellOf(row.change)] : []),
      ]),
    });
    const legend = r.framework.domains.map((d, i) => `${i + 1} ${d.title}`).join(' · ');
    b.push({ type: 'paragraph', text: `${r.annex.domainsIntro} ${legend}.`, tone: 'muted' });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.organisation'), width: 2.6 },
        ...r.framework.domains.map((_, i) => ({ label: String(i + 1), align: 'right' as const })),
      ],
      rows: r.annex.rows.map((row) => [row.pseudonym, ...row.domains.map((f) => cellOf(f))]),
    });
  }

  return {
    title: r.title,
    running: `${r.title} · ${r.cover.subtitle}`,
    confidential: false,
    pageLabel: t.t('report.page'),
    lang: r.locale,
    blocks: b,
  };
}

/**
 * The training impact section: the key figures, the plain words, then sessions and attendance,
 * knowledge before and after with the paired change, the modules that ran more than once,
 * confidence and reaction, the follow-up, the limits, and — the team's edition only — each
 * organisation beside its own change.
 */
function trainingBlocks(b: Block[], r: ProgrammeReport): void {
  const t = reportText(r.locale);
  const tr = r.training;
  const withheldText = t.t('label.withheld');
  const observers = r.audience === 'observers';
  b.push({ type: 'heading', level: 1, text: tr.title, pageBreak: tr.state === 'recorded' });
  if (tr.state === 'none' || !tr.totals) {
    for (const text of tr.paragraphs) b.push({ type: 'paragraph', text, tone: 'muted' });
    return;
  }
  const totals = tr.totals;
  const interval = (c: ChangeFigures): Cell =>
    c.ci95
      ? t.t('training.range', { low: c.ci95[0].text, high: c.ci95[1].text })
      : { text: observers && c.n >= 2 ? withheldText : '–', muted: true };
  const knowledgeCells = (k: PairedFigures): Cell[] => [
    String(k.pairs),
    cellOf(k.pre),
    cellOf(k.post),
    cellOf(k.change.mean, { bold: true }),
    interval(k.change),
  ];
  const knowledgeColumns: Column[] = [
    { label: t.t('label.pairs'), align: 'right', width: 0.9 },
    { label: t.t('label.knowledgeBefore'), align: 'right', width: 1.4 },
    { label: t.t('label.knowledgeAfter'), align: 'right', width: 1.4 },
    { label: t.t('label.change'), align: 'right', width: 1.2 },
    { label: t.t('label.interval'), align: 'right', width: 2.2 },
  ];

  const k = totals.knowledge;
  b.push({
    type: 'figures',
    items: [
      {
        label: t.t('label.sessions'),
        value: t.int(totals.sessions),
        detail: t.plural('count.modules', tr.modules.length, { n: tr.modules.length }),
      },
      {
        label: t.t('label.participants'),
        value: t.int(totals.participants),
        ...(totals.registration !== null
          ? { detail: `${t.t('label.attended')}: ${t.t('training.attendedOf', totals.registration)}` }
          : {}),
      },
      {
        label: t.t('label.organisationsReached'),
        value: t.t('training.reachedOf', { reached: totals.organisationsReached, cohort: totals.cohort }),
      },
      {
        label: t.t('label.knowledgeChange'),
        value: k.change.mean.text,
        // Words, not an arrow: the report's font has no glyph for one.
        detail: `${t.t('label.before')} ${k.pre.text} · ${t.t('label.after')} ${k.post.text} · ${t.count('participants', k.pairs)}`,
      },
    ],
  });
  tr.paragraphs.forEach((text, i) =>
    b.push({ type: 'paragraph', text, ...(i === 0 ? { tone: 'lead' as const } : {}) }),
  );

  b.push({ type: 'heading', level: 2, text: t.t('training.sessionsTitle') });
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      { label: t.t('label.session'), width: 4 },
      { label: t.t('label.sessionDate'), width: 2 },
      { label: t.t('label.attended'), align: 'right', width: 1.4 },
      { label: t.t('label.organisations'), align: 'right', width: 1.4 },
    ],
    rows: tr.sessions.map((s) => [
      s.title,
      { text: s.date ?? '–', muted: true },
      s.registered === null
        ? String(s.participants)
        : t.t('training.attendedOf', { attended: s.participants, registered: s.registered }),
      String(s.organisations),
    ]),
  });

  b.push({ type: 'heading', level: 2, text: t.t('training.knowledgeTitle') });
  b.push({
    type: 'table',
    size: 'small',
    emphasiseFirstRow: true,
    columns: [{ label: t.t('label.session'), width: 4 }, ...knowledgeColumns],
    rows: [
      [{ text: t.t('label.overall'), bold: true }, ...knowledgeCells(k)],
      ...tr.sessions.map((s) => [s.title, ...knowledgeCells(s.knowledge)]),
    ],
  });

  // A module that ran more than once gets its own row over all its sessions; otherwise the
  // sessions' rows already say it.
  if (tr.modules.some((m) => m.sessions > 1)) {
    b.push({ type: 'heading', level: 2, text: t.t('training.modulesTitle') });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.module'), width: 4 },
        { label: t.t('label.sessions'), align: 'right', width: 1 },
        ...knowledgeColumns,
      ],
      rows: tr.modules.map((m) => [m.title, String(m.sessions), ...knowledgeCells(m.knowledge)]),
    });
  }

  if (tr.sessions.some((s) => s.confidence.pairs > 0 || s.reaction.n > 0)) {
    b.push({ type: 'heading', level: 2, text: t.t('training.ratingsTitle') });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.session'), width: 4 },
        { label: t.t('label.pairs'), align: 'right', width: 0.9 },
        { label: t.t('label.confidenceBefore'), align: 'right', width: 1.5 },
        { label: t.t('label.confidenceAfter'), align: 'right', width: 1.5 },
        { label: t.t('label.respondents'), align: 'right', width: 1.3 },
        { label: t.t('label.usefulness'), align: 'right', width: 1.3 },
        { label: t.t('label.relevance'), align: 'right', width: 1.3 },
      ],
      rows: tr.sessions.map((s) => [
        s.title,
        String(s.confidence.pairs),
        cellOf(s.confidence.pre),
        cellOf(s.confidence.post, { bold: true }),
        String(s.reaction.n),
        cellOf(s.reaction.usefulness),
        cellOf(s.reaction.relevance),
      ]),
    });
  }

  const followUps = tr.sessions.filter((s) => s.followUp !== null && s.followUp.practices.length > 0);
  if (followUps.length > 0) {
    b.push({ type: 'heading', level: 2, text: t.t('training.followUpTitle') });
    for (const s of followUps) {
      const f = s.followUp!;
      b.push({
        type: 'group',
        blocks: [
          {
            type: 'heading',
            level: 3,
            text: t.t('training.followUpHeading', {
              title: s.title,
              days: f.days,
              responded: f.responded,
              asked: f.asked,
            }),
          },
          {
            type: 'table',
            size: 'small',
            columns: [
              { label: t.t('label.practice'), width: 6 },
              { label: t.t('label.answered'), align: 'right', width: 1.3 },
              { label: t.t('label.yesShare'), align: 'right', width: 1.1 },
              { label: t.t('label.partlyShare'), align: 'right', width: 1.2 },
            ],
            rows: f.practices.map((p) => [p.text, String(p.answered), cellOf(p.yes, { bold: true }), cellOf(p.partly)]),
          },
        ],
      });
    }
  }

  if (tr.limits.length > 0) {
    b.push({ type: 'paragraph', text: t.t('change.limits'), tone: 'muted' });
    // A copy: pdfmake writes into the arrays it lays out, and the HTML preview renders the same model after it.
    b.push({ type: 'list', items: [...tr.limits] });
  }

  const orgs = tr.organisations;
  if (orgs && orgs.rows.length > 0) {
    b.push({
      type: 'group',
      blocks: [
        { type: 'heading', level: 2, text: orgs.title },
        { type: 'paragraph', text: orgs.intro, tone: 'muted' },
      ],
    });
    const span = orgs.from !== null && orgs.to !== null ? ` · ${capitalise(orgs.from)} – ${orgs.to}` : '';
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.organisation'), width: 2.2 },
        { label: t.t('label.participants'), align: 'right', width: 1.3 },
        { label: t.t('label.pairs'), align: 'right', width: 0.9 },
        { label: t.t('label.knowledgeChange'), align: 'right', width: 1.4 },
        { label: t.t('label.domainsServed'), width: 3.6 },
        { label: `${t.t('label.domainChange')}${span}`, align: 'right', width: 1.8 },
      ],
      rows: orgs.rows.map((o) => [
        o.pseudonym,
        String(o.participants),
        String(o.knowledge.pairs),
        cellOf(o.knowledge.change.mean, { bold: true }),
        { text: o.domains.length > 0 ? o.domains.join(', ') : '–', muted: true },
        cellOf(o.domainChange),
      ]),
    });
    for (const text of orgs.paragraphs) b.push({ type: 'paragraph', text });
  }
}

function organisationLayout(r: OrganisationReport): Layout {
  const t = reportText(r.locale);
  const b: Block[] = [];
  const scale = r.framework.scale;
  const multi = r.rounds.length > 1;
  b.push({
    type: 'cover',
    eyebrow: `${r.cover.subtitle} · ${t.t('report.confidential')}`,
    title: r.cover.title,
    facts: r.cover.facts,
    note: r.cover.note,
    confidential: true,
  });

  b.push({ type: 'heading', level: 1, text: r.summary.title, pageBreak: true });
  b.push({
    type: 'figures',
    items: [
      ...r.summary.rounds.map((x) => ({
        label: `${t.t('label.overall')} · ${x.round}`,
        value: x.overall.text,
        detail: `${x.level ?? '–'} · ${x.completeness.text} ${t.t('label.completeness').toLowerCase()}`,
      })),
      ...(multi
        ? [
            {
              label: t.t('label.change'),
              value: r.summary.change.text,
              detail: `${r.rounds[0]} – ${r.rounds[r.rounds.length - 1]}`,
            },
          ]
        : []),
    ],
  });
  r.summary.paragraphs.forEach((text, i) =>
    b.push({ type: 'paragraph', text, ...(i === 0 ? { tone: 'lead' as const } : {}) }),
  );
  b.push({
    type: 'chart',
    chart: {
      kind: 'radar',
      indicators: r.domains.items.map((d) => d.title),
      max: scale,
      series: [
        ...r.rounds.map((round, i) => ({ name: round, values: r.domains.items.map((d) => d.scores[i]!.value) })),
        ...(r.domains.items.some((d) => d.cohortMean.value !== null)
          ? [
              {
                name: `${t.t('label.cohortMean')} · ${r.rounds[r.rounds.length - 1]}`,
                values: r.domains.items.map((d) => d.cohortMean.value),
                dashed: true,
              },
            ]
          : []),
      ],
    },
    caption: t.t('org.chartCaption', { scale }),
  });

  b.push({ type: 'heading', level: 2, text: r.criticalGaps.title });
  b.push({ type: 'paragraph', text: r.criticalGaps.intro, tone: r.criticalGaps.items.length > 0 ? 'lead' : 'muted' });
  if (r.criticalGaps.items.length > 0)
    b.push({
      type: 'list',
      items: r.criticalGaps.items.map((g) =>
        t.t('org.criticalItem', {
          domain: g.domainTitle,
          question: g.text,
          answer: g.answer,
          cap: t.number(g.cap, 1),
        }),
      ),
    });

  b.push({ type: 'heading', level: 1, text: r.domains.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.domains.intro, tone: 'muted' });
  b.push({
    type: 'table',
    columns: [
      { label: t.t('label.domain'), width: 4.8 },
      ...r.rounds.map((round) => ({ label: capitalise(round), align: 'right' as const, width: 1.6 })),
      ...(multi ? [{ label: t.t('label.change'), align: 'right' as const, width: 1.2 }] : []),
      { label: t.t('label.level'), width: 1.5 },
      { label: t.t('label.cohortMean'), align: 'right' as const, width: 1.4 },
    ],
    rows: r.domains.items.map((d) => [
      d.title,
      ...d.scores.map((s, i) => cellOf(s, { bold: i === d.scores.length - 1 })),
      ...(multi ? [cellOf(d.change)] : []),
      { text: d.level ?? '–', muted: true },
      cellOf(d.cohortMean),
    ]),
  });

  b.push({ type: 'heading', level: 2, text: r.explanations.title });
  b.push({ type: 'paragraph', text: r.explanations.intro, tone: 'muted' });
  for (const d of r.domains.items) {
    const e = d.explanation;
    const g: Block[] = [];
    g.push({
      type: 'heading',
      level: 3,
      text: `${d.title} · ${e.score.text}${e.cap ? ` (${t.t('label.capped')})` : ''}`,
    });
    if (e.score.value === null) {
      g.push({ type: 'paragraph', text: t.t('org.noAnswers'), tone: 'muted' });
      b.push({ type: 'group', blocks: g });
      continue;
    }
    if (e.cap) {
      g.push({
        type: 'paragraph',
        text: t.t('org.capApplied', {
          cap: t.number(e.cap.value, 1),
          questions: t.list(e.cap.questions.map((q) => `“${q.text}” (${q.answer})`)),
          uncapped: e.uncapped.text,
        }),
      });
    }
    if (e.pulledDownBy.length === 0) g.push({ type: 'paragraph', text: t.t('org.noLoss'), tone: 'muted' });
    else
      g.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('label.question'), width: 5 },
          { label: t.t('label.answer'), width: 4 },
          { label: t.t('label.loss'), align: 'right', width: 1.8 },
        ],
        rows: e.pulledDownBy.map((p) => [
          p.text,
          { text: p.answer, muted: true },
          { text: `-${p.loss.text}`, bold: true },
        ]),
      });
    b.push({ type: 'group', blocks: g });
  }

  // What moved between rounds: each domain before and after, the questions that moved, the plan
  // items done in between, and the assessor's and the organisation's accounts of what changed.
  if (r.change) {
    b.push({ type: 'heading', level: 1, text: r.change.title, pageBreak: true });
    for (const c of r.change.sections) {
      if (r.change.sections.length > 1) b.push({ type: 'heading', level: 2, text: `${capitalise(c.from)} – ${c.to}` });
      for (const text of c.paragraphs) b.push({ type: 'paragraph', text });
      b.push({
        type: 'table',
        size: 'small',
        emphasiseFirstRow: true,
        columns: [
          { label: t.t('label.domain'), width: 4.8 },
          { label: capitalise(c.from), align: 'right', width: 1.5 },
          { label: capitalise(c.to), align: 'right', width: 1.5 },
          { label: t.t('label.change'), align: 'right', width: 1.3 },
        ],
        rows: [
          [
            { text: t.t('label.overall'), bold: true },
            cellOf(c.overall.before),
            cellOf(c.overall.after),
            cellOf(c.overall.change, { bold: true }),
          ],
          ...c.domains.map((d) => [d.title, cellOf(d.before), cellOf(d.after), cellOf(d.change, { bold: true })]),
        ],
      });
      for (const d of c.domains) {
        const g: Block[] = [{ type: 'heading', level: 3, text: `${d.title} · ${d.before.text} → ${d.after.text}` }];
        const moves = (title: string, items: typeof d.up) => {
          if (items.length === 0) return;
          g.push({ type: 'paragraph', text: title, tone: 'muted' });
          g.push({
            type: 'list',
            items: items.map((m) => t.t('org.moveItem', { question: m.text, from: m.from, to: m.to })),
          });
        };
        moves(t.t('org.movedUp'), d.up);
        moves(t.t('org.movedDown'), d.down);
        if (d.up.length + d.down.length === 0) g.push({ type: 'paragraph', text: t.t('org.noMoves'), tone: 'muted' });
        if (d.planItems.length > 0) {
          g.push({ type: 'paragraph', text: t.t('org.planItems'), tone: 'muted' });
          g.push({
            type: 'list',
            items: d.planItems.map((x) => t.t('org.planItem', { title: x.title, date: x.date })),
          });
        }
        for (const a of d.accounts) {
          g.push({
            type: 'paragraph',
            text: t.t(a.by === 'assessor' ? 'org.accountAssessor' : 'org.accountOrganisation'),
            tone: 'muted',
          });
          g.push({ type: 'paragraph', text: a.text });
        }
        b.push({ type: 'group', blocks: g });
      }
    }
  }

  b.push({ type: 'heading', level: 1, text: r.gaps.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.gaps.intro, tone: 'muted' });
  if (r.gaps.items.length > 0) {
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: '#', align: 'right', width: 0.5 },
        { label: t.t('label.question'), width: 5 },
        { label: t.t('label.answer'), width: 4 },
        { label: t.t('label.loss'), align: 'right', width: 1.5 },
        { label: t.t('label.gain'), align: 'right', width: 1.3 },
        { label: t.t('label.quickWin'), align: 'center', width: 1.2 },
      ],
      rows: r.gaps.items
        .slice(0, GAPS_SHOWN)
        .map((g, i) => [
          { text: String(i + 1), muted: true },
          `${g.text}${g.capping ? ' *' : ''}`,
          { text: g.answer, muted: true },
          cellOf(g.loss),
          cellOf(g.gain, { bold: true }),
          g.quickWin ? { text: t.t('label.yes'), bold: true } : '',
        ]),
    });
    if (r.gaps.items.length > GAPS_SHOWN)
      b.push({
        type: 'paragraph',
        text: t.plural('org.moreGaps', r.gaps.items.length - GAPS_SHOWN, { n: r.gaps.items.length - GAPS_SHOWN }),
        tone: 'muted',
      });
    if (r.gaps.items.slice(0, GAPS_SHOWN).some((g) => g.capping))
      b.push({ type: 'paragraph', text: t.t('org.cappingLegend'), tone: 'muted' });
  }

  // Technical findings: most severe first, what was tested, where each stands and its retest.
  if (r.findings) {
    const f = r.findings;
    b.push({ type: 'heading', level: 1, text: f.title, pageBreak: true });
    b.push({ type: 'paragraph', text: f.intro, tone: 'muted' });
    if (f.summary) b.push({ type: 'paragraph', text: f.summary, tone: 'lead' });
    if (f.items.length > 0)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('label.finding'), width: 4.2 },
          { label: t.t('label.severity'), width: 1.6 },
          { label: t.t('label.status'), width: 1.6 },
          { label: t.t('label.retest'), width: 3.6 },
        ],
        rows: f.items.map((i) => [
          {
            text: [`${i.title} (${i.target.toLowerCase()}, ${i.found})`, i.recommendation].filter(Boolean).join('. '),
            bold: i.severity === 'critical' || i.severity === 'high',
          },
          {
            text: i.cvss ? `${i.severityText}, ${i.cvss}` : i.severityText,
            ...((i.severity === 'critical' || i.severity === 'high') && { tone: 'down' as const }),
          },
          i.retest ? { text: i.status, tone: 'up' as const } : i.status,
          i.retest ?? { text: '–', muted: true },
        ]),
      });
  }

  // The plan: what was chosen and why, where each item stands, what shows it was done.
  if (r.plan) {
    const plan = r.plan;
    b.push({ type: 'heading', level: 1, text: plan.title, pageBreak: true });
    b.push({ type: 'paragraph', text: plan.intro, tone: 'muted' });
    b.push({ type: 'paragraph', text: plan.summary, tone: 'lead' });
    if (plan.items.length > 0)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('label.item'), width: 3.6 },
          { label: t.t('label.why'), width: 4.6 },
          { label: t.t('label.status'), width: 1.6 },
          { label: t.t('label.due'), width: 1.6 },
          { label: t.t('label.evidence'), align: 'right', width: 1.1 },
        ],
        rows: plan.items.map((i) => [
          { text: `${i.title} (${i.kind.toLowerCase()})`, bold: i.status === 'done' },
          i.dropReason ? `${i.why} ${t.t('plan.dropped', { reason: i.dropReason })}` : i.why,
          i.status === 'done' && i.done
            ? { text: `${i.statusText}, ${i.done}`, tone: 'up' as const }
            : i.overdue
              ? { text: `${i.statusText} (${t.t('label.overdue')})`, tone: 'down' as const }
              : { text: i.statusText, muted: i.status === 'dropped' },
          { text: i.due ?? '–', muted: true },
          i.evidence > 0 ? t.plural('plan.evidence', i.evidence, { n: i.evidence }) : { text: '–', muted: true },
        ]),
      });
  }

  // The trainings its people took part in, by session, with their names and scores.
  if (r.trainings) {
    b.push({ type: 'heading', level: 1, text: r.trainings.title, pageBreak: true });
    b.push({ type: 'paragraph', text: r.trainings.intro, tone: 'muted' });
    for (const s of r.trainings.sessions)
      b.push({
        type: 'group',
        blocks: [
          { type: 'heading', level: 3, text: s.date ? `${s.title} · ${s.date}` : s.title },
          {
            type: 'table',
            size: 'small',
            columns: [
              { label: t.t('label.participant'), width: 4 },
              { label: t.t('label.attended'), width: 1.3 },
              { label: t.t('label.knowledgeBefore'), align: 'right', width: 1.5 },
              { label: t.t('label.knowledgeAfter'), align: 'right', width: 1.5 },
              { label: t.t('label.change'), align: 'right', width: 1.2 },
            ],
            rows: s.participants.map((p) => [
              p.name,
              p.attended ? t.t('label.yes') : { text: t.t('label.no'), muted: true },
              cellOf(p.pre),
              cellOf(p.post),
              cellOf(p.change, { bold: true }),
            ]),
          },
        ],
      });
  }

  b.push({ type: 'heading', level: 1, text: r.notes.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.notes.intro, tone: 'muted' });
  if (r.notes.items.length > 0) {
    const by = r.notes.items.some((n) => n.by !== null);
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.round'), width: 1.4 },
        { label: t.t('label.question'), width: 4.5 },
        ...(by ? [{ label: t.t('label.writtenBy'), width: 1.4 }] : []),
        { label: t.t('label.note'), width: 5 },
      ],
      rows: r.notes.items.map((n) => [
        { text: n.round, muted: true },
        n.text,
        ...(by
          ? [
              n.by === null
                ? { text: '–', muted: true }
                : { text: t.t(n.by === 'assessor' ? 'label.byAssessor' : 'label.byOrganisation'), muted: true },
            ]
          : []),
        n.note,
      ]),
    });
  }

  // Evidence the server holds; none is given by `kalaja report`, which reads answers only.
  const evidence = r.evidence;
  if (evidence) {
    b.push({ type: 'heading', level: 2, text: evidence.title });
    b.push({ type: 'paragraph', text: evidence.intro, tone: 'muted' });
  }
  if (evidence && evidence.items.length > 0) {
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('label.round'), width: 1.4 },
        { label: t.t('label.file'), width: 3.6 },
        { label: t.t('label.supports'), width: 4.6 },
        { label: t.t('label.attached'), width: 1.8 },
      ],
      rows: evidence.items.map((e) => [
        { text: e.round, muted: true },
        e.name,
        e.supports,
        { text: e.date, muted: true },
      ]),
    });
  }

  return {
    title: r.title,
    running: `${r.organisation} · ${r.cover.subtitle}`,
    confidential: true,
    badge: t.t('report.confidential'),
    pageLabel: t.t('report.page'),
    lang: r.locale,
    blocks: b,
  };
}
