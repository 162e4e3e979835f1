/**
 * The results charts as pure builders: figures, texts and a width in, an ECharts option out.
 * Nothing here reads the page, the language or the clock — the pages pass the words
 * (translated) and the number formatters (the engine's display helpers, bound to the reader's
 * language) — so each chart is tested on its own (apps/web/test/chart-options.test.ts).
 *
 * Under the app's Content Security Policy (`style-src 'self'`, no 'unsafe-inline') ECharts 6
 * works as is: zrender's SVG painter writes its styles through the CSSOM, which the policy
 * allows. Only the HTML tooltip writes `style="…"` markup, so every tooltip here uses
 * `renderMode: 'richText'`, drawn inside the SVG like the rest of the chart.
 */
import type { Change, Stats } from '@kalaja/contracts';
import { shortLabel, wrapLabel, type Band } from '@kalaja/engine/display';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, RadarSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  RadarComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | RadarSeriesOption
  | HeatmapSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | RadarComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** A number as the page prints it (the engine's rounding, in the reader's language). */
export type Format = (x: number | null | undefined) => string;

/** The app's look, as ECharts needs it (the same values as the CSS tokens in styles.css). */
export const THEME = {
  ink: '#1b2430',
  muted: '#556070',
  line: '#d9d6cf',
  accent: '#1f3a5f',
  accentSoft: '#e6ecf4',
  paper: '#fbfaf7',
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif",
} as const;

/**
 * Five tones from weakest to strongest band (the engine's `toneOf`): red, orange, sand, light
 * blue, blue — told apart without relying on red against green, and always shown with the
 * number beside them.
 */
export const TONES = ['#b2182b', '#e08214', '#e3c565', '#74add1', '#2166ac'] as const;
/** Text on each tone with enough contrast (white on the dark ends, ink on the light middle). */
export const TONE_TEXT = ['#ffffff', THEME.ink, THEME.ink, THEME.ink, '#ffffff'] as const;

/** Rounds from the earliest (light) to the latest (the accent); the same colours as `.bg-round-*`. */
export const ROUND_COLOURS = ['#b5c3d3', '#8aa0bb', '#5b7699', THEME.accent] as const;
export const CHANGE_COLOURS = { improved: TONES[4], unchanged: '#b9b6ae', declined: TONES[0] } as const;
const CHANGE_TEXT = { improved: '#ffffff', unchanged: THEME.ink, declined: '#ffffff' } as const;
const TRANSPARENT = 'rgba(0, 0, 0, 0)';

/** Below this width (px) a chart lays itself out for a phone. */
export const NARROW = 520;

/** What every chart shares: the app's font and ink, calm animation (none when the reader asks for less motion), tooltips drawn in SVG. */
export function baseOption(animate: boolean): ChartOption {
  return {
    animation: animate,
    animationDuration: 300,
    textStyle: { fontFamily: THEME.font, color: THEME.ink, fontSize: 12 },
    tooltip: {
      renderMode: 'richText',
      confine: true,
      backgroundColor: '#ffffff',
      borderColor: THEME.line,
      textStyle: { color: THEME.ink, fontFamily: THEME.font, fontSize: 12 },
    },
  };
}

/** The horizontal axis of a bar chart of scores: 0 to the framework's scale, in five steps. */
export function scoreAxis(scale: number) {
  return {
    type: 'value' as const,
    min: 0,
    max: scale,
    interval: scale / 5,
    axisLabel: { color: THEME.muted },
    splitLine: { lineStyle: { color: THEME.line } },
  };
}

/** The vertical axis of domains (or other rows) of a bar chart, labels wrapped for a phone or a wide screen. */
export function rowAxis(titles: readonly string[], narrow: boolean) {
  return {
    type: 'category' as const,
    inverse: true,
    data: titles.map((title) => wrapLabel(title, narrow ? 14 : 22)),
    axisLabel: { color: THEME.ink, fontSize: narrow ? 11 : 12, lineHeight: narrow ? 13 : 15 },
    axisTick: { show: false },
  };
}

const grid = (right: number) => ({
  left: 0,
  right,
  top: 4,
  bottom: 20,
  outerBoundsMode: 'same' as const,
  outerBoundsContain: 'axisLabel' as const,
});

// ---- an organisation's results ---------------------------------------------------------------

