/**
 * Charts for the reports, drawn by ECharts on the server as SVG strings (no DOM, no canvas):
 * the same SVG goes inline into the HTML, through svg-to-pdfkit into the PDF, and (as SVG with
 * a PNG fallback) into the DOCX. Labels set `textBorderWidth: 0`: svg-to-pdfkit ignores the
 * halo ECharts draws around label text and would paint it as a solid outline.
 */
// Labels are wrapped by the engine's display helper rather than by ECharts, whose text
// measuring on the server does not know the font the PDF draws with.
import { wrapLabel } from '@kalaja/engine/display';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
// Only the charts and components the reports draw: loading all of ECharts costs half a second.
import 'echarts/lib/chart/bar';
import 'echarts/lib/chart/scatter';
import 'echarts/lib/chart/radar';
import 'echarts/lib/component/grid';
import 'echarts/lib/component/legend';
import 'echarts/lib/component/radar';

echarts.use([SVGRenderer]);

/** The report palette: calm ink, one accent, a quiet second colour. */
export const PALETTE = {
  ink: '#1f2933',
  muted: '#5f6b7a',
  faint: '#8a96a3',
  line: '#d8dee6',
  grid: '#edf0f4',
  accent: '#0f5f73',
  accentSoft: '#d6e8ec',
  before: '#a9b6c4',
  warm: '#b4532a',
} as const;

export const CHART_FONT = 'Noto Sans';

export type ChartSpec =
  | {
      kind: 'bars';
      categories: string[];
      /** `texts` are the values as the report shows them (rounded half up, in the locale). */
      series: { name: string; values: (number | null)[]; texts: string[] }[];
      max: number;
    }
  | {
      kind: 'range';
      categories: string[];
      rows: { min: number | null; max: number | null; mean: number | null; median: number | null; meanText: string }[];
      max: number;
      labels: { range: string; mean: string; median: string };
    }
  | {
      kind: 'radar';
      indicators: string[];
      series: { name: string; values: (number | null)[]; dashed?: boolean }[];
      max: number;
    };

export interface ChartSize {
  width: number;
  height: number;
}

/**
 * The tallest a row chart grows, as a share of its width: on an A4 page (515 pt wide) 520 pt, which
 * leaves room for a section's heading and opening paragraphs above it. A chart is one unbreakable
 * picture, and pdfmake drops one taller than what is left of a page, so a framework of 22 domains
 * (CSF 2.0) had its chart of change vanish: rows get closer instead, down to 14 pt.
 */
const MAX_HEIGHT_PER_WIDTH = 520 / 515;
const MIN_ROW = 14;

/** A sensible size for a chart in points (PDF) or CSS pixels (HTML), at the given width. */
export function chartSize(spec: ChartSpec, width = 515): ChartSize {
  if (spec.kind === 'radar') return { width, height: Math.round(width * 0.62) };
  const rows = spec.categories.length;
  const natural = spec.kind === 'bars' ? 12 + 9 * spec.series.length : 24;
  const fits = (width * MAX_HEIGHT_PER_WIDTH - 46) / Math.max(rows, 1);
  const perRow = Math.max(MIN_ROW, Math.min(natural, fits));
  return { width, height: Math.round(46 + rows * perRow) };
}

const SERIES_COLOURS = [PALETTE.before, PALETTE.accent, PALETTE.warm, '#6b8f71'];

