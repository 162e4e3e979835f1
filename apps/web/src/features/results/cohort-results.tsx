/**
 * A programme's cohort results. Managers see every organisation by name: a heatmap of
 * organisations × domains for a round, the distribution per domain, the cohort mean per round
 * and the change between rounds. Observers see the same aggregates, anonymised by the server:
 * no organisation at all, and every figure over fewer than five organisations withheld — shown
 * here as "fewer than 5 organisations", never as a number.
 */
import { useCallback, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatPercent, formatScore } from '../../i18n';
import {
  baseOption,
  Chart,
  ChartSection,
  rowAxis,
  scoreAxis,
  TableAlternative,
  THEME,
  TONE_TEXT,
  TONES,
  type ChartOption,
} from './chart';
import {
  COHORT_DECIMALS,
  formatSigned,
  localText,
  MIN_COHORT,
  ORG_DECIMALS,
  toneOf,
  useCohortResults,
  useFramework,
  useProgramme,
  useProgress,
  wrapLabel,
  type Change,
  type CohortResults,
  type Framework,
  type Programme,
  type ProgressRow,
  type Stats,
} from './data';
import './results.css';

const loadCharts = () => import('./echarts-cohort');
const score2 = (x: number | null | undefined) => formatScore(x, COHORT_DECIMALS);
const score1 = (x: number | null | undefined) => formatScore(x, ORG_DECIMALS);

/** A row of the cohort figures: the overall score first, then each domain in framework order. */
interface Row {
  key: string;
  title: string;
}

/** Rounds from the earliest (light) to the latest (the accent); the same colours as `.bg-round-*`. */
const ROUND_COLOURS = ['#b5c3d3', '#8aa0bb', '#5b7699', THEME.accent];
const CHANGE_COLOURS = { improved: TONES[4], unchanged: '#b9b6ae', declined: TONES[0] } as const;
const CHANGE_TEXT = { improved: '#ffffff', unchanged: THEME.ink, declined: '#ffffff' } as const;
const TRANSPARENT = 'rgba(0, 0, 0, 0)';

/** The colour bands of the heatmap: the framework's levels, or five equal parts of the scale. */
function bandsOf(fw: Framework, lng: string): { from: number; to: number; label: string; tone: number }[] {
  if (fw.levels.length > 0) {
    return fw.levels.map((l, i) => ({
      from: l.min,
      to: fw.levels[i + 1]?.min ?? fw.scale,
      label: localText(l.label, lng),
      tone: toneOf(i, fw.levels.length),
    }));
  }
  return [0, 1, 2, 3, 4].map((i) => ({ from: (fw.scale * i) / 5, to: (fw.scale * (i + 1)) / 5, label: '', tone: i }));
}