/** A domain of an organisation's results, as its charts draw it. */
export interface DomainFigure {
  title: string;
  /** Null: no applicable question answered. */
  score: number | null;
  capped: boolean;
  /** The band's tone (0–4), -1 without a band. */
  tone: number;
}

/**
 * The radar of an organisation's domains. On a phone the spokes carry the first word of each
 * title (the bars beside give them whole); a domain without a score sits at the centre.
 */
export function radarOption(input: {
  domains: readonly DomainFigure[];
  scale: number;
  width: number;
  animate: boolean;
  format: Format;
  /** The series' name (the chart's title) and the name of its one shape. */
  texts: { title: string; series: string };
}): ChartOption {
  const { domains, scale, width, animate, format, texts } = input;
  const narrow = width < NARROW;
  const base = baseOption(animate);
  return {
    ...base,
    tooltip: { ...base.tooltip, trigger: 'item', valueFormatter: (v) => format(v as number) },
    radar: {
      indicator: domains.map((d) => ({
        name: narrow ? shortLabel(d.title) : wrapLabel(d.title, 15),
        min: 0,
        max: scale,
      })),
      radius: narrow ? '60%' : '62%',
      center: ['50%', '52%'],
      clockwise: true,
      splitNumber: 5,
      axisName: { color: THEME.ink, fontSize: narrow ? 10 : 11, lineHeight: narrow ? 12 : 14, fontFamily: THEME.font },
      axisNameGap: narrow ? 6 : 10,
      axisLine: { lineStyle: { color: THEME.line } },
      splitLine: { lineStyle: { color: THEME.line } },
      splitArea: { areaStyle: { color: ['#ffffff', THEME.paper] } },
    },
    series: [
      {
        type: 'radar',
        name: texts.title,
        symbolSize: 5,
        lineStyle: { color: THEME.accent, width: 2 },
        itemStyle: { color: THEME.accent },
        areaStyle: { color: 'rgba(31, 58, 95, 0.18)' },
        data: [{ name: texts.series, value: domains.map((d) => d.score ?? 0) }],
      },
    ],
  };
}

/**
 * The bars of an organisation's domains, each in its band's tone, labelled with its score —
 * "capped" beside a score a cap holds down, "–" for a domain without one.
 */
export function domainBarsOption(input: {
  domains: readonly DomainFigure[];
  scale: number;
  width: number;
  animate: boolean;
  format: Format;
  /** The label of a capped score: `capped('4.0')` → "4.0 (capped)". */
  capped: (score: string) => string;
}): ChartOption {
  const { domains, scale, width, animate, format, capped } = input;
  const axis = rowAxis(
    domains.map((d) => d.title),
    width < NARROW,
  );
  return {
    ...baseOption(animate),
    tooltip: { show: false },
    grid: { ...grid(56), top: 4 },
    xAxis: scoreAxis(scale),
    yAxis: { ...axis, axisLine: { lineStyle: { color: THEME.muted } } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: domains.map((d) => ({
          value: d.score ?? 0,
          itemStyle: { color: d.tone >= 0 ? TONES[d.tone] : THEME.line },
        })),
        label: {
          show: true,
          position: 'right',
          color: THEME.ink,
          formatter: (p) => {
            const d = domains[p.dataIndex];
            if (!d || d.score === null) return '–';
            return d.capped ? capped(format(d.score)) : format(d.score);
          },
        },
      },
    ],
  };
}

/**
 * The radar of an organisation's domains in several rounds, overlaid: the earliest round light,
 * the latest in the accent (the colours of `roundColourIndex`). A domain without a score in a
 * round sits at the centre for that round; the table beside the chart says "–".
 */
export function radarOverlayOption(input: {
  titles: readonly string[];
  rounds: readonly string[];
  /** scores[round][domain] */
  scores: readonly (readonly (number | null)[])[];
  scale: number;
  width: number;
  animate: boolean;
  format: Format;
}): ChartOption {
  const { titles, rounds, scores, scale, width, animate, format } = input;
  const single = radarOption({
    domains: titles.map((title) => ({ title, score: null, capped: false, tone: -1 })),
    scale,
    width,
    animate,
    format,
    texts: { title: '', series: '' },
  });
  const colours = roundColourIndex(rounds.length).map((i) => ROUND_COLOURS[i]!);
  return {
    ...single,
    series: [
      {
        type: 'radar',
        symbolSize: 5,
        data: rounds.map((round, i) => ({
          name: round,
          value: titles.map((_, d) => scores[i]?.[d] ?? 0),
          lineStyle: { color: colours[i], width: i === rounds.length - 1 ? 2.5 : 2 },
          itemStyle: { color: colours[i] },
          areaStyle: { color: colours[i], opacity: i === rounds.length - 1 ? 0.22 : 0.12 },
        })),
      },
    ],
  };
}

