/**
 * What moved for one organisation between its rounds: every round's overall score, and between
 * each round and the next the domains before and after (a radar overlay and bars, each with its
 * table), the questions answered better and worse, the plan items completed in between, and the
 * accounts of what changed. The figures are the engine's (`GET /assessments/:id/change`).
 */
import type { OrganisationChange, OrganisationRoundChange } from '@kalaja/contracts';
import { DECIMALS, pickText, type Framework, type Question } from '@kalaja/engine/display';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from '../../api';
import { ErrorNote } from '../../components/ui';
import { formatDay, formatPercent, formatScore, formatSigned } from '../../format';
import { keys } from '../../queries';
import { Chart, prefersReducedMotion, TableAlternative } from './chart';
import { meansOption, radarOverlayOption, roundColourIndex } from './chart-options';

const loadCharts = () => import('./echarts-organisation');
const score1 = (x: number | null | undefined) => formatScore(x, DECIMALS.organisation);
const signed1 = (x: number | null | undefined) => formatSigned(x, DECIMALS.organisation);

export const useOrganisationChange = (assessmentId: string) =>
  useQuery<OrganisationChange, ApiError>({
    queryKey: [...keys.assessment(assessmentId), 'change'],
    queryFn: () => api('GET', path`/assessments/${assessmentId}/change`),
    retry: retryTransient,
  });

