import type { RouteObject } from 'react-router';

/** Your account's pages; each page module is loaded when first visited. */
export const accountRoutes: RouteObject[] = [
  { path: '/account/sessions', lazy: async () => ({ Component: (await import('./sessions-page')).SessionsPage }) },
  { path: '/account/security', lazy: async () => ({ Component: (await import('./security-page')).SecurityPage }) },
];
