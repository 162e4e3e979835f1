/**
 * A programme's cohort results. Managers see every organisation by name: a heatmap of
 * organisations × domains for a round, the distribution per domain, the cohort mean per round
 * and the change between rounds. Observers see the same aggregates, anonymised by the server:
 * no organisation at all, and every figure over fewer than five organisations withheld — shown
 * here as "fewer than 5 organisations", never as a number.
 *
 * The page reads the summary first (the cohort's figures, a few kilobytes however many
 * organisations take part) and shows every section from it, each table at once and each chart
 * as it is drawn; the heatmap's organisations come a page at a time.
 */
import type { Change, CohortSummary as Summary, Stats } from '@kalaja/contracts';
import { bandsOf, DECIMALS, pickText, type Framework } from '@kalaja/engine/display';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api';
import { OpenDataButton } from '../../components/open-data';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatMoment, formatPercent, formatScore, formatSigned } from '../../format';
import { useFramework, useProgramme } from '../../queries';
import { Chart, ChartSection, prefersReducedMotion, TableAlternative } from './chart';
import {
  CHANGE_KINDS,
  changeOption,
  distributionOption,
  heatmapOption,
  meansOption,
  roundColourIndex,
  type HeatmapRow,
} from './chart-options';
import { CohortChangeWords } from './cohort-change';
import { ORGANISATIONS_PAGE, roundsWithResults, shownRound, useCohortOrganisations, useCohortSummary } from './data';
import './results.css';

const loadCharts = () => import('./echarts-cohort');
const score2 = (x: number | null | undefined) => formatScore(x, DECIMALS.cohort);
const score1 = (x: number | null | undefined) => formatScore(x, DECIMALS.organisation);

/** A row of the cohort figures: the overall score first, then each domain in framework order. */
interface Row {
  key: string;
  title: string;
}

/** The colour bands of the heatmap, labelled in the reader's language. */
function bandsIn(fw: Framework, lng: string) {
  return bandsOf(fw.levels, fw.scale).map((b) => ({
    ...b,
    label: b.label === null ? '' : pickText(b.label, lng).text,
  }));
}

export function CohortResultsPage() {
  const { t, i18n } = useTranslation('results');
  const { id = '' } = useParams();
  const programme = useProgramme(id);
  const results = useCohortSummary(id);
  const framework = useFramework(programme.data?.framework.id);
  const named = results.data?.view === 'named';
  const [params, setParams] = useSearchParams();
  const lng = i18n.language;

  const rows = useMemo((): Row[] => {
    if (!framework.data) return [];
    return [
      { key: '', title: t('cohort.overall') },
      ...framework.data.domains.map((d) => ({ key: d.id, title: pickText(d.title, lng).text })),
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
  const withResults = roundsWithResults(data);
  const round = shownRound(data, params.get('round'));

  return (
    <Page title={t('cohort.title')} wide>
      <p className="results-context">{programme.data.name}</p>
      {data.view === 'anonymised' && <PublishedNote data={data} />}
      {round === undefined ? (
        <p>{data.view === 'anonymised' ? t('cohort.nonePublished') : t('cohort.noResults')}</p>
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
            // A new round starts at its first page.
            <HeatmapSection key={round} fw={framework.data} programmeId={id} round={round} rows={rows} />
          )}
          {!(data.view === 'anonymised' && (data.report.cohort[round]?.n ?? 0) < data.minCell) && (
            <DistributionSection fw={framework.data} data={data} round={round} rows={rows} />
          )}
          {withResults.length > 1 && <MeansSection fw={framework.data} data={data} rounds={withResults} rows={rows} />}
          <ChangeSection data={data} round={round} rows={rows} />
          <CohortChangeWords programmeId={id} data={data} rows={rows} />
        </>
      )}
    </Page>
  );
}

/**
 * What observers read: the published versions behind the figures, each with its date and open
 * data, and how many figures are withheld. Never a live figure (threat model, T9).
 */
function PublishedNote({ data }: { data: Summary }) {
  const { t } = useTranslation('results');
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="anonymised-note">
      <p>{t('cohort.anonymised', { k: data.minCell })}</p>
      {data.suppressed > 0 && <p>{t('cohort.suppressedCount', { count: data.suppressed })}</p>}
      {data.published.length > 0 && (
        <>
          <p>{t('cohort.publishedIntro')}</p>
          <ul className="published-list">
            {data.published.map((p) => (
              <li key={p.id}>
                {t('cohort.publishedItem', {
                  round: p.round,
                  version: p.version,
                  date: formatMoment(new Date(p.publishedAt).toISOString()),
                })}{' '}
                <OpenDataButton programmeId={data.programmeId} version={p} onError={setError} />
              </li>
            ))}
          </ul>
          <ErrorNote error={error} />
        </>
      )}
    </div>
  );
}

