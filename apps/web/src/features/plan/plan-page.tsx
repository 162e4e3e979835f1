/**
 * An organisation's plan, opened from one of its assessments. The organisation's admins and
 * members see what to do next — open items, quick wins first, each with its steps — and move
 * them along from a phone. The assessor and the programme's managers see the assessment's
 * ranked interventions with their explanations beside the plan, and pick items into it.
 */
import { DECIMALS } from '@kalaja/engine/display';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, apiDownload } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatScore } from '../../format';
import { useAssessment, useFramework, useProgramme } from '../../queries';
import { planPath, usePlan, useRanking } from './data';
import { ItemCard, OwnItemForm, RankedCard } from './plan-parts';
import './plan.css';

const isOpen = (s: string) => s === 'planned' || s === 'in_progress';
/** The ranking shows this many at first: the rest on request. */
const FIRST = 10;

export function PlanPage() {
  const { t } = useTranslation('plan');
  const { id = '' } = useParams();
  const assessment = useAssessment(id);
  const programme = useProgramme(assessment.data?.programmeId);
  const framework = useFramework(programme.data?.framework.id);
  const ranking = useRanking(id);
  const plan = usePlan(assessment.data?.programmeId, assessment.data?.organisationId);
  const stepUp = useStepUp();
  const [all, setAll] = useState(false);

  const error = assessment.error ?? ranking.error ?? plan.error ?? programme.error ?? framework.error;
  if (error instanceof ApiError && error.status === 404)
    return (
      <Page title={t('page.notFound')}>
        <Link to="/">{t('page.backHome')}</Link>
      </Page>
    );
  if (error)
    return (
      <Page title={t('page.loadFailed')}>
        <ErrorNote error={error} />
      </Page>
    );
  if (!assessment.data || !ranking.data || !plan.data || !programme.data || !framework.data) return <Loading />;

  const p = plan.data;
  const r = ranking.data;
  const open = p.items.filter((i) => isOpen(i.status));
  const done = p.items.filter((i) => i.status === 'done');
  const dropped = p.items.filter((i) => i.status === 'dropped');
  const download = (format: 'csv' | 'xlsx') =>
    void stepUp
      .withStepUp(() =>
        apiDownload(`${planPath(p.programmeId, p.organisationId)}/export?format=${format}`, `plan.${format}`),
      )
      .catch(() => undefined);

  const items = (
    <>
      {open.length === 0 && p.items.length > 0 && <p>{t('next.allDone')}</p>}
      {open.map((i) => (
        <ItemCard key={i.id} item={i} plan={p} />
      ))}
      {done.length > 0 && (
        <section aria-labelledby="plan-done">
          <h2 id="plan-done">{t('next.doneTitle')}</h2>
          {done.map((i) => (
            <ItemCard key={i.id} item={i} plan={p} />
          ))}
        </section>
      )}
      {dropped.length > 0 && (
        <section aria-labelledby="plan-dropped">
          <h2 id="plan-dropped">{t('next.droppedTitle')}</h2>
          {dropped.map((i) => (
            <ItemCard key={i.id} item={i} plan={p} />
          ))}
        </section>
      )}
    </>
  );

  return (
    <Page title={p.organisation ? t('page.title', { organisation: p.organisation }) : t('page.titleUnnamed')} wide>
      <p className="plan-context">
        {t('page.context', { programme: programme.data.name, round: r.round })}
        {' · '}
        <Link to={`/assessments/${encodeURIComponent(id)}/results`}>{t('page.results')}</Link>
        {' · '}
        <Link to={`/assessments/${encodeURIComponent(id)}/findings`}>{t('page.findings')}</Link>
        {' · '}
        <Link to={`/assessments/${encodeURIComponent(id)}/incidents`}>{t('page.incidents')}</Link>
      </p>
      {stepUp.dialog}
      {p.canPlan ? (
        <div className="plan-columns">
          <section aria-labelledby="ranking-title" className="plan-ranking">
            <h2 id="ranking-title">{t('ranking.title')}</h2>
            <p className="hint">{t('ranking.intro', { round: r.round, organisation: p.organisation })}</p>
            <p>{t('ranking.overall', { score: formatScore(r.overall, DECIMALS.organisation) })}</p>
            {r.interventions.length === 0 ? (
              <p>{t('ranking.empty')}</p>
            ) : (
              <ol className="ranked-list">
                {r.interventions.slice(0, all ? undefined : FIRST).map((entry) => (
                  <RankedCard
                    key={entry.intervention.id}
                    entry={entry}
                    fw={framework.data}
                    plan={p}
                    roundId={r.roundId}
                  />
                ))}
              </ol>
            )}
            {!all && r.interventions.length > FIRST && (
              <button type="button" className="secondary" onClick={() => setAll(true)}>
                {t('ranking.showAll', { count: r.interventions.length })}
              </button>
            )}
          </section>
          <section aria-labelledby="plan-title" className="plan-list">
            <h2 id="plan-title">{t('plan.title')}</h2>
            <p className="muted">{t('plan.items', { count: p.items.length })}</p>
            <ExportButtons onDownload={download} />
            <OwnItemForm plan={p} roundId={r.roundId} />
            {p.items.length === 0 ? <p>{t('plan.empty')}</p> : items}
          </section>
        </div>
      ) : (
        <section aria-labelledby="next-title" className="plan-next">
          <h2 id="next-title">{t('next.title')}</h2>
          <p className="hint">{t('next.intro')}</p>
          {p.items.length === 0 ? <p>{t('next.empty')}</p> : items}
          {p.items.length > 0 && <ExportButtons onDownload={download} />}
        </section>
      )}
    </Page>
  );
}

function ExportButtons({ onDownload }: { onDownload(format: 'csv' | 'xlsx'): void }) {
  const { t } = useTranslation('plan');
  return (
    <p className="plan-export">
      <button type="button" className="secondary" onClick={() => onDownload('csv')}>
        {t('plan.export')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => onDownload('xlsx')}>
        {t('plan.exportXlsx')}
      </button>
    </p>
  );
}
