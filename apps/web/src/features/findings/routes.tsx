import type { RouteObject } from 'react-router';

/** The findings page: an organisation's technical findings, seen from one of its assessments. */
export const findingRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/findings',
    lazy: async () => ({ Component: (await import('./findings-page')).FindingsPage }),
  },
];
