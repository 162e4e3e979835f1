/**
 * Charts: ECharts with its SVG renderer, loaded only where a chart is shown, and always paired
 * with a table that holds the same figures for screen readers and for copying. What each chart
 * draws is built by the pure functions of chart-options.ts; this module mounts them.
 */
import type { EChartsType, init as echartsInit } from 'echarts/core';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartOption } from './chart-options';

export type ChartLoader = () => Promise<{ init: typeof echartsInit }>;

/**
 * The user-timing marks a chart sets, once each: `kalaja:chart-drawn` when its figures are first
 * in the document (ECharts draws them synchronously in `setOption`; the frame is painted next),
 * `kalaja:chart-finished` when its first animation has ended. `detail` is the chart's label.
 * The results page benchmark (bench/results-page.js) reads them; nothing else does.
 */
export const CHART_MARKS = { drawn: 'kalaja:chart-drawn', finished: 'kalaja:chart-finished' } as const;

const mark = (name: string, detail: string) => {
  try {
    performance.mark(name, { detail });
  } catch {
    // A browser without user timing level 3 draws the chart all the same.
  }
};

/** Whether the reader asked for less motion: charts then draw at once. */
export const prefersReducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

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
  const marked = useRef(false);

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
    const first = !marked.current;
    marked.current = true;
    // Listened for before setOption (a chart with nothing to animate finishes inside it), after
    // resize (which draws the empty chart).
    const finished = () => {
      chart.off('finished', finished);
      mark(CHART_MARKS.finished, label);
    };
    chart.resize({ width, height });
    if (first) chart.on('finished', finished);
    chart.setOption(option(width), { notMerge: true });
    if (first) mark(CHART_MARKS.drawn, label);
    // The label follows the language; the marks are set once, with the label of the first draw.
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
