import type { Role } from '@kalaja/contracts';
import type { ComponentType } from 'react';

/**
 * A programme's sections, in the order of its navigation: each is a route of its own under
 * `/programmes/:id` and a chunk of its own, loaded when first opened. The navigation, the
 * routes and their titles are all made from this list, so adding a section (plans, trainings,
 * incidents, as each lands) is one line here, its module (exporting `Section`, whose first
 * heading is `<h2 id="section-title">`) and its label in locales/en/manager.json. A section
 * that does not exist yet has no line: the navigation never offers an empty page.
 */
export interface ProgrammeSection {
  /** The path under `/programmes/:id`; '' for the overview. */
  path: string;
  /** Its name in the navigation: a key of the manager catalogue. */
  label: `sections.${string}`;
  /** The section's page. */
  load: () => Promise<{ Section: ComponentType }>;
  /**
   * Who besides the programme's managers finds the section (the server still decides what each
   * reader sees in it): a trainer runs the trainings, an organisation's people see theirs.
   */
  alsoFor?: readonly Role[];
  /** Pages under the section's address (`trainings/:session`), each a chunk of its own. */
  children?: readonly { path: string; load: () => Promise<{ Section: ComponentType }> }[];
}

export const PROGRAMME_SECTIONS: readonly ProgrammeSection[] = [
  { path: '', label: 'sections.overview', load: () => import('./overview-section') },
  { path: 'assessments', label: 'sections.assessments', load: () => import('./assessments-section') },
  { path: 'reports', label: 'sections.reports', load: () => import('./reports-section') },
  { path: 'plans', label: 'sections.plans', load: () => import('../plan/programme-section') },
  {
    path: 'trainings',
    label: 'sections.trainings',
    load: () => import('../training/programme-section'),
    alsoFor: ['trainer', 'org_admin', 'org_member'],
    children: [{ path: ':session', load: () => import('../training/session-page') }],
  },
  { path: 'findings', label: 'sections.findings', load: () => import('../findings/programme-section') },
  {
    path: 'threats',
    label: 'sections.threats',
    load: () => import('../incidents/programme-section'),
    // Observers see the landscape published with the results, k-anonymous.
    alsoFor: ['observer'],
  },
  { path: 'publication', label: 'sections.publication', load: () => import('./publication-section') },
  { path: 'organisations', label: 'sections.organisations', load: () => import('./organisations-section') },
  { path: 'people', label: 'sections.people', load: () => import('./people-section') },
];

/** The sections a reader finds in a programme: all for its managers, else the ones open to their roles there. */
export function sectionsFor(manager: boolean, roles: readonly Role[]): readonly ProgrammeSection[] {
  if (manager) return PROGRAMME_SECTIONS;
  return PROGRAMME_SECTIONS.filter((s) => s.alsoFor?.some((r) => roles.includes(r)));
}

/** The address of a section of a programme. */
export const sectionPath = (programmeId: string, section: string) =>
  `/programmes/${encodeURIComponent(programmeId)}${section ? `/${section}` : ''}`;

/** The element a section link moves the focus to: the section's first heading. */
export const SECTION_TITLE = 'section-title';
