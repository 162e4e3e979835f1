/**
 * The layout of an openness index's policy paper (the engine's `OpennessPaper`): the same blocks
 * as every report, so the HTML, PDF and DOCX renderers draw it without a renderer of its own.
 * Order: cover, summary, methodology, the ranking, findings by principle, the regional
 * comparison, recommendations to the government as a whole, one section per institution, the
 * annex of indicators, and how the recommendations were drafted.
 */
import { capitalise, reportText, type OpennessPaper } from '@kalaja/engine';
import { cellOf, type Block, type Cell, type Layout } from './blocks.js';

export function opennessLayout(r: OpennessPaper): Layout {
  const t = reportText(r.locale);
  const b: Block[] = [];
  const principles = r.framework.domains;
  const compared = r.previous !== null;
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
  const scored = r.ranking.rows.filter((x) => x.overall.value !== null);
  const mean = scored.length > 0 ? scored.reduce((a, x) => a + x.overall.value!, 0) / scored.length : null;
  const figures: { label: string; value: string; detail?: string }[] = [
    { label: t.t('oi.cover.institutions'), value: t.int(r.institutions), detail: `${t.t('oi.cover.wave')} ${r.wave}` },
    {
      label: t.t('label.mean'),
      value: mean === null ? '–' : t.number(mean, 1),
      detail: t.t('label.overall'),
    },
  ];
  const top = r.ranking.rows[0];
  if (top && top.rank !== null)
    figures.push({ label: `${t.t('oi.label.rank')} 1`, value: top.overall.text, detail: top.institution });
  b.push({ type: 'figures', items: figures });
  r.summary.paragraphs.forEach((text, i) =>
    b.push({ type: 'paragraph', text, ...(i === 0 ? { tone: 'lead' as const } : {}) }),
  );

  // Methodology
  b.push({ type: 'heading', level: 1, text: r.methodology.title, pageBreak: true });
  for (const p of r.methodology.paragraphs) b.push({ type: 'paragraph', text: p });
  const none = r.methodology.principles.some((p) => p.bySource.none > 0);
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      { label: t.t('oi.label.principle'), width: 3 },
      { label: t.t('oi.label.indicators'), align: 'right' },
      { label: t.t('oi.source.desk-research'), align: 'right' },
      { label: t.t('oi.source.questionnaire'), align: 'right' },
      { label: t.t('oi.source.interview'), align: 'right' },
      ...(none ? [{ label: t.t('oi.source.none'), align: 'right' as const }] : []),
      { label: t.t('oi.label.points'), align: 'right' },
      { label: t.t('oi.label.weight'), align: 'right' },
    ],
    rows: r.methodology.principles.map((p) => [
      p.title,
      t.int(p.indicators),
      t.int(p.bySource['desk-research']),
      t.int(p.bySource.questionnaire),
      t.int(p.bySource.interview),
      ...(none ? [t.int(p.bySource.none)] : []),
      t.number(p.points, Number.isInteger(p.points) ? 0 : 1),
      t.number(p.weight, Number.isInteger(p.weight) ? 0 : 2),
    ]),
  });
  b.push({
    type: 'group',
    blocks: [
      { type: 'heading', level: 3, text: r.methodology.limitsTitle },
      { type: 'list', items: r.methodology.limits },
    ],
  });

  // Ranking
  b.push({ type: 'heading', level: 1, text: r.ranking.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.ranking.intro, tone: 'muted' });
  const countries = r.ranking.rows.some((x) => x.country !== null);
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      // The institution first: a table too wide for the page is split, and each part starts with it.
      { label: t.t('oi.label.institution'), width: 4, band: 'who' },
      { label: t.t('oi.label.rank'), align: 'right', width: 0.9, band: 'who' },
      ...(countries ? [{ label: t.t('oi.label.country'), width: 1.6, band: 'who' }] : []),
      { label: t.t('label.overall'), align: 'right', width: 1.2, band: 'who' },
      ...(compared ? [{ label: t.t('label.change'), align: 'right' as const, width: 1.2, band: 'who' }] : []),
      ...principles.map((p) => ({ label: p.title, align: 'right' as const, width: 1.4, band: 'principles' })),
    ],
    rows: r.ranking.rows.map((x) => [
      { text: x.institution, bold: x.rank === 1 },
      x.rankText,
      ...(countries ? [x.country ?? '–'] : []),
      cellOf(x.overall, { bold: true }),
      ...(compared ? [cellOf(x.change)] : []),
      ...x.principles.map((f) => cellOf(f)),
    ]),
  });
  if (scored.length > 0)
    b.push({
      type: 'chart',
      chart: {
        kind: 'bars',
        categories: r.ranking.rows.filter((x) => x.overall.value !== null).map((x) => x.institution),
        series: [
          {
            name: `${t.t('label.overall')} · ${r.wave}`,
            values: scored.map((x) => x.overall.value),
            texts: scored.map((x) => x.overall.text),
          },
        ],
        max: r.framework.scale,
      },
    });

  // Findings by principle
  b.push({ type: 'heading', level: 1, text: r.principles.title, pageBreak: true });
  if (r.principles.items.some((p) => p.stats.n > 0))
    b.push({
      type: 'chart',
      chart: {
        kind: 'range',
        categories: r.principles.items.map((p) => p.title),
        rows: r.principles.items.map((p) => ({
          min: p.stats.min.value,
          max: p.stats.max.value,
          mean: p.stats.mean.value,
          median: p.stats.median.value,
          meanText: p.stats.mean.text,
        })),
        max: r.framework.scale,
        labels: {
          range: `${t.t('label.min')} – ${t.t('label.max')}`,
          mean: t.t('label.mean'),
          median: t.t('label.median'),
        },
      },
    });
  for (const p of r.principles.items) {
    b.push({ type: 'heading', level: 2, text: p.title });
    for (const text of p.paragraphs) b.push({ type: 'paragraph', text });
    if (p.missed.length > 0)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('oi.label.indicator'), width: 5 },
          { label: t.t('oi.label.source'), width: 1.6 },
          { label: t.t('oi.label.missedBy'), align: 'right', width: 1.3 },
        ],
        rows: p.missed.map((m) => [m.text, t.t(m.source ? `oi.source.${m.source}` : 'oi.source.none'), m.countText]),
      });
  }

  // Regional comparison
  if (r.regional) {
    b.push({ type: 'heading', level: 1, text: r.regional.title, pageBreak: true });
    b.push({ type: 'paragraph', text: r.regional.intro, tone: 'muted' });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('oi.label.country'), width: 2, band: 'who' },
        { label: t.t('label.n'), align: 'right', band: 'who' },
        { label: `${t.t('label.overall')} · ${t.t('label.mean')}`, align: 'right', width: 1.4, band: 'who' },
        { label: t.t('label.min'), align: 'right', band: 'who' },
        { label: t.t('label.max'), align: 'right', band: 'who' },
        ...principles.map((p) => ({ label: p.title, align: 'right' as const, width: 1.4, band: 'principles' })),
      ],
      rows: r.regional.rows.map((x) => [
        x.country,
        t.int(x.institutions),
        cellOf(x.overall.mean, { bold: true }),
        cellOf(x.overall.min),
        cellOf(x.overall.max),
        ...x.principles.map((f) => cellOf(f)),
      ]),
    });
  }

  // To the government as a whole
  b.push({ type: 'heading', level: 1, text: r.recommendations.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.recommendations.intro });
  r.recommendations.items.forEach((rec, i) => b.push(card(t, rec, i + 1)));

  // Per institution
  b.push({ type: 'heading', level: 1, text: r.institutionsSection.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.institutionsSection.intro, tone: 'muted' });
  const withEvidence = r.institutionsSection.items.some((x) => x.zero.some((z) => z.evidence !== null));
  r.institutionsSection.items.forEach((x, i) => {
    b.push({ type: 'heading', level: 2, text: x.name, pageBreak: i > 0 });
    if (x.facts) b.push({ type: 'paragraph', text: x.facts, tone: 'muted' });
    const [lead, ...rest] = x.paragraphs;
    if (lead) b.push({ type: 'paragraph', text: lead, tone: 'lead' });
    const zeroLine = rest.pop();
    for (const p of rest) b.push({ type: 'paragraph', text: p });
    b.push({
      type: 'table',
      size: 'small',
      columns: [
        { label: t.t('oi.label.principle'), width: 3 },
        { label: t.t('label.score'), align: 'right' },
        ...(compared
          ? [
              { label: capitalise(r.previous!), align: 'right' as const },
              { label: t.t('label.change'), align: 'right' as const },
            ]
          : []),
        { label: t.t('oi.label.earned'), align: 'right', width: 1.4 },
      ],
      rows: x.principles.map((p) => [
        p.title,
        cellOf(p.score, { bold: true }),
        ...(compared ? [cellOf(p.before), cellOf(p.change)] : []),
        p.pointsText,
      ]),
    });
    x.recommendations.forEach((rec, j) => b.push(card(t, rec, j + 1)));
    if (zeroLine) b.push({ type: 'paragraph', text: zeroLine });
    if (x.zero.length > 0)
      b.push({
        type: 'table',
        size: 'small',
        columns: [
          { label: t.t('oi.label.indicator'), width: 3.2 },
          { label: t.t('oi.label.source'), width: 1.3 },
          { label: t.t('oi.label.recommendation'), width: 4 },
          ...(withEvidence ? [{ label: t.t('oi.label.checked'), width: 2.2 }] : []),
        ],
        rows: x.zero.map((z): Cell[] => [
          z.text,
          z.sourceText,
          z.recommendation === null
            ? { text: '–', muted: true }
            : z.recommendation.review === 'edited'
              ? z.recommendation.text
              : z.guidance,
          ...(withEvidence
            ? [z.evidence ? `${z.evidence.url}${z.evidence.checked ? ` (${t.date(z.evidence.checked)})` : ''}` : '–']
            : []),
        ]),
      });
  });

  // Annex
  b.push({ type: 'heading', level: 1, text: r.annex.title, pageBreak: true });
  b.push({ type: 'paragraph', text: r.annex.intro, tone: 'muted' });
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      { label: t.t('oi.label.principle'), width: 1.8 },
      { label: t.t('oi.label.indicator'), width: 5 },
      { label: t.t('oi.label.source'), width: 1.4 },
      { label: t.t('oi.label.points'), align: 'right', width: 0.8 },
    ],
    rows: r.annex.rows.map((x) => [x.principle, x.text, x.sourceText, x.points.text]),
  });
  b.push({ type: 'heading', level: 2, text: r.recommendations.rulesTitle });
  b.push({
    type: 'table',
    size: 'small',
    columns: [
      { label: t.t('label.rule'), width: 1.6 },
      { label: t.t('label.trigger'), width: 5 },
    ],
    rows: r.recommendations.rules.map((x) => [x.id, x.text]),
  });

  return {
    title: r.title,
    running: `${r.title} · ${t.t('oi.cover.wave')} ${r.wave}`,
    confidential: false,
    pageLabel: t.t('report.page'),
    lang: r.locale,
    blocks: b,
  };
}

function card(
  t: ReturnType<typeof reportText>,
  rec: OpennessPaper['recommendations']['items'][number],
  i: number,
): Block {
  return {
    type: 'card',
    eyebrow: `${i} · ${t.t(`label.priority.${rec.priority}`)}`,
    title: rec.title,
    text: rec.text,
    footer:
      rec.review === 'added'
        ? t.t('rec.added')
        : `${t.t('label.rule')}: ${rec.rule}${rec.review === 'edited' ? ` · ${t.t('rec.edited')}` : ''}`,
  };
}
