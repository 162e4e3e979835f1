/**
 * The cohort's change between rounds in plain words, with its paired statistics and what they
 * cannot show (docs/contracts.md, §5): "9 of 10 organisations improved; the mean change was
 * +0.58 (95% interval +0.31 to +0.85)", the signed-rank test, and the limits — no control group,
 * a selected cohort, the smallest p reachable with this many changed pairs. For managers the
 * figures rest on the assessments validated in both rounds (`GET /programmes/:id/change`), the
 * provisional ones counted; observers read the published versions.
 */
import type { Change, CohortChange, CohortSummary } from '@kalaja/contracts';
import { DECIMALS, smallestReachableP } from '@kalaja/engine/display';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from '../../api';
import { ErrorNote } from '../../components/ui';
import { formatP, formatScore, formatSigned } from '../../format';
import { keys } from '../../queries';

const signed2 = (x: number | null | undefined) => formatSigned(x, DECIMALS.cohort);
const pText = formatP;
/** Up to this many changed pairs the signed-rank p is exact (the engine's EXACT_MAX). */
const EXACT_MAX = 50;

export const useCohortChange = (programmeId: string, enabled: boolean) =>
  useQuery<CohortChange, ApiError>({
    queryKey: [...keys.programme(programmeId), 'change'],
    queryFn: () => api('GET', path`/programmes/${programmeId}/change`),
    enabled,
    retry: retryTransient,
  });

interface ChangeFigures {
  from: string;
  to: string;
  overall: Change | undefined;
  domains: Record<string, Change | undefined>;
  /** Left out as provisional; null where the figures do not say (the published versions). */
  provisional: number | null;
}

export function CohortChangeWords({
  programmeId,
  data,
  rows,
}: {
  programmeId: string;
  data: CohortSummary;
  rows: { key: string; title: string }[];
}) {
  const { t } = useTranslation('results');
  const named = data.view === 'named';
  const live = useCohortChange(programmeId, named);
  if (named && live.error) return <ErrorNote error={live.error} />;
  const changes: ChangeFigures[] = named
    ? (live.data?.changes ?? []).map((c) => ({ ...c, provisional: c.provisional }))
    : data.report.change.map((c) => ({
        from: c.from,
        to: c.to,
        overall: c.overall,
        domains: c.domains,
        provisional: null,
      }));
  if (changes.length === 0) return null;
  return (
    <section className="cohort-change-words" aria-labelledby="change-words-title">
      <h2 id="change-words-title">{t('pairs.title')}</h2>
      {changes.map((c) => (
        <PairedChange key={`${c.from}-${c.to}`} change={c} rows={rows} />
      ))}
    </section>
  );
}

function PairedChange({ change, rows }: { change: ChangeFigures; rows: { key: string; title: string }[] }) {
  const { t } = useTranslation('results');
  const o = change.overall;
  const moved = o?.wilcoxon?.n ?? 0;
  const smallest = smallestReachableP(moved);
  return (
    <div className="paired-change">
      <h3>{t('pairs.between', { from: change.from, to: change.to })}</h3>
      {!o || o.n === 0 || o.mean === null ? (
        <p>{change.provisional !== null ? t('pairs.noneValidated') : t('pairs.none')}</p>
      ) : (
        <>
          <p className="plain-words">
            {t('pairs.plain', {
              count: o.n,
              improved: o.improved,
              mean: signed2(o.mean),
              interval: o.ci95 ? t('pairs.interval', { low: signed2(o.ci95[0]), high: signed2(o.ci95[1]) }) : '',
            })}
          </p>
          {o.wilcoxon ? (
            <p>
              {t('pairs.wilcoxon', {
                count: o.wilcoxon.n,
                p: pText(o.wilcoxon.p),
                r: o.rankBiserial === null ? '–' : formatScore(o.rankBiserial, 2),
              })}{' '}
              {o.wilcoxon.n <= EXACT_MAX ? t('pairs.exact') : t('pairs.approximate')}
            </p>
          ) : (
            <p>{t('pairs.noTest')}</p>
          )}
        </>
      )}
      {change.provisional !== null && (
        <p className="muted">
          {t('pairs.validatedOnly', { count: o?.n ?? 0 })}
          {change.provisional > 0 && ` ${t('pairs.provisional', { count: change.provisional })}`}
        </p>
      )}
      {o && o.n > 0 && (
        <div className="limits">
          <p>
            <strong>{t('pairs.limitsTitle')}</strong>
          </p>
          <ul>
            <li>{t('pairs.limitControl')}</li>
            <li>{t('pairs.limitSelected')}</li>
            {smallest !== null && moved <= EXACT_MAX && (
              <li>
                {t(smallest >= 0.05 ? 'pairs.limitImpossible' : 'pairs.limitSmallest', {
                  count: moved,
                  p: pText(smallest),
                })}
              </li>
            )}
          </ul>
        </div>
      )}
      <div className="table-wrap" tabIndex={0} role="group" aria-label={t('pairs.tableCaption')}>
        <table className="data-table">
          <caption>{t('pairs.tableCaption', { from: change.from, to: change.to })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('table.domain')}</th>
              <th scope="col" className="num">
                {t('pairs.pairs')}
              </th>
              <th scope="col" className="num">
                {t('table.meanChange')}
              </th>
              <th scope="col">{t('pairs.ci95')}</th>
              <th scope="col" className="num">
                {t('pairs.improvedDeclined')}
              </th>
              <th scope="col" className="num">
                {t('pairs.p')}
              </th>
              <th scope="col" className="num">
                {t('pairs.dz')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const c = row.key === '' ? change.overall : change.domains[row.key];
              return (
                <tr key={row.key || 'overall'}>
                  <th scope="row">{row.title}</th>
                  <td className="num">{c?.n ?? 0}</td>
                  <td className="num">{signed2(c?.mean)}</td>
                  <td>{c?.ci95 ? `${signed2(c.ci95[0])} … ${signed2(c.ci95[1])}` : '–'}</td>
                  <td className="num">{c && c.n > 0 ? `${c.improved} / ${c.declined}` : '–'}</td>
                  <td className="num">{c?.wilcoxon ? pText(c.wilcoxon.p) : '–'}</td>
                  <td className="num">{c?.dz === null || c?.dz === undefined ? '–' : formatScore(c.dz, 2)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
