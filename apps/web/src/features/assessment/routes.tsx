import type { RouteObject } from 'react-router';

/** The assessment pages; each page module is loaded when first visited. */
export const assessmentRoutes: RouteObject[] = [
  {
    path: '/assessments/:id',
    lazy: async () => ({ Component: (await import('./questionnaire-page')).QuestionnairePage }),
  },
  {
    path: '/assessments/:id/review',
    lazy: async () => ({ Component: (await import('./review-page')).ReviewPage }),
  },
];
