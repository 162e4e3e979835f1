import { bandsOf, formatNumber } from '@kalaja/engine/display';
import { describe, expect, it } from 'vitest';
import {
  changeOption,
  domainBarsOption,
  heatmapCells,
  heatmapOption,
  meansOption,
  radarOption,
  ROUND_COLOURS,
  THEME,
  TONE_TEXT,
  TONES,
  type DomainFigure,
} from '../src/features/results/chart-options';

/**
 * What each results chart draws, from the figures alone: the builders are pure, so these read
 * the option a chart is given — which value lands where, in which colour, with which label —
 * without a browser.
 */

const one = (x: number | null | undefined) => formatNumber(x, 1);
const two = (x: number | null | undefined) => formatNumber(x, 2);

const domains: DomainFigure[] = [
  { title: 'Governance and roles', score: 2.25, capped: false, tone: 0 },
  { title: 'Identity and access', score: 4, capped: true, tone: 1 },
  { title: 'Backup and recovery', score: null, capped: false, tone: -1 },
];

/** The series of an option as a list (ECharts takes one or many). */
const seriesOf = (option: ReturnType<typeof radarOption>) =>
  (Array.isArray(option.series) ? option.series : [option.series]) as Record<string, unknown>[];

/** Calls a label formatter as ECharts would, for the data point at `dataIndex`. */
const label = (series: Record<string, unknown>, dataIndex: number, value?: unknown) =>
  (series.label as { formatter: (p: { dataIndex: number; value?: unknown }) => string }).formatter({
    dataIndex,
    value,
  });

describe('an organisation’s radar', () => {
  it('puts each domain on a spoke from 0 to the scale, a domain without a score at the centre', () => {
    const option = radarOption({
      domains,
      scale: 10,
      width: 800,
      animate: false,
      format: one,
      texts: { title: 'Score by domain', series: 'Scores' },
    });
    const radar = option.radar as { indicator: { name: string; max: number; min: number }[] };
    expect(radar.indicator.map((i) => [i.min, i.max])).toEqual([
      [0, 10],
      [0, 10],
      [0, 10],
    ]);
    expect(radar.indicator[0]!.name).toBe('Governance and\nroles');
    const data = seriesOf(option)[0]!.data as { value: number[] }[];
    expect(data[0]!.value).toEqual([2.25, 4, 0]);
    expect(option.animation).toBe(false);
  });

  it('names the spokes by their first word on a phone, where whole titles do not fit', () => {
    const option = radarOption({
      domains,
      scale: 10,
      width: 360,
      animate: true,
      format: one,
      texts: { title: 't', series: 's' },
    });
    const radar = option.radar as { indicator: { name: string }[] };
    expect(radar.indicator.map((i) => i.name)).toEqual(['Governance…', 'Identity…', 'Backup…']);
  });
});

describe('an organisation’s bars', () => {
  const option = domainBarsOption({
    domains,
    scale: 10,
    width: 800,
    animate: false,
    format: one,
    capped: (score) => `${score} (capped)`,
  });
  const bars = seriesOf(option)[0]!;

  it('colours each bar by its band, and a domain without a band in the line colour', () => {
    const data = bars.data as { value: number; itemStyle: { color: string } }[];
    expect(data.map((d) => d.itemStyle.color)).toEqual([TONES[0], TONES[1], THEME.line]);
    expect(data.map((d) => d.value)).toEqual([2.25, 4, 0]);
  });

  it('labels each bar with its rounded score, says when a cap holds it down, and "–" without one', () => {
    expect([0, 1, 2].map((i) => label(bars, i))).toEqual(['2.3', '4.0 (capped)', '–']);
  });

  it('runs the score axis from 0 to the scale in five steps', () => {
    expect(option.xAxis).toMatchObject({ min: 0, max: 10, interval: 2 });
  });
});

