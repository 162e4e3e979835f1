/**
 * The handbook as one printable document per language: a cover, a table of contents by part,
 * then every section on its own page with the date it was last reviewed. It is laid out with
 * the report's blocks, so the PDF renderer (Noto Sans, no URL or file access) prints it as it
 * prints reports. Links become their text, with a web address written out after it, since
 * paper cannot follow them.
 */
import {
  HANDBOOK_PHASES,
  plainInline,
  reportText,
  isReportLocale,
  type Handbook,
  type HandbookBlock,
  type HandbookInline,
} from '@kalaja/engine';
import type { Block, Layout } from './blocks.js';

/** Noto Sans has no arrow (U+2192): menu paths ("Settings → Account") print with ">". */
const printable = (text: string) => text.replace(/\s*→\s*/g, ' > ');

/** A section's inline text for print: a web link keeps its address in brackets. */
function printInline(children: readonly HandbookInline[]): string {
  return children
    .map((c) => {
      if (c.t === 'link') {
        const label = printInline(c.children);
        const address = c.href
          .replace(/^mailto:/i, '')
          .replace(/^https:\/\//i, '')
          .replace(/\/$/, '');
        return label.includes(address) ? label : `${label} (${address})`;
      }
      if (c.t === 'text' || c.t === 'code') return printable(c.text);
      if (c.t === 'break') return '\n';
      return printInline(c.children);
    })
    .join('');
}

function printBlocks(blocks: readonly HandbookBlock[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    switch (b.t) {
      case 'heading':
        return [{ type: 'heading', level: b.level === 2 ? 2 : 3, text: printable(plainInline(b.children)) }];
      case 'paragraph':
        return [{ type: 'paragraph', text: printInline(b.children) }];
      case 'list':
        return [
          {
            type: 'list',
            items: b.items.map((item, i) => {
              const text = printBlocks(item).map(blockText).join('\n');
              return b.ordered ? `${(b.start ?? 1) + i}. ${text}` : text;
            }),
          },
        ];
      case 'quote':
        return printBlocks(b.blocks).map((x) => (x.type === 'paragraph' ? { ...x, tone: 'lead' as const } : x));
      case 'code':
        return [{ type: 'paragraph', text: printable(b.text), tone: 'muted' }];
      case 'table':
        return [
          {
            type: 'table',
            columns: b.head.map((h) => ({ label: printInline(h) })),
            rows: b.rows.map((r) => r.map((cell) => printInline(cell))),
          },
        ];
      case 'rule':
        return [];
    }
  });
}

const blockText = (b: Block): string =>
  b.type === 'paragraph' || b.type === 'heading' ? b.text : b.type === 'list' ? b.items.join('\n') : '';

/** The handbook of one language as blocks: cover, contents, then each part and its sections. */
export function layoutHandbook(book: Handbook): Layout {
  const t = reportText(isReportLocale(book.lang) ? book.lang : 'en');
  const reviewed = book.sections.map((s) => s.reviewed).sort();
  const blocks: Block[] = [
    {
      type: 'cover',
      eyebrow: t.t('handbook.subtitle'),
      title: t.t('handbook.title'),
      facts: [
        { label: t.t('handbook.sections'), value: t.int(book.sections.length) },
        ...(reviewed.length
          ? [{ label: t.t('handbook.lastReviewed'), value: t.date(reviewed[reviewed.length - 1]!) }]
          : []),
      ],
      note: t.t('handbook.note'),
      confidential: false,
    },
    { type: 'heading', level: 1, text: t.t('handbook.contents'), pageBreak: true },
  ];
  for (const phase of HANDBOOK_PHASES) {
    const sections = book.sections.filter((s) => s.phase === phase);
    if (sections.length === 0) continue;
    blocks.push({
      type: 'group',
      blocks: [
        { type: 'heading', level: 2, text: t.t(`handbook.part.${phase}`) },
        { type: 'list', items: sections.map((s) => s.title) },
      ],
    });
  }
  for (const phase of HANDBOOK_PHASES) {
    for (const s of book.sections.filter((x) => x.phase === phase)) {
      blocks.push(
        { type: 'heading', level: 1, text: s.title, pageBreak: true },
        {
          type: 'paragraph',
          text: `${t.t(`handbook.part.${phase}`)} · ${t.t('handbook.reviewed', { date: t.date(s.reviewed) })}`,
          tone: 'muted',
        },
        ...printBlocks(s.blocks),
      );
    }
  }
  return {
    title: t.t('handbook.title'),
    running: t.t('handbook.title'),
    confidential: false,
    pageLabel: t.t('report.page'),
    lang: t.locale,
    blocks,
  };
}
