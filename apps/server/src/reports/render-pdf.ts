/**
 * A report as PDF, laid out by pdfmake 0.3 with the Noto Sans TTF files committed in
 * content/fonts (so that ë ç š č ć ž đ and Cyrillic render) and the charts drawn as SVG.
 *
 * pdfmake can fetch URLs and read local files named in a document; a report never needs
 * either, so the URL policy refuses every URL and the local policy allows only the font files.
 */
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Report } from '@kalaja/engine';
import pdfmake from 'pdfmake';
import { columnWidths, layoutReport, type Block, type Layout } from './blocks.js';
import { CHART_FONT, chartSize, PALETTE, printSvg, renderChartSvg } from './charts.js';
import { FONTS_DIR } from './fonts.js';

const FONT_FILES = {
  normal: 'NotoSans-Regular.ttf',
  bold: 'NotoSans-Bold.ttf',
  italics: 'NotoSans-Italic.ttf',
  bolditalics: 'NotoSans-BoldItalic.ttf',
} as const;

const PAGE_WIDTH = 595.28;
const MARGIN_X = 58;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

export interface PdfOptions {
  /** Where the Noto Sans files are; content/fonts by default. */
  fontsDir?: string;
}

type Node = Record<string, unknown> | string | Node[];

/**
 * Whether a render failed on fontkit's GPOS bug: a mark stacked on a mark or base for which the
 * font (Noto Sans included) has a null anchor makes its shaping throw (foliojs/fontkit#367,
 * open). Anything a person typed can hold such a sequence ("a\u0300\u0338").
 */
const isNullAnchor = (e: unknown) => e instanceof TypeError && /xCoordinate/.test(e.message);

/** The same text, composed (NFC), without the combining marks that are left. */
const withoutMarks = <T>(value: T): T =>
  (typeof value === 'string'
    ? value.normalize('NFC').replace(/\p{M}/gu, '')
    : Array.isArray(value)
      ? value.map(withoutMarks)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutMarks(v)]))
        : value) as T;

/**
 * Renders a report to PDF bytes. When the font cannot shape some text (see isNullAnchor), the
 * report is made again with that text composed and its remaining combining marks left out:
 * a report with one letter less in a note, rather than no report.
 */
export async function renderPdf(report: Report, options: PdfOptions = {}): Promise<Uint8Array> {
  try {
    return await render(report, options);
  } catch (error) {
    if (!isNullAnchor(error)) throw error;
    return render(withoutMarks(report), options);
  }
}

async function render(report: Report, options: PdfOptions): Promise<Uint8Array> {
  return renderLayout(layoutReport(report), options);
}

/**
 * Renders any layout of blocks (a report's, the handbook's) to PDF bytes, with the same
 * fallback as renderPdf when the font cannot shape some text.
 */
export async function renderLayoutPdf(layout: Layout, options: PdfOptions = {}): Promise<Uint8Array> {
  try {
    return await renderLayout(layout, options);
  } catch (error) {
    if (!isNullAnchor(error)) throw error;
    return renderLayout(withoutMarks(layout), options);
  }
}

