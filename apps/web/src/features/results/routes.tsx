import type { RouteObject } from 'react-router';

/** The results pages; each page module (and its charts) is loaded when first visited. */
export const resultsRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/results',
    lazy: async () => ({ Component: (await import('./organisation-results')).OrganisationResultsPage }),
  },
  {
    path: '/programmes/:id/results',
    lazy: async () => ({ Component: (await import('./cohort-results')).CohortResultsPage }),
  },
];