describe('the cohort heatmap', () => {
  const levels = [
    { min: 0, label: 'Initial' },
    { min: 4, label: 'Developing' },
    { min: 7, label: 'Established' },
  ];
  const bands = bandsOf(levels, 10);
  const rows = [
    { organisation: 'Lajmi i Lirë', values: [7.5, 9, null] },
    { organisation: 'Qendra', values: [3.96, 0, 4] },
  ];

  it('labels each cell with its score, on a colour of its band with text that stays readable', () => {
    const cells = heatmapCells(rows, bands, one);
    expect(cells.map((c) => c.value)).toEqual([
      [0, 0, 7.5],
      [1, 0, 9],
      [2, 0, '-'],
      [0, 1, 3.96],
      [1, 1, 0],
      [2, 1, 4],
    ]);
    expect(cells.map((c) => c.label.formatter())).toEqual(['7.5', '9.0', '–', '4.0', '0.0', '4.0']);
    // Established is the strongest tone (white text), Initial the weakest, Developing the middle.
    expect(cells.map((c) => c.label.color)).toEqual([
      TONE_TEXT[4],
      TONE_TEXT[4],
      THEME.ink,
      TONE_TEXT[0],
      TONE_TEXT[0],
      TONE_TEXT[2],
    ]);
    expect(cells.filter((c) => c.label.fontWeight === 'bold').map((c) => c.value[0])).toEqual([0, 0]);
  });

  it('colours by the framework’s bands, the last one closed at the top of the scale', () => {
    const option = heatmapOption({
      columns: ['Overall', 'A', 'B'],
      rows,
      bands,
      width: 1200,
      animate: false,
      format: one,
    });
    const pieces = (option.visualMap as { pieces: Record<string, unknown>[] }).pieces;
    expect(pieces).toEqual([
      { gte: 0, lt: 4, color: TONES[0] },
      { gte: 4, lt: 7, color: TONES[2] },
      { gte: 7, lte: 10, color: TONES[4] },
    ]);
    expect((option.yAxis as { data: string[] }).data).toEqual(['Lajmi i Lirë', 'Qendra']);
  });
});

describe('the cohort means', () => {
  const input = {
    titles: ['Overall', 'Access'],
    rounds: ['baseline', 'reassessment'],
    means: [
      [3.49, null],
      [4.07, 5.125],
    ],
    scale: 10,
    animate: false,
    format: two,
    missing: '–',
  };

  it('draws the latest round in the accent colour and earlier ones lighter, a withheld mean as a gap', () => {
    const series = seriesOf(meansOption({ ...input, width: 900 }));
    expect(series.map((s) => (s.itemStyle as { color: string }).color)).toEqual([ROUND_COLOURS[2], ROUND_COLOURS[3]]);
    expect(series.map((s) => s.data)).toEqual([
      [3.49, '-'],
      [4.07, 5.125],
    ]);
    expect(label(series[1]!, 1, 5.125)).toBe('5.13');
  });

  it('leaves the figures to the table on a phone, where the bars are too close for them', () => {
    const series = seriesOf(meansOption({ ...input, width: 360 }));
    expect(series.every((s) => (s.label as { show: boolean }).show === false)).toBe(true);
  });
});

describe('the change between rounds', () => {
  const change = (improved: number, unchanged: number, declined: number) => ({
    n: improved + unchanged + declined,
    mean: 0.1,
    improved,
    unchanged,
    declined,
  });

  it('stacks improved, unchanged and declined, and draws a withheld row as a gap, never as zero', () => {
    const option = changeOption({
      titles: ['Overall', 'Access', 'Backup'],
      changes: [change(5, 2, 1), change(3, 3, 2), undefined],
      hidden: [false, true, true],
      width: 900,
      animate: false,
      names: { improved: 'Improved', unchanged: 'Unchanged', declined: 'Declined' },
    });
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual(['Improved', 'Unchanged', 'Declined']);
    expect(series.map((s) => s.data)).toEqual([
      [5, '-', '-'],
      [2, '-', '-'],
      [1, '-', '-'],
    ]);
    // The axis fits the rows shown, not the hidden ones.
    expect(option.xAxis).toMatchObject({ min: 0, max: 8 });
    expect(label(series[0]!, 0, 5)).toBe('5');
    expect(label(series[0]!, 0, 0)).toBe('');
  });
});