async function renderLayout(layout: Layout, options: PdfOptions): Promise<Uint8Array> {
  const dir = realpathSync(options.fontsDir ?? FONTS_DIR);
  const fonts = Object.fromEntries(Object.entries(FONT_FILES).map(([k, f]) => [k, join(dir, f)]));
  const allowed = new Set(Object.values(fonts));
  pdfmake.setFonts({ [CHART_FONT]: fonts as { normal: string } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(resolve(path)));

  const content: Node[] = [];
  for (const b of layout.blocks) content.push(...node(b));

  const definition = {
    pageSize: 'A4',
    pageMargins: [MARGIN_X, 64, MARGIN_X, 60],
    info: { title: layout.title, creator: 'Kalaja', producer: 'Kalaja' },
    language: layout.lang,
    defaultStyle: { font: CHART_FONT, fontSize: 9.5, lineHeight: 1.3, color: PALETTE.ink },
    styles: {
      h1: { fontSize: 19, bold: true, margin: [0, 0, 0, 10], color: PALETTE.ink },
      h2: { fontSize: 13, bold: true, margin: [0, 16, 0, 6], color: PALETTE.ink },
      h3: { fontSize: 10.5, bold: true, margin: [0, 12, 0, 4], color: PALETTE.ink },
      lead: { fontSize: 11, lineHeight: 1.35, margin: [0, 0, 0, 8] },
      p: { margin: [0, 0, 0, 6] },
      muted: { color: PALETTE.muted, fontSize: 8.5, margin: [0, 0, 0, 6] },
      th: { bold: true, fontSize: 7.5, color: PALETTE.muted },
      caption: { fontSize: 7.5, color: PALETTE.muted, margin: [0, 2, 0, 12] },
    },
    header: (page: number) =>
      page === 1
        ? null
        : {
            margin: [MARGIN_X, 28, MARGIN_X, 0],
            columns: [
              { text: layout.running, fontSize: 7.5, color: PALETTE.faint },
              layout.badge
                ? {
                    text: layout.badge.toUpperCase(),
                    fontSize: 7.5,
                    bold: true,
                    color: PALETTE.warm,
                    alignment: 'right',
                    width: 'auto',
                    characterSpacing: 0.8,
                  }
                : { text: '', width: 'auto' },
            ],
          },
    footer: (page: number, pages: number) =>
      page === 1
        ? null
        : {
            margin: [MARGIN_X, 20, MARGIN_X, 0],
            text: layout.pageLabel.replace('{page}', String(page)).replace('{pages}', String(pages)),
            alignment: 'right',
            fontSize: 7.5,
            color: PALETTE.faint,
          },
    content,
    // A heading never ends a page: with at most one node after it on its page, it moves on. Nor
    // does one in the page's last eighth: a table after it counts as a node there even when its
    // first row went over (a framework of 22 domains left "Distribution of domain scores" alone).
    pageBreakBefore: (
      current: { headlineLevel?: number; startPosition?: { verticalRatio?: number } },
      next: { getFollowingNodesOnPage(): unknown[] },
    ) =>
      current.headlineLevel !== undefined &&
      (next.getFollowingNodesOnPage().length < 2 || (current.startPosition?.verticalRatio ?? 0) > 0.875),
  };
  const pdf = pdfmake.createPdf(definition);
  return new Uint8Array(await pdf.getBuffer());
}

function node(b: Block, grouped = false): Node[] {
  switch (b.type) {
    case 'cover':
      return [
        { text: '', margin: [0, 150, 0, 0] },
        {
          canvas: [{ type: 'rect', x: 0, y: 0, w: 36, h: 3, color: b.confidential ? PALETTE.warm : PALETTE.accent }],
          margin: [0, 0, 0, 14],
        },
        {
          text: b.eyebrow.toUpperCase(),
          fontSize: 9,
          bold: true,
          characterSpacing: 1.2,
          color: b.confidential ? PALETTE.warm : PALETTE.accent,
        },
        { text: b.title, fontSize: 28, bold: true, lineHeight: 1.15, margin: [0, 10, 0, 28] },
        {
          table: {
            widths: [90, '*'],
            body: b.facts.map((f) => [
              { text: f.label, color: PALETTE.muted, fontSize: 9.5 },
              { text: f.value, fontSize: 9.5 },
            ]),
          },
          layout: { ...noLines, paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 0 },
          margin: [0, 0, 0, 30],
        },
        {
          table: { widths: ['*'], body: [[{ text: b.note, fontSize: 8.5, color: PALETTE.muted, lineHeight: 1.35 }]] },
          layout: {
            ...noLines,
            vLineWidth: (i: number) => (i === 0 ? 2.5 : 0),
            vLineColor: () => (b.confidential ? PALETTE.warm : PALETTE.accent),
            paddingLeft: () => 10,
          },
          margin: [0, 0, 60, 0],
        },
      ];
    case 'heading': {
      const style = `h${b.level}`;
      if (b.level === 1) {
        return [
          {
            stack: [
              { canvas: [{ type: 'rect', x: 0, y: 0, w: 24, h: 2.5, color: PALETTE.accent }], margin: [0, 0, 0, 8] },
              { text: b.text, style },
            ],
            ...(b.pageBreak ? { pageBreak: 'before' } : {}),
            headlineLevel: 1,
          },
        ];
      }
      // Inside a group the group keeps the heading with what follows; pdfmake drops content when
      // its page-break hook breaks inside an unbreakable block.
      return [{ text: b.text, style, ...(grouped ? {} : { headlineLevel: b.level }) }];
    }
    case 'paragraph':
      return [{ text: b.text, style: b.tone === 'lead' ? 'lead' : b.tone === 'muted' ? 'muted' : 'p' }];
    case 'figures': {
      // One row of boxes of equal height: a table whose spacer columns have no borders.
      const row: Node[] = [];
      const widths: (string | number)[] = [];
      b.items.forEach((f, i) => {
        if (i > 0) {
          row.push({ text: '', border: [false, false, false, false] });
          widths.push(10);
        }
        widths.push('*');
        row.push({
          stack: [
            { text: f.label, fontSize: 7.5, color: PALETTE.muted },
            { text: f.value, fontSize: 20, bold: true, color: PALETTE.accent, margin: [0, 1, 0, 0] },
            ...(f.detail ? [{ text: f.detail, fontSize: 7.5, color: PALETTE.muted }] : []),
          ],
          border: [true, true, true, true],
        });
      });
      return [{ table: { widths, body: [row] }, layout: boxLines, margin: [0, 4, 0, 14] }];
    }
    case 'table':
      return [table(b)];
    case 'chart': {
      const size = chartSize(b.chart, CONTENT_WIDTH);
      return [
        {
          stack: [
            { svg: printSvg(renderChartSvg(b.chart, size)), width: size.width, font: CHART_FONT },
            ...(b.caption ? [{ text: b.caption, style: 'caption' }] : []),
          ],
          unbreakable: true,
          margin: [0, 6, 0, 0],
        },
      ];
    }
    case 'card':
      return [
        {
          table: {
            widths: ['*'],
            body: [
              [
                {
                  stack: [
                    {
                      text: b.eyebrow.toUpperCase(),
                      fontSize: 7,
                      bold: true,
                      color: PALETTE.accent,
                      characterSpacing: 0.6,
                    },
                    { text: b.title, fontSize: 11, bold: true, margin: [0, 2, 0, 4] },
                    { text: b.text, margin: [0, 0, 0, 4] },
                    { text: b.footer, fontSize: 7, color: PALETTE.faint },
                  ],
                },
              ],
            ],
          },
          layout: {
            hLineWidth: () => 0.5,
            vLineWidth: (i: number) => (i === 0 ? 3 : 0.5),
            hLineColor: () => PALETTE.line,
            vLineColor: (i: number) => (i === 0 ? PALETTE.accent : PALETTE.line),
            paddingLeft: () => 12,
            paddingRight: () => 12,
            paddingTop: () => 9,
            paddingBottom: () => 9,
          },
          unbreakable: true,
          margin: [0, 0, 0, 10],
        },
      ];
    case 'list':
      return [{ ul: b.items, margin: [0, 0, 0, 8] }];
    case 'group':
      return [{ stack: b.blocks.flatMap((x) => node(x, true)), unbreakable: true }];
  }
}

const noLines = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
};

