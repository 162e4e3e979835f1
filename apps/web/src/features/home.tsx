import type { AssessmentStatus } from '@kalaja/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RoundStateBadge } from '../components/round-state';
import { ErrorNote, Loading, Page } from '../components/ui';
import { useMyAssessments, useProgrammes } from '../queries';
import { roleIn, useMe } from '../session';

/** The start page: what this person works on, by role. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const programmes = useProgrammes();
  const assessments = useMyAssessments();
  if (me.isPending || programmes.isPending || assessments.isPending) return <Loading />;
  const own = assessments.data?.filter((a) => a.as === 'organisation') ?? [];
  const review = assessments.data?.filter((a) => a.as === 'assessor') ?? [];
  const isIndex = (p: { framework: { subject?: string } }) => p.framework.subject === 'institution';
  const managed = programmes.data?.filter((p) => roleIn(me.data, 'programme_manager', p.id) && !isIndex(p)) ?? [];
  // Openness indexes: their managers and researchers (assessors) work in them.
  const indexes =
    programmes.data?.filter(
      (p) => isIndex(p) && (roleIn(me.data, 'programme_manager', p.id) || roleIn(me.data, 'assessor', p.id)),
    ) ?? [];
  const observed = programmes.data?.filter((p) => roleIn(me.data, 'observer', p.id)) ?? [];
  const training =
    programmes.data?.filter((p) => roleIn(me.data, 'trainer', p.id) && !roleIn(me.data, 'programme_manager', p.id)) ??
    [];
  const canCreate = me.data?.isInstanceAdmin || roleIn(me.data, 'programme_manager');
  const status = (s: AssessmentStatus) => t(`home.status.${s}`);
  return (
    <Page title={t('home.title', { name: me.data?.displayName ?? '' })}>
      <ErrorNote error={programmes.error ?? assessments.error} />
      {own.length > 0 && (
        <section aria-labelledby="own">
          <h2 id="own">{t('home.own')}</h2>
          <ul className="cards">
            {own.map((a) => (
              <li key={a.id}>
                <Link to={`/assessments/${a.id}`}>
                  <strong>{a.organisation}</strong> — {a.round}
                </Link>
                <span className={`badge badge-${a.status}`}>{status(a.status)}</span>
                <RoundStateBadge round={{ state: a.roundState, startsOn: a.roundStartsOn, endsOn: a.roundEndsOn }} />
                <span className="muted">{a.programme}</span>
                <Link to={`/assessments/${a.id}/plan`} aria-label={t('home.planOf', { organisation: a.organisation })}>
                  {t('home.plan')}
                </Link>
                <Link
                  to={`/assessments/${a.id}/incidents`}
                  aria-label={t('home.incidentsOf', { organisation: a.organisation })}
                >
                  {t('home.incidents')}
                </Link>
                <Link
                  to={`/assessments/${a.id}/survey`}
                  aria-label={t('home.surveyOf', { organisation: a.organisation })}
                >
                  {t('home.survey')}
                </Link>
                <Link
                  to={`/programmes/${a.programmeId}/trainings`}
                  aria-label={t('home.trainingsOf', { organisation: a.organisation })}
                >
                  {t('home.trainings')}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {review.length > 0 && (
        <section aria-labelledby="review">
          <h2 id="review">{t('home.review')}</h2>
          <ul className="cards">
            {review.map((a) => (
              <li key={a.id}>
                <Link to={`/assessments/${a.id}/review`}>
                  <strong>{a.organisation}</strong> — {a.round}
                </Link>
                <span className={`badge badge-${a.status}`}>{status(a.status)}</span>
                <RoundStateBadge round={{ state: a.roundState, startsOn: a.roundStartsOn, endsOn: a.roundEndsOn }} />
                <span className="muted">{a.programme}</span>
                <Link
                  to={`/assessments/${a.id}/plan`}
                  aria-label={t('home.planBuildOf', { organisation: a.organisation })}
                >
                  {t('home.planBuild')}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(managed.length > 0 || canCreate) && (
        <section aria-labelledby="managed">
          <h2 id="managed">{t('home.managed')}</h2>
          <ul className="cards">
            {managed.map((p) => (
              <li key={p.id}>
                <Link to={`/programmes/${p.id}`}>
                  <strong>{p.name}</strong>
                </Link>
                <span className="muted">
                  {p.framework.key} {p.framework.version} · {p.rounds.map((r) => r.name).join(', ')}
                </span>
              </li>
            ))}
          </ul>
          {canCreate && (
            <p>
              <Link className="button" to="/programmes/new">
                {t('home.newProgramme')}
              </Link>
            </p>
          )}
        </section>
      )}
      {indexes.length > 0 && (
        <section aria-labelledby="indexes">
          <h2 id="indexes">{t('home.indexes')}</h2>
          <ul className="cards">
            {indexes.map((p) => (
              <li key={p.id}>
                <Link to={`/indexes/${p.id}`}>
                  <strong>{p.name}</strong>
                </Link>
                <span className="muted">{p.rounds.map((r) => r.name).join(', ')}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {training.length > 0 && (
        <section aria-labelledby="training">
          <h2 id="training">{t('home.training')}</h2>
          <ul className="cards">
            {training.map((p) => (
              <li key={p.id}>
                <Link to={`/programmes/${p.id}/trainings`}>
                  <strong>{p.name}</strong>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {observed.length > 0 && (
        <section aria-labelledby="observed">
          <h2 id="observed">{t('home.observed')}</h2>
          <ul className="cards">
            {observed.map((p) => (
              <li key={p.id}>
                <Link to={`/programmes/${p.id}/results`}>
                  <strong>{p.name}</strong>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {own.length + review.length + managed.length + indexes.length + training.length + observed.length === 0 &&
        !canCreate && <p>{t('home.nothing')}</p>}
    </Page>
  );
}
