import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useOrganisations, useProgramme, useProgress } from '../../queries';
import type { ProgrammeContext } from './data';
import { isNotFound } from './fields';
import { PROGRAMME_SECTIONS, SECTION_TITLE, sectionPath } from './sections';
import './manager.css';

/**
 * A programme as its manager sees it: its name, the navigation between its sections
 * (sections.ts), and the section open now. Progress is read here too: it is for the
 * programme's managers only, so someone else (an observer, another programme's manager) gets
 * "not found" for every section, as the server answers them.
 */
export function ProgrammeLayout() {
  const { t } = useTranslation('manager');
  const id = useParams().id ?? '';
  const programme = useProgramme(id);
  const progress = useProgress(id);
  const organisations = useOrganisations(id);

  // "Missing" and "not yours" are the same answer.
  if (isNotFound(programme.error) || isNotFound(progress.error)) {
    return (
      <Page title={t('common:app.notFound')}>
        <Link to="/">{t('common:app.backHome')}</Link>
      </Page>
    );
  }
  if (programme.isPending || progress.isPending || organisations.isPending) return <Loading />;
  if (!programme.data) {
    return (
      <Page title={t('overview.title')}>
        <ErrorNote error={programme.error} />
      </Page>
    );
  }
  const context: ProgrammeContext = { programme: programme.data, organisations: organisations.data ?? [] };
  return (
    <Page title={programme.data.name} wide>
      <div className="manager">
        <ProgrammeNav programmeId={programme.data.id} name={programme.data.name} />
        <ErrorNote error={progress.error ?? organisations.error} />
        <Outlet context={context} />
      </div>
    </Page>
  );
}

/**
 * The sections as links: on a wide screen a row of tabs under the title, on a phone a grid of
 * buttons that wraps. Plain links (each section has its address), the current one marked
 * `aria-current="page"`; following one moves the focus to the section's heading.
 */
function ProgrammeNav({ programmeId, name }: { programmeId: string; name: string }) {
  const { t } = useTranslation('manager');
  return (
    <nav className="programme-nav" aria-label={t('sections.label', { name })}>
      <ul>
        {PROGRAMME_SECTIONS.map((s) => (
          <li key={s.path}>
            <NavLink to={sectionPath(programmeId, s.path)} end state={{ focus: SECTION_TITLE }}>
              {t(s.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
