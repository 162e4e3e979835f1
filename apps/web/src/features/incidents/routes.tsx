import type { RouteObject } from 'react-router';

/** The incident log: an organisation's incidents, reached from one of its assessments. */
export const incidentRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/incidents',
    lazy: async () => ({ Component: (await import('./incidents-page')).IncidentsPage }),
  },
];
