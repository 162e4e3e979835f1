/**
 * A report as an editable Word document (DOCX, docx 9): real heading styles (so the navigation
 * pane and a table of contents work), real tables with a repeating header row, and charts as
 * PNG images at twice their printed resolution, rasterised by resvg with the committed Noto
 * Sans files. (Not SVG: LibreOffice prefers an embedded SVG over its PNG fallback and draws
 * ECharts' SVG without its bars.)
 *
 * The text is in Arial. Word has it wherever it runs (Windows, macOS); LibreOffice draws it as
 * Liberation Sans, which has Arial's metrics and which LibreOffice installs with itself (and
 * fontconfig maps Arial to it), so lines and table cells break where Word breaks them. Both
 * have every Albanian, Serbian Latin and Cyrillic letter. Calibri, used before, is on no plain
 * Linux box and its stand-in (Carlito) is an optional package, so LibreOffice fell back to a
 * wider font and broke words inside table cells. Where no Arial-compatible font exists at all,
 * the wider fallback (DejaVu Sans) still fits: table columns are measured against it
 * (blocks.ts, `minimumWidths`). The document's language is the report's locale (`w:lang`),
 * so spelling and hyphenation know what they are reading.
 */
import { join } from 'node:path';
import type { Report } from '@kalaja/engine';
import { Resvg } from '@resvg/resvg-js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type IBorderOptions,
  type ParagraphChild,
} from 'docx';
import { columnWidths, layoutReport, TABLE, type Block, type Cell, type Column } from './blocks.js';
import { chartSize, PALETTE, printSvg, renderChartSvg } from './charts.js';
import { FONTS_DIR } from './fonts.js';

const FONT = { ascii: 'Arial', hAnsi: 'Arial', cs: 'Arial', eastAsia: 'Arial' };
/** The language (w:lang) of a report's text, by its locale. */
const LANGUAGE: Record<string, string> = {
  en: 'en-GB',
  sq: 'sq-AL',
  'sr-Latn': 'sr-Latn-RS',
  'sr-Cyrl': 'sr-Cyrl-RS',
};
const hex = (c: string) => c.replace('#', '').toUpperCase();
const INK = hex(PALETTE.ink);
const MUTED = hex(PALETTE.muted);
const ACCENT = hex(PALETTE.accent);
const WARM = hex(PALETTE.warm);
const LINE = hex(PALETTE.line);
const GRID = hex(PALETTE.grid);
/** A4 with 2 cm side margins: the text column is 17 cm, about 640 pixels at 96 dpi. */
const CONTENT_PX = 640;

/** Single line spacing, nothing after: for text inside boxes. */
const tight = { after: 0, line: 240, lineRule: LineRuleType.AUTO } as const;

const none: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };

export interface DocxOptions {
  fontsDir?: string;
}

/** Renders a report to DOCX bytes. */
export async function renderDocx(report: Report, options: DocxOptions = {}): Promise<Uint8Array> {
  const layout = layoutReport(report);
  const fontsDir = options.fontsDir ?? FONTS_DIR;
  // Every drawing needs its own wp:docPr id (docx numbers each one 1 unless told otherwise,
  // and Word calls a document with duplicate ids unreadable).
  let drawings = 0;
  const context: Context = { fontsDir, drawingId: () => String(++drawings) };
  const children = elements(layout.blocks, context);
  const language = { value: LANGUAGE[layout.lang] ?? layout.lang };
  const doc = new Document({
    creator: 'Kalaja',
    title: layout.title,
    description: layout.running,
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 20, color: INK, language },
          paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
        },
        heading1: {
          run: { font: FONT, size: 36, bold: true, color: INK },
          paragraph: { spacing: { before: 120, after: 200 }, keepNext: true, keepLines: true },
        },
        heading2: {
          run: { font: FONT, size: 26, bold: true, color: INK },
          paragraph: { spacing: { before: 320, after: 120 }, keepNext: true, keepLines: true },
        },
        heading3: {
          run: { font: FONT, size: 21, bold: true, color: INK },
          paragraph: { spacing: { before: 220, after: 80 }, keepNext: true, keepLines: true },
        },
        title: {
          run: { font: FONT, size: 52, bold: true, color: INK },
          paragraph: { spacing: { after: 400 }, keepNext: true },
        },
      },
      paragraphStyles: [
        {
          id: 'Lead',
          name: 'Lead',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: 23 },
          paragraph: { spacing: { after: 160, line: 288, lineRule: LineRuleType.AUTO } },
        },
        { id: 'Muted', name: 'Muted', basedOn: 'Normal', next: 'Normal', run: { size: 18, color: MUTED } },
        {
          id: 'Caption',
          name: 'Caption',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: 16, color: MUTED },
          paragraph: { spacing: { after: 240 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1300, bottom: 1200, left: 1134, right: 1134, header: 600, footer: 600 },
          },
          titlePage: true,
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: 9638 }],
                children: [
                  new TextRun({ text: layout.running, size: 15, color: MUTED }),
                  ...(layout.badge
                    ? [new TextRun({ text: `\t${layout.badge.toUpperCase()}`, size: 15, bold: true, color: WARM })]
                    : []),
                ],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({})] }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: pageLabel(layout.pageLabel),
              }),
            ],
          }),
          first: new Footer({ children: [new Paragraph({})] }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** "Page {page} of {pages}" with Word's page fields in place of the placeholders. */
function pageLabel(template: string): TextRun[] {
  return template
    .split(/(\{page\}|\{pages\})/)
    .filter((part) => part !== '')
    .map((part) =>
      part === '{page}'
        ? new TextRun({ children: [PageNumber.CURRENT], size: 15, color: MUTED })
        : part === '{pages}'
          ? new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 15, color: MUTED })
          : new TextRun({ text: part, size: 15, color: MUTED }),
    );
}

