import type { RouteObject } from 'react-router';

/** The reporting team's inbox inside the app; the public form has its own frame (app.tsx). */
export const reportingRoutes: RouteObject[] = [
  { path: '/reporting', lazy: async () => ({ Component: (await import('./inbox-pages')).InboxPage }) },
  { path: '/reporting/:id', lazy: async () => ({ Component: (await import('./inbox-pages')).ReportDetailPage }) },
];