/** Figures of a cohort for display: numbers, "fewer than 5 organisations" when withheld, "–" when none. */
function useCohortFormat(data: Summary) {
  const { t } = useTranslation('results');
  const anonymised = data.view === 'anonymised';
  const withheld = (n: number) => anonymised && n > 0 && n < data.minCell;
  return {
    withheld,
    stat: (s: Stats | undefined, key: 'mean' | 'median' | 'min' | 'max' | 'sd') => {
      if (!s) return '–';
      if (s[key] !== null) return score2(s[key]);
      return withheld(s.n) ? t('cohort.withheld', { k: data.minCell }) : '–';
    },
    count: (n: number | undefined) =>
      n === undefined ? '–' : withheld(n) ? t('cohort.withheld', { k: data.minCell }) : n,
    changeHidden: (c: Change | undefined) => !c || (anonymised && c.n < data.minCell),
  };
}

const statsOf = (data: Summary, round: string, key: string): Stats | undefined => {
  const c = data.report.cohort[round];
  return key === '' ? c?.overall : c?.domains[key];
};

function CohortSummary({ data, round }: { data: Summary; round: string }) {
  const { t } = useTranslation('results');
  const f = useCohortFormat(data);
  const c = data.report.cohort[round];
  if (c && f.withheld(c.n)) {
    return (
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">{t('cohort.summaryTitle', { round })}</h2>
        <p className="anonymised-note">{t('cohort.roundWithheld', { round, k: data.minCell })}</p>
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
  programmeId,
  round,
  rows,
}: {
  fw: Framework;
  programmeId: string;
  round: string;
  rows: Row[];
}) {
  const { t, i18n } = useTranslation('results');
  const lng = i18n.language;
  const [offset, setOffset] = useState(0);
  const page = useCohortOrganisations(programmeId, round, offset, true);
  const organisations = useMemo(() => page.data?.items ?? [], [page.data]);
  const total = page.data?.total ?? 0;
  const value = (r: (typeof organisations)[number], key: string) => (key === '' ? r.overall : r.domains[key]);

  const cells = useMemo(
    (): HeatmapRow[] =>
      organisations.map((r) => ({
        organisation: r.organisation,
        values: rows.map((row) => value(r, row.key) ?? null),
      })),
    [organisations, rows],
  );
  const option = useCallback(
    (width: number) =>
      heatmapOption({
        columns: rows.map((r) => r.title),
        rows: cells,
        bands: bandsIn(fw, lng),
        width,
        animate: !prefersReducedMotion(),
        format: score1,
      }),
    [fw, cells, rows, lng],
  );
  if (page.error) {
    return (
      <ChartSection title={t('cohort.heatmapTitle', { round })}>
        <ErrorNote error={page.error} />
      </ChartSection>
    );
  }
  if (!page.data) {
    return (
      <ChartSection title={t('cohort.heatmapTitle', { round })} intro={t('cohort.heatmapIntro')}>
        <p className="muted">{t('cohort.organisationsLoading')}</p>
      </ChartSection>
    );
  }
  const last = Math.min(offset + organisations.length, total);
  const pager = total > ORGANISATIONS_PAGE && (
    <nav className="results-pager" aria-label={t('cohort.organisationsPager', { round })}>
      <button
        type="button"
        className="button secondary"
        disabled={offset === 0 || page.isFetching}
        onClick={() => setOffset(Math.max(0, offset - ORGANISATIONS_PAGE))}
      >
        {t('cohort.organisationsPrevious')}
      </button>
      <span aria-live="polite">{t('cohort.organisationsShown', { from: offset + 1, to: last, count: total })}</span>
      <button
        type="button"
        className="button secondary"
        disabled={offset + ORGANISATIONS_PAGE >= total || page.isFetching}
        onClick={() => setOffset(offset + ORGANISATIONS_PAGE)}
      >
        {t('cohort.organisationsNext')}
      </button>
    </nav>
  );
  return (
    <ChartSection title={t('cohort.heatmapTitle', { round })} intro={t('cohort.heatmapIntro')}>
      {pager}
      <Chart
        className="chart-heatmap scroll"
        load={loadCharts}
        option={option}
        height={organisations.length * 34 + 64}
        label={t('cohort.heatmapLabel', { count: organisations.length, round })}
        legend={bandsIn(fw, lng).map((b) => ({
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
          {organisations.map((o) => (
            <tr key={o.assessmentId}>
              <th scope="row">
                <Link to={`/assessments/${o.assessmentId}/results`}>{o.organisation}</Link>
              </th>
              {rows.map((r) => (
                <td key={r.key} className="num">
                  {score1(value(o, r.key))}
                </td>
              ))}
              <td className="num">{formatPercent(o.completeness)}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

function DistributionSection({ fw, data, round, rows }: { fw: Framework; data: Summary; round: string; rows: Row[] }) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  const stats = useMemo(() => rows.map((r) => statsOf(data, round, r.key)), [data, round, rows]);
  const anyWithheld = stats.some((s) => s && s.mean === null && f.withheld(s.n));
  const option = useCallback(
    (width: number) =>
      distributionOption({
        titles: rows.map((r) => r.title),
        stats,
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score2,
        names: {
          range: t('cohort.rangeSeries'),
          median: t('cohort.median'),
          mean: t('cohort.mean'),
          min: t('cohort.min'),
          max: t('cohort.max'),
        },
        missing: (s) => f.stat(s, 'mean'),
      }),
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
      {anyWithheld && <p className="muted">{t('cohort.withheldNote', { k: data.minCell })}</p>}
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

function MeansSection({ fw, data, rounds, rows }: { fw: Framework; data: Summary; rounds: string[]; rows: Row[] }) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  const colourIndex = roundColourIndex(rounds.length);
  const option = useCallback(
    (width: number) =>
      meansOption({
        titles: rows.map((r) => r.title),
        rounds,
        means: rounds.map((round) => rows.map((r) => statsOf(data, round, r.key)?.mean)),
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score2,
        missing: f.stat(undefined, 'mean'),
      }),
    [fw.scale, rows, rounds, data, t, i18n.language],
  );
  const anyMean = rounds.some((round) => rows.some((r) => statsOf(data, round, r.key)?.mean != null));
  if (!anyMean) {
    return (
      <ChartSection title={t('cohort.meansTitle')}>
        <p>{t('cohort.allWithheld', { k: data.minCell })}</p>
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

/**
 * What a change rests on (managers): the organisations with a result in both rounds, how many of
 * them rest on an assessment not yet validated (provisional), who is left out for having a
 * result in one round only, and why a domain's bar may count fewer organisations.
 */
function ChangeBasis({ data, from, to }: { data: Summary; from: string; to: string }) {
  const { t } = useTranslation('results');
  const basis = data.changeBasis.find((b) => b.from === from && b.to === to);
  if (!basis) return null;
  return (
    <div className="change-basis">
      <p>
        {t('cohort.changeBasis', { count: basis.both, from, to })}{' '}
        {basis.provisional > 0
          ? t('cohort.changeProvisional', { count: basis.provisional })
          : t('cohort.changeAllValidated')}
        {basis.oneRound > 0 && <> {t('cohort.changeOneRound', { count: basis.oneRound })}</>}
      </p>
      <p className="muted">{t('cohort.changeShortBars')}</p>
    </div>
  );
}

function ChangeSection({ data, round, rows }: { data: Summary; round: string; rows: Row[] }) {
  const { t, i18n } = useTranslation('results');
  const f = useCohortFormat(data);
  const change = data.report.change.find((c) => c.to === round);
  const changes = useMemo(
    () => rows.map((r) => (change ? (r.key === '' ? change.overall : change.domains[r.key]) : undefined)),
    [rows, change],
  );
  const option = useCallback(
    (width: number) =>
      changeOption({
        titles: rows.map((r) => r.title),
        changes,
        hidden: changes.map((c) => f.changeHidden(c)),
        width,
        animate: !prefersReducedMotion(),
        names: { improved: t('cohort.improved'), unchanged: t('cohort.unchanged'), declined: t('cohort.declined') },
      }),
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
        <p>{t('cohort.changeWithheld', { from: change.from, to: change.to, k: data.minCell })}</p>
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
          mean: formatSigned(overall.mean, DECIMALS.cohort),
          improved: overall.improved,
          declined: overall.declined,
          unchanged: overall.unchanged,
        })}
      </p>
      {data.view === 'named' && <ChangeBasis data={data} from={change.from} to={change.to} />}
      <Chart
        load={loadCharts}
        option={option}
        height={rows.length * 42 + 30}
        label={t('cohort.changeLabel', { from: change.from, to: change.to })}
        legend={CHANGE_KINDS.map((kind) => ({ label: t(`cohort.${kind}`), swatch: `bg-${kind}` }))}
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
                    {!c || c.n === 0 ? '–' : t('cohort.withheld', { k: data.minCell })}
                  </td>
                ) : (
                  <>
                    <td className="num">{c!.n}</td>
                    <td className="num">{formatSigned(c!.mean, DECIMALS.cohort)}</td>
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
