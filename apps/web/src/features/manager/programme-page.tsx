import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { AssessorsSection } from './assessors-section';
import { useFrameworks, useMembers, useOrganisations, useProgramme, useProgress } from './data';
import { isNotFound } from './fields';
import { ImportSection } from './import-section';
import { OrganisationsSection } from './organisations-section';
import { PeopleSection } from './people-section';
import { ProgressSection, RoundDates } from './progress-section';
import { ReportsSection } from './reports-section';
import './manager.css';

/** A programme as its manager sees it: progress per round, organisations, people, assessors, imports, reports. */
export function ProgrammePage() {
  const { t } = useTranslation('manager');
  const id = useParams().id ?? '';
  const programme = useProgramme(id);
  const progress = useProgress(id);
  const organisations = useOrganisations(id);
  const members = useMembers(id);
  const frameworks = useFrameworks();

  // "Missing" and "not yours" are the same answer; progress is for the programme's managers only.
  if (isNotFound(programme.error) || isNotFound(progress.error)) {
    return (
      <Page title={t('common:app.notFound')}>
        <Link to="/">{t('common:app.backHome')}</Link>
      </Page>
    );
  }
  if (programme.isPending || progress.isPending || organisations.isPending || members.isPending) return <Loading />;
  if (!programme.data) {
    return (
      <Page title={t('overview.title')}>
        <ErrorNote error={programme.error} />
      </Page>
    );
  }

  const p = programme.data;
  const framework = frameworks.data?.find((f) => f.id === p.framework.id);
  return (
    <Page title={p.name} wide>
      <div className="manager">
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
            <dt>{t('overview.rounds')}</dt>
            <dd>
              <ol className="inline-list">
                {p.rounds.map((r) => (
                  <li key={r.id}>
                    {r.name} <RoundDates round={r} />
                  </li>
                ))}
              </ol>
            </dd>
          </div>
          <div>
            <dt>{t('overview.organisations')}</dt>
            <dd>{organisations.data?.length ?? '–'}</dd>
          </div>
        </dl>
        <p>
          <Link className="button" to={`/programmes/${p.id}/results`}>
            {t('overview.results')}
          </Link>
        </p>
        <nav className="toc" aria-label={t('overview.onThisPage')}>
          <ul>
            <li>
              <a href="#progress">{t('overview.progress')}</a>
            </li>
            <li>
              <a href="#organisations">{t('organisations.title')}</a>
            </li>
            <li>
              <a href="#people">{t('people.title')}</a>
            </li>
            <li>
              <a href="#assessors">{t('assessors.title')}</a>
            </li>
            <li>
              <a href="#import">{t('import.title')}</a>
            </li>
            <li>
              <a href="#reports">{t('reports.title')}</a>
            </li>
          </ul>
        </nav>
        <ErrorNote error={progress.error ?? organisations.error ?? members.error} />
        <ProgressSection programme={p} progress={progress.data ?? []} />
        <OrganisationsSection programmeId={p.id} organisations={organisations.data ?? []} />
        <PeopleSection programmeId={p.id} members={members.data ?? []} organisations={organisations.data ?? []} />
        <AssessorsSection programmeId={p.id} members={members.data ?? []} organisations={organisations.data ?? []} />
        <ImportSection programme={p} />
        <ReportsSection programmeId={p.id} organisations={organisations.data ?? []} />
      </div>
    </Page>
  );
}
