import type { RouteObject } from 'react-router';

/** The openness index for its research team: the index, a wave, an institution's sheet. */
export const opennessRoutes: RouteObject[] = [
  { path: '/indexes/:id', lazy: async () => ({ Component: (await import('./team-pages')).IndexPage }) },
  { path: '/indexes/:id/waves/:wave', lazy: async () => ({ Component: (await import('./team-pages')).WavePage }) },
  {
    path: '/indexes/:id/waves/:wave/institutions/:institution',
    lazy: async () => ({ Component: (await import('./team-pages')).SheetPage }),
  },
];

/** The published index: public, no sign-in (decision 0015). */
export const publicOpennessRoutes: RouteObject[] = [
  { path: '/open/:id', lazy: async () => ({ Component: (await import('./public-pages')).PublicIndexPage }) },
  { path: '/open/:id/waves/:wave', lazy: async () => ({ Component: (await import('./public-pages')).PublicWavePage }) },
  {
    path: '/open/:id/waves/:wave/institutions/:institution',
    lazy: async () => ({ Component: (await import('./public-pages')).PublicInstitutionPage }),
  },
  // An institution's contact answers the questionnaire indicators through a one-time link.
  {
    path: '/questionnaire/:token',
    lazy: async () => ({ Component: (await import('./questionnaire-page')).QuestionnairePage }),
  },
];