// ---- a cohort's results ----------------------------------------------------------------------

/** An organisation's row of the heatmap: its name, then a value per column (overall first). */
export interface HeatmapRow {
  organisation: string;
  values: readonly (number | null)[];
}

/** The heatmap's cells: [column, row, value or '-'] with the cell's label, coloured by band. */
export function heatmapCells(rows: readonly HeatmapRow[], bands: readonly Band[], format: Format) {
  return rows.flatMap((r, y) =>
    r.values.map((v, x) => {
      const tone = v === null ? -1 : (bands.findLast((b) => v >= b.from)?.tone ?? -1);
      return {
        value: [x, y, v ?? '-'] as [number, number, number | string],
        label: {
          show: true,
          formatter: () => format(v),
          color: tone >= 0 ? TONE_TEXT[tone] : THEME.ink,
          // The first column is the overall score.
          fontWeight: x === 0 ? ('bold' as const) : ('normal' as const),
        },
      };
    }),
  );
}

/** Organisations × (overall and domains) for one round, each cell coloured by its band and labelled with its score. */
export function heatmapOption(input: {
  columns: readonly string[];
  rows: readonly HeatmapRow[];
  bands: readonly Band[];
  width: number;
  animate: boolean;
  format: Format;
}): ChartOption {
  const { columns, rows, bands, width, animate, format } = input;
  const base = baseOption(animate);
  return {
    ...base,
    tooltip: {
      ...base.tooltip,
      trigger: 'item',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const [x, y, v] = (p?.value ?? []) as [number, number, number | string];
        return `${rows[y]?.organisation ?? ''}\n${columns[x] ?? ''}: ${typeof v === 'number' ? format(v) : '–'}`;
      },
    },
    grid: { left: 0, right: 4, top: 0, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      position: 'top',
      data: columns.map((c) => wrapLabel(c, width < 1000 ? 11 : 14)),
      axisLabel: { interval: 0, color: THEME.ink, fontSize: 11, lineHeight: 13 },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.organisation),
      axisLabel: { color: THEME.ink, width: 180, overflow: 'truncate' },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      pieces: bands.map((b, i) => ({
        gte: b.from,
        ...(i < bands.length - 1 ? { lt: b.to } : { lte: b.to }),
        color: TONES[b.tone],
      })),
    },
    series: [
      {
        type: 'heatmap',
        itemStyle: { borderColor: '#ffffff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: THEME.ink, borderWidth: 2 } },
        data: heatmapCells(rows, bands, format),
      },
    ],
  };
}

const orGap = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x);

/**
 * The spread of each row in one round: a bar from the lowest to the highest score, a diamond at
 * the median, a dot at the mean. A withheld figure (null) is a gap; the tooltip says why.
 */
