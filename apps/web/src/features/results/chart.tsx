/**
 * Charts: ECharts with its SVG renderer, loaded only where a chart is shown, and always paired
 * with a table that holds the same figures for screen readers and for copying.
 *
 * Under the app's Content Security Policy (`style-src 'self'`, no 'unsafe-inline') ECharts 6
 * works as is: zrender's SVG painter writes its styles through the CSSOM (`el.style.cssText`),
 * which the policy allows. Only the HTML tooltip writes `style="…"` markup (blocked, and
 * reported in the console), so every tooltip here uses `renderMode: 'richText'`, drawn inside
 * the SVG like the rest of the chart.
 */
import type { ComposeOption, EChartsType, init as echartsInit } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, RadarSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  RadarComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { wrapLabel } from './data';

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

export type ChartLoader = () => Promise<{ init: typeof echartsInit }>;

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
 * Five tones from weakest to strongest band: red, orange, sand, light blue, blue — told apart
 * without relying on red against green, and always shown with the number beside them.
 */
export const TONES = ['#b2182b', '#e08214', '#e3c565', '#74add1', '#2166ac'] as const;
/** Text on each tone with enough contrast (white on the dark ends, ink on the light middle). */
export const TONE_TEXT = ['#ffffff', THEME.ink, THEME.ink, THEME.ink, '#ffffff'] as const;

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** What every chart shares: the app's font and ink, calm (or no) animation, tooltips drawn in SVG. */
export function baseOption(): ChartOption {
  return {
    animation: !reducedMotion(),
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
export function rowAxis(titles: string[], narrow: boolean) {
  return {
    type: 'category' as const,
    inverse: true,
    data: titles.map((title) => wrapLabel(title, narrow ? 14 : 22)),
    axisLabel: { color: THEME.ink, fontSize: narrow ? 11 : 12, lineHeight: narrow ? 13 : 15 },
    axisTick: { show: false },
  };
}

/**
 * One chart. `option` is called with the chart's width in pixels, so a chart can lay itself
 * out differently on a phone; `height` is in pixels. The chart is an image to assistive
 * technology (`label` says what it shows); the table beside it carries the figures.
 */
export function Chart({
  load,
  option,
  height,
  label,
  legend,
  className,
}: {
  load: ChartLoader;
  option: (width: number) => ChartOption;
  height: number;
  label: string;
  legend?: LegendItem[];
  /** CSS class for the frame; a `scroll` frame scrolls sideways on a narrow screen. */
  className?: string;
}) {
  const { t } = useTranslation('results');
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const [width, setWidth] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    let instance: EChartsType | undefined;
    let cancelled = false;
    load().then(
      ({ init }) => {
        if (cancelled || !ref.current) return;
        instance = init(ref.current, null, { renderer: 'svg', height });
        setChart(instance);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      instance?.dispose();
      setChart(null);
    };
    // The instance lives as long as the component (its size and option are applied below).
  }, [load]);

  useEffect(() => {
    if (!chart || width === 0) return;
    chart.resize({ width, height });
    chart.setOption(option(width), { notMerge: true });
  }, [chart, width, height, option]);

  return (
    <div
      className={className ? `chart-frame ${className}` : 'chart-frame'}
      // A frame that scrolls sideways must be reachable with the keyboard to be scrolled.
      {...(className?.includes('scroll') && { tabIndex: 0, role: 'group', 'aria-label': label })}
    >
      {legend && (
        // The legend explains the picture only; the table below carries the figures.
        <ul className="chart-legend" aria-hidden="true">
          {legend.map((item) => (
            <li key={item.label}>
              <span className={`swatch ${item.swatch}`} />
              {item.label}
            </li>
          ))}
        </ul>
      )}
      <div ref={ref} className="chart" role="img" aria-label={label} />
      {failed && <p className="muted chart-failed">{t('chart.failed')}</p>}
    </div>
  );
}

/** A legend entry drawn in HTML (it wraps on a phone): `swatch` is a CSS class from results.css. */
export interface LegendItem {
  label: string;
  swatch: string;
}

/** A chart's figures as a table, behind a toggle right below the chart. */
export function TableAlternative({ caption, children }: { caption: string; children: ReactNode }) {
  const { t } = useTranslation('results');
  return (
    <details className="table-alt">
      <summary>{t('chart.showTable')}</summary>
      <div className="table-wrap" tabIndex={0} role="group" aria-label={caption}>
        <table>
          <caption>{caption}</caption>
          {children}
        </table>
      </div>
    </details>
  );
}

/** A titled section holding one chart, a note and its table alternative. */
export function ChartSection({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="chart-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro && <p className="muted">{intro}</p>}
      {children}
    </section>
  );
}