/** Renders a chart to a standalone SVG document. */
export function renderChartSvg(spec: ChartSpec, size: ChartSize = chartSize(spec)): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(options(spec, size));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function options(spec: ChartSpec, size: ChartSize): echarts.EChartsCoreOption {
  const text = { fontFamily: CHART_FONT, fontSize: 8, color: PALETTE.muted, textBorderWidth: 0 };
  const base = { animation: false, backgroundColor: '#ffffff', textStyle: text };
  const labelWidth = Math.round(size.width * 0.3);
  const wrapAt = Math.max(14, Math.round(labelWidth / 4.6));
  if (spec.kind === 'bars') {
    return {
      ...base,
      color: SERIES_COLOURS.slice(spec.series.length === 1 ? 1 : 0),
      legend: {
        top: 0,
        right: 0,
        itemWidth: 10,
        itemHeight: 8,
        textStyle: { ...text, color: PALETTE.ink },
        data: spec.series.map((s) => s.name),
      },
      grid: { left: labelWidth + 10, right: 34, top: 22, bottom: 18 },
      xAxis: {
        type: 'value',
        min: 0,
        max: spec.max,
        interval: spec.max / 5,
        axisLabel: { ...text },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: spec.categories.map((c) => wrapLabel(c, wrapAt)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: PALETTE.line } },
        axisLabel: { ...text, color: PALETTE.ink, lineHeight: 10 },
      },
      series: spec.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values.map((v) => (v === null ? '-' : v)),
        barMaxWidth: 9,
        barGap: '15%',
        label: {
          show: true,
          position: 'right',
          distance: 3,
          ...text,
          fontSize: 7,
          color: PALETTE.muted,
          formatter: (p: { dataIndex: number; value: unknown }) =>
            typeof p.value === 'number' ? (s.texts[p.dataIndex] ?? '') : '',
        },
      })),
    };
  }
  if (spec.kind === 'range') {
    const lows = spec.rows.map((r) => r.min ?? '-');
    const spans = spec.rows.map((r) => (r.min !== null && r.max !== null ? r.max - r.min : '-'));
    return {
      ...base,
      legend: {
        top: 0,
        right: 0,
        itemWidth: 10,
        itemHeight: 8,
        textStyle: { ...text, color: PALETTE.ink },
        data: [spec.labels.range, spec.labels.median, spec.labels.mean],
      },
      grid: { left: labelWidth + 10, right: 34, top: 22, bottom: 18 },
      xAxis: {
        type: 'value',
        min: 0,
        max: spec.max,
        interval: spec.max / 5,
        axisLabel: { ...text },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: spec.categories.map((c) => wrapLabel(c, wrapAt)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: PALETTE.line } },
        axisLabel: { ...text, color: PALETTE.ink, lineHeight: 10 },
      },
      series: [
        { type: 'bar', stack: 'r', data: lows, itemStyle: { color: 'rgba(0,0,0,0)' }, barWidth: 8, silent: true },
        {
          type: 'bar',
          name: spec.labels.range,
          stack: 'r',
          data: spans,
          barWidth: 8,
          itemStyle: { color: PALETTE.accentSoft, borderRadius: 4 },
        },
        {
          type: 'scatter',
          name: spec.labels.median,
          data: spec.rows.map((r) => r.median ?? '-'),
          symbol: 'rect',
          symbolSize: [1.5, 12],
          itemStyle: { color: PALETTE.ink },
        },
        {
          type: 'scatter',
          name: spec.labels.mean,
          data: spec.rows.map((r) => r.mean ?? '-'),
          symbolSize: 7,
          itemStyle: { color: PALETTE.accent, borderColor: '#ffffff', borderWidth: 1 },
        },
        {
          // The means as a column of figures at the right edge, clear of the markers.
          type: 'scatter',
          data: spec.rows.map(() => spec.max),
          symbolSize: 0,
          silent: true,
          label: {
            show: true,
            position: 'right',
            distance: 6,
            ...text,
            color: PALETTE.accent,
            fontWeight: 'bold',
            formatter: (p: { dataIndex: number }) => spec.rows[p.dataIndex]?.meanText ?? '',
          },
        },
      ],
    };
  }
  const lastSolid = spec.series.map((s) => !s.dashed).lastIndexOf(true);
  return {
    ...base,
    color: spec.series.map((s, i) => (s.dashed ? PALETTE.warm : SERIES_COLOURS[i % SERIES_COLOURS.length]!)),
    legend: {
      bottom: 0,
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { ...text, color: PALETTE.ink },
      data: spec.series.map((s) => s.name),
    },
    radar: {
      center: ['50%', '47%'],
      radius: '60%',
      indicator: spec.indicators.map((name) => ({ name: wrapLabel(name, 22), max: spec.max, min: 0 })),
      splitNumber: 5,
      axisName: { ...text, color: PALETTE.ink, fontSize: 7.5, lineHeight: 9 },
      splitLine: { lineStyle: { color: PALETTE.line } },
      splitArea: { show: false },
      axisLine: { lineStyle: { color: PALETTE.line } },
    },
    series: [
      {
        type: 'radar',
        symbolSize: 3,
        data: spec.series.map((s, i) => ({
          name: s.name,
          value: s.values.map((v) => v ?? 0),
          lineStyle: { width: s.dashed ? 1 : 1.5, type: s.dashed ? 'dashed' : 'solid' },
          areaStyle: i === lastSolid ? { opacity: 0.12 } : undefined,
        })),
      },
    ],
  };
}

/**
 * The SVG for inline use in HTML: without the XML namespace declarations (the HTML parser
 * puts `<svg>` in its namespace), so the page holds no URL at all, and without the hover
 * style ECharts adds for interactive charts.
 */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/\s+class="zr\d+-cls-\d+"/g, '');
}

/** The SVG for svg-to-pdfkit and DOCX: the hover style removed, everything else as drawn. */
export function printSvg(svg: string): string {
  return svg.replace(/<style[\s\S]*?<\/style>/g, '').replace(/\s+class="zr\d+-cls-\d+"/g, '');
}