export function distributionOption(input: {
  titles: readonly string[];
  stats: readonly (Stats | undefined)[];
  scale: number;
  width: number;
  animate: boolean;
  format: Format;
  names: { range: string; median: string; mean: string; min: string; max: string };
  /** What a row without figures says (withheld, or none). */
  missing: (s: Stats | undefined) => string;
}): ChartOption {
  const { titles, stats, scale, width, animate, format, names, missing } = input;
  const axis = rowAxis(titles, width < NARROW);
  const base = baseOption(animate);
  return {
    ...base,
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const i = list[0]?.dataIndex ?? 0;
        const s = stats[i];
        const title = titles[i] ?? '';
        if (!s || s.mean === null) return `${title}\n${missing(s)}`;
        return [
          title,
          `${names.min} ${format(s.min)} · ${names.median} ${format(s.median)}`,
          `${names.mean} ${format(s.mean)} · ${names.max} ${format(s.max)}`,
        ].join('\n');
      },
    },
    grid: grid(12),
    xAxis: scoreAxis(scale),
    yAxis: { ...axis, axisLabel: { ...axis.axisLabel, fontWeight: 'normal' as const } },
    series: [
      {
        // An invisible bar up to the minimum, so the visible one spans min → max.
        type: 'bar',
        stack: 'range',
        silent: true,
        barWidth: 14,
        itemStyle: { color: TRANSPARENT },
        emphasis: { disabled: true },
        data: stats.map((s) => orGap(s?.min)),
      },
      {
        type: 'bar',
        stack: 'range',
        name: names.range,
        barWidth: 14,
        itemStyle: { color: '#c9d5e4', borderColor: THEME.accent, borderWidth: 1 },
        data: stats.map((s) => (s && s.min !== null && s.max !== null ? s.max - s.min : '-')),
      },
      {
        type: 'scatter',
        name: names.median,
        symbol: 'diamond',
        symbolSize: 14,
        itemStyle: { color: THEME.accent, borderColor: '#ffffff', borderWidth: 1 },
        data: stats.map((s, i) => [orGap(s?.median), i]),
      },
      {
        type: 'scatter',
        name: names.mean,
        symbol: 'circle',
        symbolSize: 9,
        itemStyle: { color: TONES[1], borderColor: THEME.ink, borderWidth: 1 },
        data: stats.map((s, i) => [orGap(s?.mean), i]),
      },
    ],
  };
}

/** The colour index (into ROUND_COLOURS) of each of `count` rounds: the latest in the accent, earlier ones lighter. */
export function roundColourIndex(count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.max(0, ROUND_COLOURS.length - count + i));
}

/** The cohort mean of each row, one bar per round; a withheld mean (null) is a gap. */
export function meansOption(input: {
  titles: readonly string[];
  rounds: readonly string[];
  /** means[round][row] */
  means: readonly (readonly (number | null | undefined)[])[];
  scale: number;
  width: number;
  animate: boolean;
  format: Format;
  missing: string;
}): ChartOption {
  const { titles, rounds, means, scale, width, animate, format, missing } = input;
  const narrow = width < NARROW;
  const colours = roundColourIndex(rounds.length).map((i) => ROUND_COLOURS[i]!);
  const base = baseOption(animate);
  return {
    ...base,
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? format(v) : missing),
    },
    grid: grid(48),
    xAxis: scoreAxis(scale),
    yAxis: rowAxis(titles, narrow),
    series: rounds.map((round, i) => ({
      type: 'bar' as const,
      name: round,
      barMaxWidth: 12,
      barGap: '15%',
      itemStyle: { color: colours[i] },
      label: {
        // On a phone the bars are too close for their figures; the table has them.
        show: !narrow,
        position: 'right' as const,
        color: THEME.ink,
        fontSize: 11,
        formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? format(p.value) : ''),
      },
      data: titles.map((_, row) => orGap(means[i]?.[row])),
    })),
  };
}

export const CHANGE_KINDS = ['improved', 'unchanged', 'declined'] as const;

/**
 * How many organisations improved, stayed or declined in each row, stacked. A hidden row
 * (withheld for observers, or no pairs) is a gap, never a zero.
 */
export function changeOption(input: {
  titles: readonly string[];
  changes: readonly (Change | undefined)[];
  hidden: readonly boolean[];
  width: number;
  animate: boolean;
  names: Record<(typeof CHANGE_KINDS)[number], string>;
}): ChartOption {
  const { titles, changes, hidden, width, animate, names } = input;
  const max = Math.max(1, ...changes.map((c, i) => (c && !hidden[i] ? c.improved + c.unchanged + c.declined : 0)));
  const base = baseOption(animate);
  return {
    ...base,
    tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: grid(12),
    xAxis: {
      type: 'value',
      min: 0,
      max,
      minInterval: 1,
      axisLabel: { color: THEME.muted },
      splitLine: { lineStyle: { color: THEME.line } },
    },
    yAxis: rowAxis(titles, width < NARROW),
    series: CHANGE_KINDS.map((kind) => ({
      type: 'bar' as const,
      stack: 'change',
      name: names[kind],
      barWidth: 16,
      itemStyle: { color: CHANGE_COLOURS[kind] },
      label: {
        show: true,
        color: CHANGE_TEXT[kind],
        fontSize: 11,
        formatter: (p: { value?: unknown }) => (typeof p.value === 'number' && p.value > 0 ? String(p.value) : ''),
      },
      data: changes.map((c, i) => (!c || hidden[i] ? '-' : c[kind])),
    })),
  };
}
