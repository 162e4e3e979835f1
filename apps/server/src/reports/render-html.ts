/**
 * A report as one self-contained HTML document: inline CSS, inline SVG charts, no scripts, no
 * external requests and no URL at all — safe to preview inside the app under a strict CSP and
 * to save or print as it is.
 */
import type { Report } from '@kalaja/engine';
import { layoutReport, type Block, type Cell, type Column } from './blocks.js';
import { chartSize, inlineSvg, PALETTE, renderChartSvg } from './charts.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root { --ink: ${PALETTE.ink}; --muted: ${PALETTE.muted}; --faint: ${PALETTE.faint}; --line: ${PALETTE.line};
  --grid: ${PALETTE.grid}; --accent: ${PALETTE.accent}; --soft: ${PALETTE.accentSoft}; --warm: ${PALETTE.warm}; }
* { box-sizing: border-box; }
html { background: #f4f6f8; }
body { margin: 0; color: var(--ink); font: 15px/1.6 "Noto Sans", "Segoe UI", system-ui, -apple-system, Roboto, Arial, sans-serif;
  -webkit-font-smoothing: antialiased; }
main { max-width: 860px; margin: 32px auto; background: #fff; padding: 56px 64px 72px; box-shadow: 0 1px 3px rgba(15, 23, 42, .08); }
.running { font-size: 12px; color: var(--faint); letter-spacing: .02em; border-bottom: 1px solid var(--line); padding-bottom: 8px; margin-bottom: 40px; display: flex; justify-content: space-between; }
.confidential { color: var(--warm); font-weight: 600; text-transform: uppercase; letter-spacing: .08em; }
.cover { padding: 48px 0 24px; }
.cover .eyebrow { color: var(--accent); font-weight: 600; font-size: 13px; letter-spacing: .1em; text-transform: uppercase; }
.cover h1 { font-size: 36px; line-height: 1.2; margin: 12px 0 28px; font-weight: 700; letter-spacing: -.01em; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 24px; margin: 0 0 28px; font-size: 14px; }
.cover dt { color: var(--muted); }
.cover dd { margin: 0; }
.cover .note { font-size: 13px; color: var(--muted); border-left: 3px solid var(--accent); padding: 4px 0 4px 12px; max-width: 60ch; }
.cover.confidential-cover .note { border-color: var(--warm); }
h2 { font-size: 24px; line-height: 1.3; margin: 56px 0 16px; padding-top: 20px; border-top: 2px solid var(--ink); font-weight: 700; }
h3 { font-size: 17px; margin: 32px 0 8px; font-weight: 700; }
h4 { font-size: 14px; margin: 22px 0 4px; font-weight: 700; color: var(--ink); }
p { margin: 0 0 12px; max-width: 72ch; }
p.lead { font-size: 17px; line-height: 1.55; }
p.muted { color: var(--muted); font-size: 13.5px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 8px 0 24px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
.figure .label { font-size: 12px; color: var(--muted); }
.figure .value { font-size: 28px; font-weight: 700; line-height: 1.25; color: var(--accent); font-variant-numeric: tabular-nums; }
.figure .detail { font-size: 12px; color: var(--muted); }
table { width: 100%; border-collapse: collapse; margin: 8px 0 24px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
table.small { font-size: 12.5px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1.5px solid var(--ink); padding: 6px 8px; vertical-align: bottom; }
td { border-bottom: 1px solid var(--grid); padding: 6px 8px; vertical-align: top; }
tr.emph td { background: #f7f9fb; }
.r { text-align: right; } .c { text-align: center; }
.b { font-weight: 600; } .m { color: var(--muted); } .up { color: var(--accent); } .down { color: var(--warm); }
figure.chart { margin: 12px 0 24px; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px; padding: 14px 18px; margin: 0 0 14px; break-inside: avoid; }
.card .eyebrow { font-size: 11.5px; color: var(--accent); font-weight: 600; text-transform: uppercase; letter-spacing: .06em; }
.card h4 { margin: 4px 0 6px; font-size: 15.5px; }
.card p { margin: 0 0 6px; }
.card .footer { font-size: 12px; color: var(--faint); }
ul { padding-left: 20px; }
.group { break-inside: avoid; }
@media print {
  html { background: #fff; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  h2.break { break-before: page; }
  .cover { min-height: 80vh; }
}
@page { size: A4; margin: 18mm 16mm; }
`;

function cell(c: Cell, col: Column | undefined, tag: 'td' | 'th' = 'td'): string {
  const o = typeof c === 'string' ? { text: c } : c;
  const cls = [
    col?.align === 'right' ? 'r' : col?.align === 'center' ? 'c' : '',
    'bold' in o && o.bold ? 'b' : '',
    'muted' in o && o.muted ? 'm' : '',
    'tone' in o && o.tone ? o.tone : '',
  ].filter(Boolean);
  return `<${tag}${cls.length ? ` class="${cls.join(' ')}"` : ''}>${esc(o.text)}</${tag}>`;
}

function block(b: Block): string {
  switch (b.type) {
    case 'cover':
      return `<section class="cover${b.confidential ? ' confidential-cover' : ''}">
<div class="eyebrow">${esc(b.eyebrow)}</div>
<h1>${esc(b.title)}</h1>
<dl>${b.facts.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('')}</dl>
<p class="note">${esc(b.note)}</p>
</section>`;
    case 'heading': {
      const tag = `h${b.level + 1}`;
      return `<${tag}${b.pageBreak ? ' class="break"' : ''}>${esc(b.text)}</${tag}>`;
    }
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${esc(b.text)}</p>`;
    case 'figures':
      return `<div class="figures">${b.items
        .map(
          (f) =>
            `<div class="figure"><div class="label">${esc(f.label)}</div><div class="value">${esc(f.value)}</div>${
              f.detail ? `<div class="detail">${esc(f.detail)}</div>` : ''
            }</div>`,
        )
        .join('')}</div>`;
    case 'table':
      return `<table${b.size === 'small' ? ' class="small"' : ''}><thead><tr>${b.columns
        .map((c) => cell(c.label, c, 'th'))
        .join('')}</tr></thead><tbody>${b.rows
        .map(
          (row, i) =>
            `<tr${b.emphasiseFirstRow && i === 0 ? ' class="emph"' : ''}>${row.map((c, j) => cell(c, b.columns[j])).join('')}</tr>`,
        )
        .join('')}</tbody></table>`;
    case 'chart': {
      const svg = inlineSvg(renderChartSvg(b.chart, chartSize(b.chart, 560)));
      return `<figure class="chart" role="img"${b.caption ? ` aria-label="${esc(b.caption)}"` : ''}>${svg}${
        b.caption ? `<figcaption>${esc(b.caption)}</figcaption>` : ''
      }</figure>`;
    }
    case 'card':
      return `<article class="card"><div class="eyebrow">${esc(b.eyebrow)}</div><h4>${esc(b.title)}</h4><p>${esc(
        b.text,
      )}</p><div class="footer">${esc(b.footer)}</div></article>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'group':
      return `<div class="group">${b.blocks.map(block).join('\n')}</div>`;
  }
}

/** The report as a complete HTML document (UTF-8). */
export function renderHtml(report: Report): string {
  const layout = layoutReport(report);
  return `<!doctype html>
<html lang="${esc(layout.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(layout.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<div class="running"><span>${esc(layout.running)}</span>${layout.badge ? `<span class="confidential">${esc(layout.badge)}</span>` : ''}</div>
${layout.blocks.map(block).join('\n')}
</main>
</body>
</html>
`;
}