interface Context {
  fontsDir: string;
  drawingId: () => string;
}

/**
 * The blocks in order. A paragraph that introduces a table, chart or list keeps with it (and
 * with a heading's keep-with-next, a heading stays with its introduction and what follows),
 * so neither is left alone at the foot of a page.
 */
function elements(blocks: Block[], context: Context): (Paragraph | Table)[] {
  return blocks.flatMap((b, i) => {
    const next = blocks[i + 1];
    const introduces =
      b.type === 'paragraph' &&
      next !== undefined &&
      (next.type === 'table' || next.type === 'chart' || next.type === 'list' || next.type === 'group');
    return element(b, context, introduces);
  });
}

function element(b: Block, context: Context, keepNext = false): (Paragraph | Table)[] {
  switch (b.type) {
    case 'cover': {
      const colour = b.confidential ? WARM : ACCENT;
      return [
        new Paragraph({ spacing: { before: 2800 }, children: [] }),
        new Paragraph({
          children: [
            new TextRun({ text: b.eyebrow.toUpperCase(), bold: true, size: 18, color: colour, characterSpacing: 24 }),
          ],
        }),
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: b.title })] }),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          layout: TableLayoutType.FIXED,
          columnWidths: [2000, 7638],
          borders: noBorders,
          rows: b.facts.map(
            (f) =>
              new TableRow({
                children: [
                  new TableCell({
                    borders: noBorders,
                    children: [new Paragraph({ children: [new TextRun({ text: f.label, color: MUTED })] })],
                  }),
                  new TableCell({
                    borders: noBorders,
                    children: [new Paragraph({ children: [new TextRun(f.value)] })],
                  }),
                ],
              }),
          ),
        }),
        new Paragraph({
          spacing: { before: 480 },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: colour, space: 8 } },
          children: [new TextRun({ text: b.note, size: 18, color: MUTED })],
        }),
      ];
    }
    case 'heading': {
      const heading = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][b.level - 1]!;
      return [new Paragraph({ heading, pageBreakBefore: b.pageBreak === true, children: [new TextRun(b.text)] })];
    }
    case 'paragraph':
      return [
        new Paragraph({
          ...(b.tone === 'lead' ? { style: 'Lead' } : b.tone === 'muted' ? { style: 'Muted' } : {}),
          ...(keepNext ? { keepNext: true, keepLines: true } : {}),
          children: [new TextRun(b.text)],
        }),
      ];
    case 'figures': {
      const box = { style: BorderStyle.SINGLE, size: 4, color: LINE };
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          layout: TableLayoutType.FIXED,
          borders: { top: box, bottom: box, left: box, right: box, insideHorizontal: box, insideVertical: box },
          rows: [
            new TableRow({
              children: b.items.map(
                (f) =>
                  new TableCell({
                    margins: { top: 120, bottom: 120, left: 160, right: 160 },
                    children: [
                      new Paragraph({
                        spacing: tight,
                        children: [new TextRun({ text: f.label, size: 16, color: MUTED })],
                      }),
                      new Paragraph({
                        spacing: { ...tight, before: 40 },
                        children: [new TextRun({ text: f.value, size: 40, bold: true, color: ACCENT })],
                      }),
                      ...(f.detail
                        ? [
                            new Paragraph({
                              spacing: tight,
                              children: [new TextRun({ text: f.detail, size: 16, color: MUTED })],
                            }),
                          ]
                        : []),
                    ],
                  }),
              ),
            }),
          ],
        }),
        new Paragraph({ spacing: { after: 120 }, children: [] }),
      ];
    }
    case 'table':
      return [table(b), new Paragraph({ children: [] })];
    case 'chart': {
      const size = chartSize(b.chart, CONTENT_PX);
      const svg = printSvg(renderChartSvg(b.chart, size));
      const png = new Resvg(svg, {
        fitTo: { mode: 'width', value: size.width * 2 },
        background: '#ffffff',
        font: {
          loadSystemFonts: false,
          fontFiles: ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf'].map((f) => join(context.fontsDir, f)),
          defaultFontFamily: 'Noto Sans',
        },
      })
        .render()
        .asPng();
      return [
        new Paragraph({
          keepNext: true,
          spacing: { ...tight, before: 120 },
          children: [
            new ImageRun({
              type: 'png',
              data: png,
              transformation: { width: size.width, height: size.height },
              altText: {
                id: context.drawingId(),
                name: b.caption ?? 'chart',
                title: b.caption ?? 'chart',
                description: b.caption ?? 'chart',
              },
            }),
          ],
        }),
        ...(b.caption ? [new Paragraph({ style: 'Caption', children: [new TextRun(b.caption)] })] : []),
      ];
    }
    case 'card':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          borders: {
            top: { style: BorderStyle.SINGLE, size: 4, color: LINE },
            bottom: { style: BorderStyle.SINGLE, size: 4, color: LINE },
            right: { style: BorderStyle.SINGLE, size: 4, color: LINE },
            left: { style: BorderStyle.SINGLE, size: 24, color: ACCENT },
            insideHorizontal: none,
            insideVertical: none,
          },
          rows: [
            new TableRow({
              cantSplit: true,
              children: [
                new TableCell({
                  margins: { top: 140, bottom: 100, left: 220, right: 220 },
                  children: [
                    new Paragraph({
                      spacing: { after: 40 },
                      children: [new TextRun({ text: b.eyebrow.toUpperCase(), bold: true, size: 15, color: ACCENT })],
                    }),
                    new Paragraph({
                      spacing: { after: 80 },
                      children: [new TextRun({ text: b.title, bold: true, size: 23 })],
                    }),
                    new Paragraph({ children: [new TextRun(b.text)] }),
                    new Paragraph({
                      spacing: { after: 0 },
                      children: [new TextRun({ text: b.footer, size: 15, color: MUTED })],
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
        new Paragraph({ children: [] }),
      ];
    case 'list':
      return b.items.map((text) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(text)] }));
    case 'group':
      // Headings keep with the next paragraph (their style says so) and table rows do not split.
      return elements(b.blocks, context);
  }
}

function runOf(c: Cell, size: number): ParagraphChild {
  const o = typeof c === 'string' ? { text: c } : c;
  return new TextRun({
    text: o.text,
    size,
    ...('bold' in o && o.bold ? { bold: true } : {}),
    ...('muted' in o && o.muted ? { color: MUTED } : {}),
    ...('tone' in o && o.tone ? { color: o.tone === 'up' ? ACCENT : WARM } : {}),
  });
}

function table(b: Extract<Block, { type: 'table' }>): Table {
  const { columns, rows } = b;
  const emphasiseFirst = b.emphasiseFirstRow === true;
  const size = b.size === 'small' ? 17 : 19;
  // Widths from the shared measure: none narrower than its longest word, so Word and
  // LibreOffice wrap cells only between words (fitTables split tables too wide for that).
  const twips = Math.round(TABLE.width * 20);
  const points = columnWidths(b) ?? columns.map(() => TABLE.width / columns.length);
  const widths = points.map((w) => Math.round(w * 20));
  const align = (c: Column | undefined) =>
    c?.align === 'right' ? AlignmentType.RIGHT : c?.align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT;
  const margins = { top: 50, bottom: 50, left: 80, right: 80 };
  const head = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(
      (c, j) =>
        new TableCell({
          margins,
          width: { size: widths[j]!, type: WidthType.DXA },
          borders: { top: none, left: none, right: none, bottom: { style: BorderStyle.SINGLE, size: 8, color: INK } },
          children: [
            new Paragraph({
              alignment: align(c),
              spacing: { after: 0 },
              children: [new TextRun({ text: c.label, bold: true, size: 15, color: MUTED })],
            }),
          ],
        }),
    ),
  });
  const body = rows.map(
    (row, i) =>
      new TableRow({
        cantSplit: true,
        children: row.map(
          (c, j) =>
            new TableCell({
              margins,
              width: { size: widths[j]!, type: WidthType.DXA },
              ...(emphasiseFirst && i === 0
                ? { shading: { type: ShadingType.CLEAR, fill: 'F4F6F8', color: 'auto' } }
                : {}),
              borders: {
                top: none,
                left: none,
                right: none,
                bottom: { style: BorderStyle.SINGLE, size: 4, color: GRID },
              },
              children: [
                new Paragraph({ alignment: align(columns[j]), spacing: { after: 0 }, children: [runOf(c, size)] }),
              ],
            }),
        ),
      }),
  );
  return new Table({
    width: { size: twips, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: noBorders,
    rows: [head, ...body],
  });
}
