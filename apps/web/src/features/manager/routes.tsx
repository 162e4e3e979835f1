import type { RouteObject } from 'react-router';

/** The manager pages; each page module is loaded when first visited. */
export const managerRoutes: RouteObject[] = [
  { path: '/programmes/new', lazy: async () => ({ Component: (await import('./new-programme')).NewProgrammePage }) },
  { path: '/programmes/:id', lazy: async () => ({ Component: (await import('./programme-page')).ProgrammePage }) },
];