/** One organisation's change across its rounds; nothing while it has a result in one round only. */
export function OrganisationChangeSection({ assessmentId, fw }: { assessmentId: string; fw: Framework }) {
  const { t } = useTranslation('results');
  const change = useOrganisationChange(assessmentId);
  if (change.error) return <ErrorNote error={change.error} />;
  const data = change.data;
  if (!data || data.rounds.length < 2) return null;
  return (
    <section className="org-change" aria-labelledby="org-change-title">
      <h2 id="org-change-title">{t('change.title')}</h2>
      <table className="data-table">
        <caption>{t('change.roundsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('change.round')}</th>
            <th scope="col">{t('change.status')}</th>
            <th scope="col" className="num">
              {t('organisation.overall')}
            </th>
            <th scope="col" className="num">
              {t('organisation.completeness')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rounds.map((r) => (
            <tr key={r.roundId}>
              <th scope="row">{r.round}</th>
              <td>{t(`change.statusOf.${r.status}`)}</td>
              <td className="num">{score1(r.overall)}</td>
              <td className="num">{formatPercent(r.completeness)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.changes.map((c) => (
        <RoundChange key={`${c.from}-${c.to}`} fw={fw} change={c} />
      ))}
    </section>
  );
}

function RoundChange({ fw, change }: { fw: Framework; change: OrganisationRoundChange }) {
  const { t, i18n } = useTranslation('results');
  const lng = i18n.language;
  const titles = useMemo(() => fw.domains.map((d) => pickText(d.title, lng).text), [fw, lng]);
  const questions = useMemo(() => {
    const map = new Map<string, Question>();
    for (const d of fw.domains) for (const q of d.questions) map.set(q.id, q);
    return map;
  }, [fw]);
  const byDomain = useMemo(() => new Map(change.domains.map((d) => [d.domain, d])), [change]);
  const { rounds, scores } = useMemo(
    () => ({
      rounds: [change.from, change.to],
      scores: [
        fw.domains.map((d) => byDomain.get(d.id)?.before ?? null),
        fw.domains.map((d) => byDomain.get(d.id)?.after ?? null),
      ],
    }),
    [change, fw, byDomain],
  );
  const radar = useCallback(
    (width: number) =>
      radarOverlayOption({
        titles,
        rounds,
        scores,
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score1,
      }),
    [titles, rounds, scores, fw.scale],
  );
  const bars = useCallback(
    (width: number) =>
      meansOption({
        titles,
        rounds,
        means: scores,
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score1,
        missing: t('table.noScore'),
      }),
    // Texts and numbers follow the language.
    [titles, rounds, scores, fw.scale, t, i18n.language],
  );
  const colours = roundColourIndex(2);
  const legend = rounds.map((r, i) => ({ label: r, swatch: `bg-round-${colours[i]}` }));
  const text = (q: string, option: string) => {
    const question = questions.get(q);
    const o = question?.options.find((x) => x.id === option);
    return { question: pickText(question?.text, lng).text, option: pickText(o?.label, lng).text };
  };
  return (
    <div className="round-change">
      <h3>{t('change.between', { from: change.from, to: change.to })}</h3>
      <p className="change-overall">
        {t('change.overall', {
          before: score1(change.overall.before),
          after: score1(change.overall.after),
          change: signed1(change.overall.change),
        })}
      </p>
      <div className="chart-pair">
        <div>
          <Chart
            load={loadCharts}
            option={radar}
            height={420}
            legend={legend}
            label={t('change.radarLabel', { from: change.from, to: change.to })}
          />
        </div>
        <div>
          <Chart
            load={loadCharts}
            option={bars}
            height={fw.domains.length * 46 + 30}
            legend={legend}
            label={t('change.barsLabel', { from: change.from, to: change.to })}
          />
        </div>
      </div>
      <TableAlternative caption={t('change.tableCaption', { from: change.from, to: change.to })}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            <th scope="col" className="num">
              {change.from}
            </th>
            <th scope="col" className="num">
              {change.to}
            </th>
            <th scope="col" className="num">
              {t('change.change')}
            </th>
          </tr>
        </thead>
        <tbody>
          {fw.domains.map((d, i) => {
            const x = byDomain.get(d.id);
            return (
              <tr key={d.id}>
                <th scope="row">{titles[i]}</th>
                <td className="num">{score1(x?.before)}</td>
                <td className="num">{score1(x?.after)}</td>
                <td className="num">{signed1(x?.change)}</td>
              </tr>
            );
          })}
        </tbody>
      </TableAlternative>
      <ul className="domain-changes">
        {fw.domains.map((d, i) => {
          const x = byDomain.get(d.id);
          if (!x) return null;
          const tone = x.change === null ? '' : x.change > 0.05 ? 'up' : x.change < -0.05 ? 'down' : 'same';
          return (
            <li key={d.id} className={`domain-change domain-change-${tone}`}>
              <p className="domain-change-head">
                <strong>{titles[i]}</strong>{' '}
                {t('change.domainLine', {
                  before: score1(x.before),
                  after: score1(x.after),
                  change: signed1(x.change),
                })}
              </p>
              {x.up.length > 0 && (
                <>
                  <p className="muted">{t('change.up', { count: x.up.length })}</p>
                  <ul>
                    {x.up.map((m) => {
                      const a = text(m.question, m.from);
                      return (
                        <li key={m.question}>
                          {t('change.move', {
                            question: a.question,
                            from: a.option,
                            to: text(m.question, m.to).option,
                          })}
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
              {x.down.length > 0 && (
                <>
                  <p className="muted">{t('change.down', { count: x.down.length })}</p>
                  <ul>
                    {x.down.map((m) => {
                      const a = text(m.question, m.from);
                      return (
                        <li key={m.question}>
                          {t('change.move', {
                            question: a.question,
                            from: a.option,
                            to: text(m.question, m.to).option,
                          })}
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
              {x.up.length + x.down.length === 0 && <p className="muted">{t('change.noMoves')}</p>}
              {x.planItems.length > 0 && (
                <>
                  <p className="muted">{t('change.planItems', { count: x.planItems.length })}</p>
                  <ul>
                    {x.planItems.map((p) => (
                      <li key={p.id}>
                        {t('change.planItem', { title: p.title, date: formatDay(p.doneAt.slice(0, 10)) })}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {change.accounts
                .filter((a) => a.domain === d.id)
                .map((a) => (
                  <div className="account" key={a.by}>
                    <p className="muted">
                      {t(a.by === 'assessor' ? 'change.accountAssessor' : 'change.accountOrganisation')}
                    </p>
                    <p className="note-text">{a.text}</p>
                  </div>
                ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