export function CohortResultsPage() {
  const { t, i18n } = useTranslation('results');
  const { id = '' } = useParams();
  const programme = useProgramme(id);
  const results = useCohortResults(id);
  const framework = useFramework(programme.data?.framework.id);
  const named = results.data?.view === 'named';
  const progress = useProgress(id, named);
  const [params, setParams] = useSearchParams();
  const lng = i18n.language;

  const rows = useMemo((): Row[] => {
    if (!framework.data) return [];
    return [
      { key: '', title: t('cohort.overall') },
      ...framework.data.domains.map((d) => ({ key: d.id, title: localText(d.title, lng) })),
    ];
  }, [framework.data, lng, t]);

  const error = programme.error ?? results.error ?? framework.error;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Page title={t('app.notFound', { ns: 'common' })}>
        <Link to="/">{t('app.backHome', { ns: 'common' })}</Link>
      </Page>
    );
  }
  if (error) {
    return (
      <Page title={t('cohort.title')}>
        <ErrorNote error={error} />
      </Page>
    );
  }
  if (!programme.data || !results.data || !framework.data) return <Loading />;

  const data = results.data;
  const withResults = data.rounds.filter((r) => (data.report.cohort[r]?.n ?? 0) > 0);
  const asked = params.get('round');
  const round = asked && withResults.includes(asked) ? asked : withResults[withResults.length - 1];

  return (
    <Page title={t('cohort.title')} wide>
      <p className="results-context">{programme.data.name}</p>
      {data.view === 'anonymised' && (
        <div className="anonymised-note">
          <p>{t('cohort.anonymised', { k: MIN_COHORT })}</p>
          {data.suppressed > 0 && <p>{t('cohort.suppressedCount', { count: data.suppressed })}</p>}
        </div>
      )}
      {round === undefined ? (
        <p>{t('cohort.noResults')}</p>
      ) : (
        <>
          {withResults.length > 1 && (
            <div className="toolbar">
              <label className="field-inline">
                <span>{t('cohort.round')}</span>
                <select
                  value={round}
                  onChange={(e) => setParams({ round: e.target.value }, { replace: true, preventScrollReset: true })}
                >
                  {withResults.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          <CohortSummary data={data} round={round} />
          {named && (
            <HeatmapSection
              fw={framework.data}
              data={data}
              round={round}
              rows={rows}
              programme={programme.data}
              progress={progress.data}
            />
          )}
          {!(data.view === 'anonymised' && (data.report.cohort[round]?.n ?? 0) < MIN_COHORT) && (
            <DistributionSection fw={framework.data} data={data} round={round} rows={rows} />
          )}
          {withResults.length > 1 && <MeansSection fw={framework.data} data={data} rounds={withResults} rows={rows} />}
          <ChangeSection data={data} round={round} rows={rows} />
        </>
      )}
    </Page>
  );
}

/** Figures of a cohort for display: numbers, "fewer than 5 organisations" when withheld, "–" when none. */
function useCohortFormat(data: CohortResults) {
  const { t } = useTranslation('results');
  const anonymised = data.view === 'anonymised';
  const withheld = (n: number) => anonymised && n > 0 && n < MIN_COHORT;
  return {
    withheld,
    stat: (s: Stats | undefined, key: 'mean' | 'median' | 'min' | 'max' | 'sd') => {
      if (!s) return '–';
      if (s[key] !== null) return score2(s[key]);
      return withheld(s.n) ? t('cohort.withheld', { k: MIN_COHORT }) : '–';
    },
    count: (n: number | undefined) =>
      n === undefined ? '–' : withheld(n) ? t('cohort.withheld', { k: MIN_COHORT }) : n,
    changeHidden: (c: Change | undefined) => !c || (anonymised && c.n < MIN_COHORT),
  };
}

const statsOf = (data: CohortResults, round: string, key: string): Stats | undefined => {
  const c = data.report.cohort[round];
  return key === '' ? c?.overall : c?.domains[key];
};

function CohortSummary({ data, round }: { data: CohortResults; round: string }) {
  const { t } = useTranslation('results');
  const f = useCohortFormat(data);
  const c = data.report.cohort[round];
  if (c && f.withheld(c.n)) {
    return (
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">{t('cohort.summaryTitle', { round })}</h2>
        <p className="anonymised-note">{t('cohort.roundWithheld', { round, k: MIN_COHORT })}</p>
      </section>
    );
  }
  const items: [string, ReactNode][] = [
    [t('cohort.organisations'), f.count(c?.n)],
    [t('cohort.mean'), f.stat(c?.overall, 'mean')],
    [t('cohort.median'), f.stat(c?.overall, 'median')],
    [
      t('cohort.range'),
      c?.overall.min === null || !c
        ? f.stat(c?.overall, 'min')
        : t('cohort.rangeValue', { min: score2(c.overall.min), max: score2(c.overall.max) }),
    ],
    [t('cohort.sd'), f.stat(c?.overall, 'sd')],
  ];
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{t('cohort.summaryTitle', { round })}</h2>
      <dl className="stat-list">
        {items.map(([label, value]) => (
          <div key={label} className="stat">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function HeatmapSection({
  fw,
  data,
  round,
  rows,
  programme,
  progress,
}: {
  fw: Framework;
  data: CohortResults;
  round: string;
  rows: Row[];
  programme: Programme;
  progress: ProgressRow[] | undefined;
}) {
  const { t, i18n } = useTranslation('results');
  const lng = i18n.language;
  const organisations = useMemo(
    () =>
      data.report.results
        .filter((r) => r.round === round)
        .sort((a, b) => a.organisation.localeCompare(b.organisation, lng)),
    [data, round, lng],
  );
  const roundId = programme.rounds.find((r) => r.name === round)?.id;
  const linkOf = (organisation: string) =>
    progress?.find((p) => p.roundId === roundId && p.organisation === organisation)?.assessmentId;
  const value = (r: (typeof organisations)[number], key: string) => (key === '' ? r.overall : r.domains[key]);

  const option = useCallback(
    (width: number): ChartOption => {
      const bands = bandsOf(fw, lng);
      return {
        ...baseOption(),
        tooltip: {
          ...baseOption().tooltip,
          trigger: 'item',
          formatter: (params) => {
            const p = Array.isArray(params) ? params[0] : params;
            const [x, y, v] = (p?.value ?? []) as [number, number, number | string];
            return `${organisations[y]?.organisation ?? ''}\n${rows[x]?.title ?? ''}: ${typeof v === 'number' ? score1(v) : '–'}`;
          },
        },
        grid: {
          left: 0,
          right: 4,
          top: 0,
          bottom: 4,
          outerBoundsMode: 'same',
          outerBoundsContain: 'axisLabel',
        },
        xAxis: {
          type: 'category',
          position: 'top',
          data: rows.map((r) => wrapLabel(r.title, width < 1000 ? 11 : 14)),
          axisLabel: { interval: 0, color: THEME.ink, fontSize: 11, lineHeight: 13 },
          axisTick: { show: false },
          axisLine: { show: false },
        },
        yAxis: {
          type: 'category',
          inverse: true,
          data: organisations.map((r) => r.organisation),
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
            data: organisations.flatMap((r, y) =>
              rows.map((row, x) => {
                const v = value(r, row.key);
                const tone = v === null || v === undefined ? -1 : (bands.findLast((b) => v >= b.from)?.tone ?? -1);
                return {
                  value: [x, y, v ?? '-'] as [number, number, number | string],
                  label: {
                    show: true,
                    formatter: () => score1(v),
                    color: tone >= 0 ? TONE_TEXT[tone] : THEME.ink,
                    fontWeight: row.key === '' ? ('bold' as const) : ('normal' as const),
                  },
                };
              }),
            ),
          },
        ],
      };
    },
    [fw, organisations, rows, lng],
  );
  return (
    <ChartSection title={t('cohort.heatmapTitle', { round })} intro={t('cohort.heatmapIntro')}>
      <Chart
        className="chart-heatmap scroll"
        load={loadCharts}
        option={option}
        height={organisations.length * 34 + 64}
        label={t('cohort.heatmapLabel', { count: organisations.length, round })}
        legend={bandsOf(fw, lng).map((b) => ({
          label: b.label
            ? t('cohort.bandLegend', { band: b.label, from: formatScore(b.from, 0), to: formatScore(b.to, 0) })
            : t('cohort.rangeLegend', { from: formatScore(b.from, 0), to: formatScore(b.to, 0) }),
          swatch: `bg-tone-${b.tone}`,
        }))}
      />
      <TableAlternative caption={t('cohort.heatmapCaption', { round })}>
        <thead>
          <tr>
            <th scope="col">{t('table.organisation')}</th>
            {rows.map((r) => (
              <th scope="col" key={r.key} className="num">
                {r.title}
              </th>
            ))}
            <th scope="col" className="num">
              {t('table.completeness')}
            </th>
          </tr>
        </thead>
        <tbody>
          {organisations.map((o) => {
            const assessment = linkOf(o.organisation);
            return (
              <tr key={o.organisation}>
                <th scope="row">
                  {assessment ? (
                    <Link to={`/assessments/${assessment}/results`}>{o.organisation}</Link>
                  ) : (
                    o.organisation
                  )}
                </th>
                {rows.map((r) => (
                  <td key={r.key} className="num">
                    {score1(value(o, r.key))}
                  </td>
                ))}
                <td className="num">{formatPercent(o.completeness)}</td>
              </tr>
            );
          })}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

function DistributionSection({
  fw,
  data,
  round,
  rows,
}: {
  fw: Framework;
  data: CohortResults;
  round: string;
  rows: Row[];
}) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  const stats = useMemo(() => rows.map((r) => statsOf(data, round, r.key)), [data, round, rows]);
  const anyWithheld = stats.some((s) => s && s.mean === null && f.withheld(s.n));
  const option = useCallback(
    (width: number): ChartOption => {
      const narrow = width < 520;
      const axis = rowAxis(
        rows.map((r) => r.title),
        narrow,
      );
      const num = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x);
      const names = { range: t('cohort.rangeSeries'), median: t('cohort.median'), mean: t('cohort.mean') };
      return {
        ...baseOption(),
        tooltip: {
          ...baseOption().tooltip,
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (params) => {
            const list = Array.isArray(params) ? params : [params];
            const i = list[0]?.dataIndex ?? 0;
            const s = stats[i];
            const title = rows[i]?.title ?? '';
            if (!s || s.mean === null) return `${title}\n${f.stat(s, 'mean')}`;
            return [
              title,
              `${t('cohort.min')} ${score2(s.min)} · ${t('cohort.median')} ${score2(s.median)}`,
              `${t('cohort.mean')} ${score2(s.mean)} · ${t('cohort.max')} ${score2(s.max)}`,
            ].join('\n');
          },
        },
        grid: { left: 0, right: 12, top: 4, bottom: 20, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: scoreAxis(fw.scale),
        yAxis: { ...axis, axisLabel: { ...axis.axisLabel, fontWeight: 'normal' as const } },
        series: [
          {
            type: 'bar',
            stack: 'range',
            silent: true,
            barWidth: 14,
            itemStyle: { color: TRANSPARENT },
            emphasis: { disabled: true },
            data: stats.map((s) => num(s?.min)),
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
            data: stats.map((s, i) => [num(s?.median), i]),
          },
          {
            type: 'scatter',
            name: names.mean,
            symbol: 'circle',
            symbolSize: 9,
            itemStyle: { color: TONES[1], borderColor: THEME.ink, borderWidth: 1 },
            data: stats.map((s, i) => [num(s?.mean), i]),
          },
        ],
      };
    },
    // Texts and numbers follow the language.
    [fw.scale, rows, stats, t, i18n.language],
  );
  return (
    <ChartSection title={t('cohort.distributionTitle', { round })} intro={t('cohort.distributionIntro')}>
      <Chart
        load={loadCharts}
        option={option}
        height={rows.length * 44 + 30}
        label={t('cohort.distributionLabel', { round })}
        legend={[
          { label: t('cohort.rangeSeries'), swatch: 'swatch-range' },
          { label: t('cohort.median'), swatch: 'swatch-median' },
          { label: t('cohort.mean'), swatch: 'swatch-mean' },
        ]}
      />
      {anyWithheld && <p className="muted">{t('cohort.withheldNote', { k: MIN_COHORT })}</p>}
      <TableAlternative caption={t('cohort.distributionCaption', { round })}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            <th scope="col" className="num">
              {t('table.organisations')}
            </th>
            <th scope="col" className="num">
              {t('cohort.mean')}
            </th>
            <th scope="col" className="num">
              {t('cohort.median')}
            </th>
            <th scope="col" className="num">
              {t('cohort.min')}
            </th>
            <th scope="col" className="num">
              {t('cohort.max')}
            </th>
            <th scope="col" className="num">
              {t('cohort.sd')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const s = stats[i];
            return (
              <tr key={r.key}>
                <th scope="row">{r.title}</th>
                <td className="num">{f.count(s?.n)}</td>
                <td className="num">{f.stat(s, 'mean')}</td>
                <td className="num">{f.stat(s, 'median')}</td>
                <td className="num">{f.stat(s, 'min')}</td>
                <td className="num">{f.stat(s, 'max')}</td>
                <td className="num">{f.stat(s, 'sd')}</td>
              </tr>
            );
          })}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

function MeansSection({
  fw,
  data,
  rounds,
  rows,
}: {
  fw: Framework;
  data: CohortResults;
  rounds: string[];
  rows: Row[];
}) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  // The latest round in the accent colour, earlier rounds lighter.
  const colourIndex = rounds.map((_, i) => Math.max(0, ROUND_COLOURS.length - rounds.length + i));
  const colours = colourIndex.map((i) => ROUND_COLOURS[i]!);
  const option = useCallback(
    (width: number): ChartOption => {
      const narrow = width < 520;
      return {
        ...baseOption(),
        tooltip: {
          ...baseOption().tooltip,
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          valueFormatter: (v) => (typeof v === 'number' ? score2(v) : f.stat(undefined, 'mean')),
        },
        grid: { left: 0, right: 48, top: 4, bottom: 20, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: scoreAxis(fw.scale),
        yAxis: rowAxis(
          rows.map((r) => r.title),
          narrow,
        ),
        series: rounds.map((round, i) => ({
          type: 'bar' as const,
          name: round,
          barMaxWidth: 12,
          barGap: '15%',
          itemStyle: { color: colours[i] },
          label: {
            show: !narrow,
            position: 'right' as const,
            color: THEME.ink,
            fontSize: 11,
            formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? score2(p.value) : ''),
          },
          data: rows.map((r) => statsOf(data, round, r.key)?.mean ?? '-'),
        })),
      };
    },
    [fw.scale, rows, rounds, data, t, i18n.language],
  );
  const anyMean = rounds.some((round) => rows.some((r) => statsOf(data, round, r.key)?.mean != null));
  if (!anyMean) {
    return (
      <ChartSection title={t('cohort.meansTitle')}>
        <p>{t('cohort.allWithheld', { k: MIN_COHORT })}</p>
      </ChartSection>
    );
  }
  return (
    <ChartSection title={t('cohort.meansTitle')} intro={t('cohort.meansIntro')}>
      <Chart
        load={loadCharts}
        option={option}
        height={rows.length * (rounds.length * 13 + 18) + 30}
        label={t('cohort.meansLabel', { count: rounds.length })}
        legend={rounds.map((r, i) => ({ label: r, swatch: `bg-round-${colourIndex[i]}` }))}
      />
      <TableAlternative caption={t('cohort.meansCaption')}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            {rounds.map((r) => (
              <th scope="col" key={r} className="num">
                {r}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.title}</th>
              {rounds.map((round) => (
                <td key={round} className="num">
                  {f.stat(statsOf(data, round, r.key), 'mean')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

function ChangeSection({ data, round, rows }: { data: CohortResults; round: string; rows: Row[] }) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  const change = data.report.change.find((c) => c.to === round);
  const changes = useMemo(
    () => rows.map((r) => (change ? (r.key === '' ? change.overall : change.domains[r.key]) : undefined)),
    [rows, change],
  );
  const kinds = ['improved', 'unchanged', 'declined'] as const;
  const option = useCallback(
    (width: number): ChartOption => {
      const narrow = width < 520;
      const max = Math.max(1, ...changes.map((c) => (c ? c.improved + c.unchanged + c.declined : 0)));
      return {
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 0, right: 12, top: 4, bottom: 20, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: {
          type: 'value',
          min: 0,
          max,
          minInterval: 1,
          axisLabel: { color: THEME.muted },
          splitLine: { lineStyle: { color: THEME.line } },
        },
        yAxis: rowAxis(
          rows.map((r) => r.title),
          narrow,
        ),
        series: kinds.map((kind) => ({
          type: 'bar' as const,
          stack: 'change',
          name: t(`cohort.${kind}`),
          barWidth: 16,
          itemStyle: { color: CHANGE_COLOURS[kind] },
          label: {
            show: true,
            color: CHANGE_TEXT[kind],
            fontSize: 11,
            formatter: (p: { value?: unknown }) => (typeof p.value === 'number' && p.value > 0 ? String(p.value) : ''),
          },
          data: changes.map((c) => (f.changeHidden(c) ? '-' : c![kind])),
        })),
      };
    },
    [rows, changes, t, i18n.language],
  );
  if (!change) {
    return (
      <section aria-labelledby="change-title">
        <h2 id="change-title">{t('cohort.changeTitleFirst')}</h2>
        <p>{t('cohort.noEarlierRound', { round })}</p>
      </section>
    );
  }
  const overall = change.overall;
  if (f.changeHidden(overall)) {
    return (
      <ChartSection title={t('cohort.changeTitle', { from: change.from, to: change.to })}>
        <p>{t('cohort.changeWithheld', { from: change.from, to: change.to, k: MIN_COHORT })}</p>
      </ChartSection>
    );
  }
  return (
    <ChartSection title={t('cohort.changeTitle', { from: change.from, to: change.to })}>
      <p>
        {t('cohort.changeSentence', {
          from: change.from,
          to: change.to,
          count: overall.n,
          mean: formatSigned(overall.mean, COHORT_DECIMALS),
          improved: overall.improved,
          declined: overall.declined,
          unchanged: overall.unchanged,
        })}
      </p>
      <Chart
        load={loadCharts}
        option={option}
        height={rows.length * 42 + 30}
        label={t('cohort.changeLabel', { from: change.from, to: change.to })}
        legend={kinds.map((kind) => ({ label: t(`cohort.${kind}`), swatch: `bg-${kind}` }))}
      />
      <TableAlternative caption={t('cohort.changeCaption', { from: change.from, to: change.to })}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            <th scope="col" className="num">
              {t('table.compared')}
            </th>
            <th scope="col" className="num">
              {t('table.meanChange')}
            </th>
            <th scope="col" className="num">
              {t('cohort.improved')}
            </th>
            <th scope="col" className="num">
              {t('cohort.unchanged')}
            </th>
            <th scope="col" className="num">
              {t('cohort.declined')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const c = changes[i];
            const hidden = f.changeHidden(c);
            return (
              <tr key={r.key}>
                <th scope="row">{r.title}</th>
                {hidden ? (
                  <td colSpan={5} className="withheld">
                    {!c || c.n === 0 ? '–' : t('cohort.withheld', { k: MIN_COHORT })}
                  </td>
                ) : (
                  <>
                    <td className="num">{c!.n}</td>
                    <td className="num">{formatSigned(c!.mean, COHORT_DECIMALS)}</td>
                    <td className="num">{c!.improved}</td>
                    <td className="num">{c!.unchanged}</td>
                    <td className="num">{c!.declined}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}
