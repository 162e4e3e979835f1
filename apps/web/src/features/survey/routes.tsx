import type { RouteObject } from 'react-router';

/** The threat survey: an organisation's answers in one round, reached from one of its assessments. */
export const surveyRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/survey',
    lazy: async () => ({ Component: (await import('./survey-page')).SurveyPage }),
  },
];
