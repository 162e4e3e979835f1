import { useTranslation } from 'react-i18next';
import type { Role } from '@kalaja/contracts';
import { Link, Navigate, NavLink, Outlet, useLocation, useParams } from 'react-router';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useOrganisations, useProgramme, useProgress } from '../../queries';
import { roleIn, useMe } from '../../session';
import type { ProgrammeContext } from './data';
import { isNotFound } from './fields';
import { SECTION_TITLE, sectionPath, sectionsFor, type ProgrammeSection } from './sections';
import './manager.css';

/**
 * A programme as its manager sees it: its name, the navigation between its sections
 * (sections.ts), and the section open now. Progress is read here too, for the programme's
 * managers only. Someone with another role in the programme (a trainer, an organisation's
 * people) finds only the sections open to that role, and is taken to the first of them; anyone
 * else (an observer, another programme's manager) gets "not found" for every section, as the
 * server answers them.
 */
export function ProgrammeLayout() {
  const { t } = useTranslation('manager');
  const id = useParams().id ?? '';
  const location = useLocation();
  const me = useMe();
  const manager = roleIn(me.data, 'programme_manager', id);
  // An organisation's role may hold no programme: its organisation takes part (the server checks where).
  const roles: Role[] = (me.data?.memberships ?? [])
    .filter((m) => m.programmeId === id || (m.programmeId === null && m.organisationId !== null))
    .map((m) => m.role);
  const sections = sectionsFor(manager, roles);
  const programme = useProgramme(id);
  const progress = useProgress(id, manager);
  const organisations = useOrganisations(id, sections.length > 0);

  // "Missing" and "not yours" are the same answer.
  if (me.data && sections.length === 0) return <NotFound />;
  if (isNotFound(programme.error) || isNotFound(progress.error)) return <NotFound />;
  if (me.isPending || programme.isPending || (manager && progress.isPending) || organisations.isPending)
    return <Loading />;
  if (!programme.data) {
    return (
      <Page title={t('overview.title')}>
        <ErrorNote error={programme.error} />
      </Page>
    );
  }
  // A reader without the overview starts at the first section open to them.
  const base = sectionPath(id, '');
  const here = location.pathname.replace(/\/$/, '');
  if (!manager && here === base) return <Navigate to={sectionPath(id, sections[0]!.path)} replace />;
  const context: ProgrammeContext = { programme: programme.data, organisations: organisations.data ?? [] };
  return (
    <Page title={programme.data.name} wide>
      <div className="manager">
        <ProgrammeNav programmeId={programme.data.id} name={programme.data.name} sections={sections} />
        <ErrorNote error={progress.error ?? organisations.error} />
        <Outlet context={context} />
      </div>
    </Page>
  );
}

function NotFound() {
  const { t } = useTranslation('manager');
  return (
    <Page title={t('common:app.notFound')}>
      <Link to="/">{t('common:app.backHome')}</Link>
    </Page>
  );
}

/**
 * The sections as links: on a wide screen a row of tabs under the title, on a phone a grid of
 * buttons that wraps. Plain links (each section has its address), the current one marked
 * `aria-current="page"`; following one moves the focus to the section's heading.
 */
function ProgrammeNav({
  programmeId,
  name,
  sections,
}: {
  programmeId: string;
  name: string;
  sections: readonly ProgrammeSection[];
}) {
  const { t } = useTranslation('manager');
  return (
    <nav className="programme-nav" aria-label={t('sections.label', { name })}>
      <ul>
        {sections.map((s) => (
          <li key={s.path}>
            <NavLink to={sectionPath(programmeId, s.path)} end={s.path === ''} state={{ focus: SECTION_TITLE }}>
              {t(s.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
