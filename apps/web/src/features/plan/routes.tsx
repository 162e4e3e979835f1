import type { RouteObject } from 'react-router';

/** The plan pages: an organisation's plan, seen from one of its assessments (the round whose ranking it shows). */
export const planRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/plan',
    lazy: async () => ({ Component: (await import('./plan-page')).PlanPage }),
  },
];