const boxLines = {
  hLineWidth: () => 0.6,
  vLineWidth: () => 0.6,
  hLineColor: () => PALETTE.line,
  vLineColor: () => PALETTE.line,
  paddingLeft: () => 9,
  paddingRight: () => 9,
  paddingTop: () => 7,
  paddingBottom: () => 7,
};

function table(b: Extract<Block, { type: 'table' }>): Node {
  const { columns, rows } = b;
  const small = b.size === 'small';
  const emphasiseFirst = b.emphasiseFirstRow === true;
  const fontSize = small ? 8 : 9;
  // Widths in points, none narrower than its longest word (fitTables split what cannot fit);
  // pdfmake's widths leave out the padding, which is 5 pt a side but 0 at the table's edges.
  const last = columns.length - 1;
  const pad = (j: number) => (j === 0 ? 0 : 5) + (j === last ? 0 : 5);
  const points = columnWidths(b, CONTENT_WIDTH) ?? columns.map(() => CONTENT_WIDTH / columns.length);
  const widths = points.map((w, j) => Math.max(1, w - pad(j)));
  const head = columns.map((c) => ({ text: c.label, style: 'th', alignment: c.align ?? 'left' }));
  const body = rows.map((row, i) =>
    row.map((c, j) => {
      const o = typeof c === 'string' ? { text: c } : c;
      return {
        text: o.text,
        fontSize,
        alignment: columns[j]?.align ?? 'left',
        ...('bold' in o && o.bold ? { bold: true } : {}),
        ...('muted' in o && o.muted ? { color: PALETTE.muted } : {}),
        ...('tone' in o && o.tone ? { color: o.tone === 'up' ? PALETTE.accent : PALETTE.warm } : {}),
        ...(emphasiseFirst && i === 0 ? { fillColor: '#f4f6f8' } : {}),
      };
    }),
  );
  return {
    table: { headerRows: 1, keepWithHeaderRows: 1, widths, body: [head, ...body], dontBreakRows: true },
    layout: {
      hLineWidth: (i: number) => (i === 1 ? 0.9 : i === 0 ? 0 : 0.4),
      vLineWidth: () => 0,
      hLineColor: (i: number) => (i === 1 ? PALETTE.ink : PALETTE.grid),
      paddingLeft: (i: number) => (i === 0 ? 0 : 5),
      paddingRight: (i: number, node: { table: { widths: unknown[] } }) => (i === node.table.widths.length - 1 ? 0 : 5),
      paddingTop: () => (small ? 2.5 : 3.5),
      paddingBottom: () => (small ? 2.5 : 3.5),
    },
    margin: [0, 4, 0, 12],
  };
}
