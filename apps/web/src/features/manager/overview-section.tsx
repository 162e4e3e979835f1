import type { AssessmentStatus, Round } from '@kalaja/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatPercent } from '../../format';
import { useFrameworks, useProgress } from '../../queries';
import { useProgrammeContext } from './data';
import { RoundDates, STATUSES } from './progress-section';
import { RoundStateBadge } from '../../components/round-state';
import { RoundActions, RoundHistory } from './round-lifecycle';
import { SECTION_TITLE, sectionPath } from './sections';

/**
 * A programme at a glance: the framework it pins, its rounds with their dates, how far each
 * round has come, and where to go next — the results, the progress in detail, or (for a
 * programme still empty) adding its first organisation.
 */
export function Section() {
  const { t } = useTranslation('manager');
  const { programme: p, organisations } = useProgrammeContext();
  const frameworks = useFrameworks();
  const progress = useProgress(p.id);
  const framework = frameworks.data?.find((f) => f.id === p.framework.id);
  const rows = progress.data ?? [];
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('sections.overview')}
      </h2>
      <dl className="facts">
        <div>
          <dt>{t('overview.framework')}</dt>
          <dd>
            {framework ? `${framework.title} · ` : ''}
            <code>
              {p.framework.key} {p.framework.version}
            </code>
          </dd>
        </div>
        <div>
          <dt>{t('overview.organisations')}</dt>
          <dd>{organisations.length}</dd>
        </div>
      </dl>
      <p className="actions">
        <Link className="button" to={`${sectionPath(p.id, '')}/results`}>
          {t('overview.results')}
        </Link>
        {organisations.length === 0 && (
          <Link to={sectionPath(p.id, 'organisations')} state={{ focus: SECTION_TITLE }}>
            {t('overview.addFirst')}
          </Link>
        )}
      </p>
      <h3>{t('overview.rounds')}</h3>
      <ol className="round-cards">
        {p.rounds.map((r) => (
          <RoundCard
            key={r.id}
            programmeId={p.id}
            rounds={p.rounds}
            round={r}
            statuses={rows.filter((row) => row.roundId === r.id)}
          />
        ))}
      </ol>
      <RoundHistory programmeId={p.id} />
      <p>
        <Link to={sectionPath(p.id, 'assessments')} state={{ focus: SECTION_TITLE }}>
          {t('overview.seeProgress')}
        </Link>
      </p>
    </section>
  );
}

/**
 * One round: its dates and whether it is open, how many assessments are in each state, with the
 * mean completeness, and what the manager can do with it (open, close, reopen).
 */
function RoundCard({
  programmeId,
  rounds,
  round,
  statuses,
}: {
  programmeId: string;
  rounds: Round[];
  round: Round;
  statuses: { status: AssessmentStatus; completeness: number }[];
}) {
  const { t } = useTranslation('manager');
  const mean = statuses.length ? statuses.reduce((sum, r) => sum + r.completeness, 0) / statuses.length : 0;
  return (
    <li className="round-card">
      <p className="round-card-title">
        <strong>{round.name}</strong> <RoundDates round={round} /> <RoundStateBadge round={round} />
      </p>
      {statuses.length === 0 ? (
        <p className="muted">{t('overview.noOrganisations')}</p>
      ) : (
        <p>
          {STATUSES.map((s) => t(`status.${s}Count`, { count: statuses.filter((r) => r.status === s).length })).join(
            ' · ',
          )}
          {' · '}
          {t('overview.meanCompleteness', { value: formatPercent(mean) })}
        </p>
      )}
      <RoundActions programmeId={programmeId} rounds={rounds} round={round} />
    </li>
  );
}
